/**
 * Refold's error envelope, `{status_code, http_error_type, error_code|error, message}`
 * (DESIGN.md "Refold API facts"): written by the emulator, read by the runtime and the
 * management adapter. Refold's fire and workflow routes name the code `error_code` while its
 * events API names it `error` (see the trigger and create-event references).
 */

/** Which key carries the machine-readable code in the envelope. */
export type ErrorCodeKey = 'error_code' | 'error'

/** The JSON body of every error answer. */
export type ErrorEnvelope = {
  status_code: number
  http_error_type: string
  message: string
} & ({ error_code: string } | { error: string })

const HTTP_ERROR_TYPES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
}

/** The envelope for an error answer, with the code under `codeKey`. */
export function errorEnvelope(status: number, code: string, message: string, codeKey: ErrorCodeKey): ErrorEnvelope {
  const head = { status_code: status, http_error_type: HTTP_ERROR_TYPES[status] ?? 'ERROR' }
  return codeKey === 'error_code' ? { ...head, error_code: code, message } : { ...head, error: code, message }
}

/** What an answer's envelope says; every field undefined when the body is not one. */
export interface EnvelopeFields {
  /** `error_code` or `error`, whichever the route family uses. */
  code: string | undefined
  message: string | undefined
  /** `http_error_type` (or `error_type`, as some gateways write it). */
  httpErrorType: string | undefined
  /** Whether the body was a JSON object at all. */
  isJson: boolean
}

/** Read an answer body as an envelope (never throws; empty strings count as absent). */
export function readEnvelope(body: string): EnvelopeFields {
  const envelope = parseObject(body)
  return {
    code: stringField(envelope, 'error_code') ?? stringField(envelope, 'error'),
    message: stringField(envelope, 'message'),
    httpErrorType: stringField(envelope, 'http_error_type') ?? stringField(envelope, 'error_type'),
    isJson: envelope !== undefined,
  }
}

/** The body as a JSON object, or undefined when it is not one. */
function parseObject(body: string): Record<string, unknown> | undefined {
  // Cheap pre-check: most non-JSON bodies (HTML, plain text) fail here without a parse attempt.
  if (!body.trimStart().startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function stringField(envelope: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = envelope?.[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}
