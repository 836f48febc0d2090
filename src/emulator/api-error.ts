/**
 * Refold's error envelope, `{status_code, http_error_type, error_code|error, message}`
 * (DESIGN.md "Refold API facts"). Refold's fire routes name the code `error_code` while
 * its events API names it `error` (see the trigger and create-event references), so each
 * error knows which key its route family uses.
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

/** An error answer: thrown by handlers, turned into the envelope by the request pipeline. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly headers: Record<string, string>
  /** Overrides the route's code key; unset means "whatever the route family uses". */
  readonly codeKey: ErrorCodeKey | undefined

  constructor(status: number, code: string, message: string, options: { headers?: Record<string, string>; codeKey?: ErrorCodeKey } = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.headers = options.headers ?? {}
    this.codeKey = options.codeKey
  }

  /** The envelope as Refold sends it, with the code under `codeKey`. */
  toEnvelope(codeKey: ErrorCodeKey): ErrorEnvelope {
    const head = { status_code: this.status, http_error_type: HTTP_ERROR_TYPES[this.status] ?? 'ERROR' }
    const key = this.codeKey ?? codeKey
    return key === 'error_code'
      ? { ...head, error_code: this.code, message: this.message }
      : { ...head, error: this.code, message: this.message }
  }
}

/** 400 with the generic validation code, for a body that parsed but is not what the route takes. */
export function invalidBody(message: string): ApiError {
  return new ApiError(400, 'INVALID_REQUEST_BODY', message)
}
