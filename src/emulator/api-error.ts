/**
 * An error answer of the emulator, written as Refold's error envelope (src/wire): each error
 * knows which code key its route family uses.
 */
import { type ErrorCodeKey, type ErrorEnvelope, errorEnvelope } from '../wire/error-envelope.js'

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
    return errorEnvelope(this.status, this.code, this.message, this.codeKey ?? codeKey)
  }
}

/** 400 with the generic validation code, for a body that parsed but is not what the route takes. */
export function invalidBody(message: string): ApiError {
  return new ApiError(400, 'INVALID_REQUEST_BODY', message)
}
