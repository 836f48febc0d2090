/**
 * Turns a non-success answer into the matching typed error. Refold answers errors with the
 * envelope `{status_code, http_error_type, error_code | error, message}` (its API reference,
 * "Error response"); some older pages name the type `error_type`. Anything else — an HTML 502
 * page from a load balancer, truncated or invalid JSON — still gives a typed error, never a
 * `SyntaxError`.
 */
import type { Clock } from '../http/clock.js'
import {
  AuthenticationError,
  InvalidEventError,
  RateLimitError,
  type RefoldError,
  RefoldHttpError,
  RefoldServerError,
  type RefoldErrorDetails,
} from './errors.js'
import { isRateLimitRefusal, retryAfterOf } from '../http/retry-after.js'
import { readEnvelope } from '../wire/error-envelope.js'

/** What came back from one HTTP attempt, whatever sent it. */
export interface RawResponse {
  status: number
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /** The body as text, at most `maxResponseBytes` of it. */
  body: string
}

/** Context for the message: which event, which attempt, and how to scrub server text. */
export interface ResponseErrorContext {
  event: string
  attempts: number
  clock: Clock
  /** Removes the API key from any text the server sent back (a proxy echoing headers, say). */
  redact: (text: string) => string
}

/** Headers that carry a request id, in order of preference. */
const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid', 'cf-ray'] as const

/** The request id of an answer, when a header gives one. */
export function requestIdOf(headers: RawResponse['headers']): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = firstHeader(headers, name)
    if (value !== undefined && value !== '') return value
  }
  return undefined
}

/** The first value of a header (undici gives arrays for repeated headers). */
function firstHeader(headers: RawResponse['headers'], name: string): string | undefined {
  const value = headers[name]
  return typeof value === 'string' ? value : value?.[0]
}

/** Refold's `message` of a success answer (`Webhook Fired Success`), or `""`. */
export function successMessage(body: string): string {
  // Refold answers every fire with the same text: parse it once, not on every fire.
  if (body === lastSuccess.body) return lastSuccess.message
  const message = readEnvelope(body).message ?? ''
  lastSuccess = { body, message }
  return message
}

/** The last success body read and its message (`""` reads as `""`). */
let lastSuccess = { body: '', message: '' }

/** The typed error for a non-2xx answer. */
export function errorFromResponse(response: RawResponse, context: ResponseErrorContext): RefoldError {
  const { status } = response
  const envelope = readEnvelope(response.body)
  const errorCode = envelope.code
  const serverMessage = envelope.message
  const details: RefoldErrorDetails = {
    status,
    errorCode: errorCode === undefined ? undefined : context.redact(errorCode),
    httpErrorType: envelope.httpErrorType,
    serverMessage: serverMessage === undefined ? undefined : context.redact(serverMessage),
    requestId: requestIdOf(response.headers),
    attempts: context.attempts,
    bodySnippet: !envelope.isJson && response.body !== '' ? context.redact(snippet(response.body)) : undefined,
  }
  const answered = describeAnswer(status, details, !envelope.isJson, response)
  const suffix = messageSuffix(details)

  if (status === 404 && errorCode === 'INVALID_EVENT') {
    return new InvalidEventError(
      `Refold has no event named "${context.event}" (${answered}). Names match exactly, case included: ` +
        `check the name in the Refold Console or run \`refold-events sync\`${suffix}`,
      context.event,
      details,
    )
  }
  const retryAfterMs = retryAfterOf((name) => firstHeader(response.headers, name), context.clock.now())
  if (isRateLimitRefusal(status, [errorCode, serverMessage, !envelope.isJson ? response.body.slice(0, 200) : undefined])) {
    const wait = retryAfterMs === undefined ? '' : `; Refold asked to wait ${retryAfterMs} ms`
    return new RateLimitError(`Refold rate limit reached (${answered})${wait}${suffix}`, retryAfterMs, details)
  }
  if (status === 401 || status === 403) {
    return new AuthenticationError(
      `Refold refused the API key (${answered}). Check REFOLD_API_KEY (or the apiKey option) and that the key ` +
        `belongs to this environment${suffix}`,
      details,
    )
  }
  if (status >= 500 && status <= 599) {
    return new RefoldServerError(
      `Refold failed to handle the event "${context.event}" (${answered}); it may or may not have been queued${suffix}`,
      retryAfterMs,
      details,
    )
  }
  return new RefoldHttpError(`Refold rejected the event "${context.event}" (${answered})${suffix}`, details)
}

/** `404 INVALID_EVENT: Trigger not found`, or `502, body was not JSON (text/html, 1543 bytes)`. */
function describeAnswer(status: number, details: RefoldErrorDetails, notJson: boolean, response: RawResponse): string {
  let text = String(status)
  if (details.errorCode !== undefined) text += ` ${details.errorCode}`
  if (details.serverMessage !== undefined) text += `: ${details.serverMessage}`
  if (notJson && response.body !== '') {
    const type = firstHeader(response.headers, 'content-type')?.split(';')[0]
    text += `, body was not Refold's JSON (${type === undefined ? '' : `${type}, `}${response.body.length} characters)`
  }
  return text
}

function messageSuffix(details: RefoldErrorDetails): string {
  let text = ''
  if (details.attempts !== undefined && details.attempts > 1) text += ` after ${details.attempts} attempts`
  if (details.requestId !== undefined) text += ` [request id ${details.requestId}]`
  return text
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}
