/**
 * Errors of Refold's management APIs (events, workflows) as sync and pull meet them. One
 * class with the facts a caller decides on: the status and Refold's error code, whether
 * the request may have taken effect, and whether trying again can help. Messages are built
 * only from the method, path, status and Refold's envelope (scrubbed of the API key).
 */

/** Refold's error envelope fields, when the answer carried them. */
export interface RemoteErrorDetails {
  method: string
  path: string
  /** HTTP status; undefined when no answer arrived. */
  status?: number | undefined
  /** `error_code` (fire routes) or `error` (events API), e.g. `INVALID_EVENT_ID`. */
  code?: string | undefined
  serverMessage?: string | undefined
  /** Whether the request may have reached Refold and taken effect (a lost answer, a 5xx). */
  maybeApplied: boolean
  /** Whether another attempt can succeed (429, 5xx, network). */
  transient: boolean
  /** `Retry-After` in ms, when given. */
  retryAfterMs?: number | undefined
  attempts: number
  cause?: unknown
}

/** A failed call to Refold's events or workflow API. */
export class RemoteError extends Error {
  readonly method: string
  readonly path: string
  readonly status: number | undefined
  readonly code: string | undefined
  readonly serverMessage: string | undefined
  readonly maybeApplied: boolean
  readonly transient: boolean
  readonly retryAfterMs: number | undefined
  readonly attempts: number

  constructor(message: string, details: RemoteErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'RemoteError'
    this.method = details.method
    this.path = details.path
    this.status = details.status
    this.code = details.code
    this.serverMessage = details.serverMessage
    this.maybeApplied = details.maybeApplied
    this.transient = details.transient
    this.retryAfterMs = details.retryAfterMs
    this.attempts = details.attempts
  }
}

/** The remote answer was not what Refold's API documents (not JSON, wrong shape). */
export class RemoteProtocolError extends Error {
  constructor(method: string, path: string, problem: string) {
    super(`unexpected answer from ${method} ${path}: ${problem}`)
    this.name = 'RemoteProtocolError'
  }
}

/** An event cannot be written as planned because Refold holds something else under its name. */
export class RemoteConflictError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemoteConflictError'
  }
}

/** `GET /api/.../event (503 SERVICE_UNAVAILABLE: ...) after 6 attempts`. */
export function describeFailure(details: RemoteErrorDetails, what: string): string {
  let answer: string
  if (details.status === undefined) answer = what
  else {
    answer = String(details.status)
    if (details.code !== undefined) answer += ` ${details.code}`
    if (details.serverMessage !== undefined) answer += `: ${details.serverMessage}`
  }
  const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : ''
  return `${details.method} ${details.path} failed (${answer})${tries}`
}
