/**
 * The typed errors `client.fire()` rejects with. One base class, {@link RefoldError}, so a caller
 * can catch everything from the runtime at once, and one subclass per thing a caller would handle
 * differently: fix the event name, fix the key, slow down, retry later, fix the payload.
 *
 * None of them ever holds the API key or the request headers: an error is built only from the
 * status, Refold's error envelope and the request id (see "Errors" in the README).
 */
import { inspect } from 'node:util'

/** Refold's error envelope fields, as far as the answer carried them. */
export interface RefoldErrorDetails {
  /** HTTP status of Refold's answer; absent when no answer arrived. */
  status?: number | undefined
  /** Refold's `error_code` (or the older `error`), e.g. `INVALID_EVENT`. */
  errorCode?: string | undefined
  /** Refold's `http_error_type` (or `error_type`), e.g. `NOT_FOUND`. */
  httpErrorType?: string | undefined
  /** Refold's `message`, e.g. `Trigger not found`. */
  serverMessage?: string | undefined
  /** Request id from a response header (`x-request-id` and similar), for Refold support. */
  requestId?: string | undefined
  /** HTTP attempts made before giving up (0 when the error came before anything was sent). */
  attempts?: number | undefined
  /** The first 200 characters of a body that was not Refold's JSON envelope (an HTML 502 page). */
  bodySnippet?: string | undefined
  /** The lower-level error, when there is one (a socket error, say). */
  cause?: unknown
}

/** Base class of every error the runtime throws. */
export class RefoldError extends Error {
  readonly status: number | undefined
  readonly errorCode: string | undefined
  readonly httpErrorType: string | undefined
  readonly serverMessage: string | undefined
  readonly requestId: string | undefined
  readonly attempts: number
  readonly bodySnippet: string | undefined

  constructor(message: string, details: RefoldErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.status = details.status
    this.errorCode = details.errorCode
    this.httpErrorType = details.httpErrorType
    this.serverMessage = details.serverMessage
    this.requestId = details.requestId
    this.attempts = details.attempts ?? 0
    this.bodySnippet = details.bodySnippet
  }

  /** The defined fields only, for loggers that serialise errors with `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...definedFields(this) }
  }

  /** Keeps `util.inspect` output to the message and the defined fields (no `undefined` noise). */
  [inspect.custom](_depth: number, options: { stylize?: unknown }): string {
    const fields = definedFields(this)
    const stack = this.stack ?? `${this.name}: ${this.message}`
    const causeLine = this.cause instanceof Error ? `\n  [cause]: ${this.cause.name}: ${this.cause.message}` : ''
    return Object.keys(fields).length === 0
      ? stack + causeLine
      : `${stack} ${inspect(fields, { ...options, depth: 2 } as Parameters<typeof inspect>[1])}${causeLine}`
  }
}

/** Any HTTP answer that was not a success; thrown as-is for 3xx and 4xx without a subclass. */
export class RefoldHttpError extends RefoldError {
  declare readonly status: number
}

/** 404 `INVALID_EVENT`: no event with this exact name (names are case-sensitive). */
export class InvalidEventError extends RefoldHttpError {
  /** The event name that was fired. */
  readonly event: string
  constructor(message: string, event: string, details: RefoldErrorDetails) {
    super(message, details)
    this.event = event
  }
}

/** 401 or 403: the API key is missing, wrong, or not allowed for this call. */
export class AuthenticationError extends RefoldHttpError {}

/** 429: Refold's rate limit. `retryAfterMs` is the wait Refold asked for, when it said. */
export class RateLimitError extends RefoldHttpError {
  readonly retryAfterMs: number | undefined
  constructor(message: string, retryAfterMs: number | undefined, details: RefoldErrorDetails) {
    super(message, details)
    this.retryAfterMs = retryAfterMs
  }
}

/** 5xx: Refold (or a proxy in front of it) failed. The event may or may not have been queued. */
export class RefoldServerError extends RefoldHttpError {
  /** `Retry-After` of a 503, when given. */
  readonly retryAfterMs: number | undefined
  constructor(message: string, retryAfterMs: number | undefined, details: RefoldErrorDetails) {
    super(message, details)
    this.retryAfterMs = retryAfterMs
  }
}

/** No complete answer within `timeoutMs`. The request was sent, so Refold may have queued it. */
export class TimeoutError extends RefoldError {
  readonly timeoutMs: number
  constructor(message: string, timeoutMs: number, details: RefoldErrorDetails) {
    super(message, details)
    this.timeoutMs = timeoutMs
  }
}

/** The connection failed. `requestSent` tells whether Refold can have seen the request. */
export class NetworkError extends RefoldError {
  /**
   * `false` only when the connection failed before a byte of the request was written
   * (connection refused, unreachable host, connect timeout): Refold cannot have run anything.
   */
  readonly requestSent: boolean
  /** The system or undici error code, e.g. `ECONNREFUSED`, `UND_ERR_SOCKET`. */
  readonly networkCode: string | undefined
  constructor(message: string, requestSent: boolean, networkCode: string | undefined, details: RefoldErrorDetails) {
    super(message, details)
    this.requestSent = requestSent
    this.networkCode = networkCode
  }
}

/** One failing place in a payload. */
export interface PayloadIssue {
  /** JSON Pointer to the failing value (`/address/zip`); `""` is the payload itself. */
  path: string
  /** What is wrong there, e.g. `is required`, `must be string`. */
  message: string
  /** The JSON Schema keyword that failed (`required`, `type`, `format`, ...). */
  keyword: string
  /** The validator's parameters for that keyword. */
  params: Record<string, unknown>
}

/** The payload does not match the event's schema; nothing was sent. Lists every failing path. */
export class PayloadValidationError extends RefoldError {
  readonly event: string
  readonly issues: readonly PayloadIssue[]
  constructor(event: string, issues: readonly PayloadIssue[]) {
    const lines = issues.map((issue) => `  ${issue.path === '' ? '(payload)' : issue.path}: ${issue.message}`)
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
    super(`Payload for event "${event}" does not match its schema (${count}); nothing was sent:\n${lines.join('\n')}`)
    this.event = event
    this.issues = issues
  }
}

/** Why a client could not send: a problem in its options, its environment or the arguments. */
export type ConfigurationProblem =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'invalid_base_url'
  | 'insecure_base_url'
  | 'invalid_argument'
  | 'client_closed'
  | 'invalid_validate_mode'

/** A problem on the caller's side, found before anything was sent. */
export class RefoldConfigurationError extends RefoldError {
  readonly problem: ConfigurationProblem
  constructor(problem: ConfigurationProblem, message: string) {
    super(message)
    this.problem = problem
  }
}

const FIELD_NAMES = [
  'status',
  'errorCode',
  'httpErrorType',
  'serverMessage',
  'requestId',
  'attempts',
  'retryAfterMs',
  'timeoutMs',
  'requestSent',
  'networkCode',
  'event',
  'issues',
  'problem',
  'reason',
  'problems',
  'bodySnippet',
] as const

function definedFields(error: RefoldError): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  const record = error as unknown as Record<string, unknown>
  for (const name of FIELD_NAMES) {
    const value = record[name]
    if (value !== undefined) fields[name] = value
  }
  return fields
}
