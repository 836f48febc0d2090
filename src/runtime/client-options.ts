/**
 * What a Refold client is configured with and what it promises: `ClientOptions` (with their
 * defaults, documented here and in the README), the `RefoldClient` interface generated code is
 * written against, and `FireResult`.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from './clock.js'
import type { PayloadValidationError } from './errors.js'
import type { FireArgs } from './fire-request.js'
import type { PayloadValidator } from './payload-validation.js'
import type { RateLimitOptions } from './rate-limiter.js'
import type { RetryOptions } from './retry-policy.js'
import type { Transport } from './transport.js'

/** How a client treats a payload its event's validator rejects. */
export type ValidateMode = 'error' | 'warn' | 'off'

/** Options of {@link createClient}; every one has a default. */
export interface ClientOptions {
  /** Refold API key. Default: `REFOLD_API_KEY`. Missing: the first `fire` rejects (not `createClient`). */
  apiKey?: string | undefined
  /**
   * Refold's base URL. Default: `REFOLD_BASE_URL`, else `https://app.refold.ai`. Must be https,
   * or http to a loopback address (a local emulator), or fires are refused.
   */
  baseUrl?: string | undefined
  /** Per attempt: the longest wait for Refold's complete answer, in ms. Default 10000. */
  timeoutMs?: number | undefined
  /** Retry rules (see `RetryOptions`); `false` sends each fire once. */
  retry?: RetryOptions | false | undefined
  /**
   * `'error'` (default): an invalid payload rejects with `PayloadValidationError`, nothing sent.
   * `'warn'`: it is reported to `onWarning` and sent anyway. `'off'`: validators are not run.
   */
  validate?: ValidateMode | undefined
  /**
   * Receives `'warn'`-mode reports. Default: one Node process warning
   * (`process.emitWarning`, code `REFOLD_INVALID_PAYLOAD`) per event name, then silence, so a
   * hot path with a bad payload does not flood stderr.
   */
  onWarning?: ((warning: RefoldWarning) => void) | undefined
  /**
   * Client-side token bucket. `true`: Refold's documented limit (20/s, bursts of 5).
   * Default: off (Refold's 429s are retried with their `Retry-After`).
   */
  rateLimit?: RateLimitOptions | boolean | undefined
  /** Another sender instead of undici (see `Transport`). */
  transport?: Transport | undefined
  /** An undici dispatcher (e.g. a `ProxyAgent`) instead of the client's own pool; not closed by `close()`. */
  dispatcher?: Dispatcher | undefined
  /** Header carrying `idempotencyKey`. Default `idempotency-key`. */
  idempotencyHeader?: string | undefined
  /** Response bodies are read up to this many bytes. Default 1 MiB. */
  maxResponseBytes?: number | undefined
  /** Most sockets open to Refold at once. Default 10. */
  connections?: number | undefined
  /** Where `REFOLD_API_KEY` / `REFOLD_BASE_URL` are read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Time source for backoff, `Retry-After` and the rate limiter. Default the system clock; tests pass a fake. */
  clock?: Clock | undefined
  /** Jitter source in `[0, 1)`. Default `Math.random`. */
  random?: (() => number) | undefined
}

/** A `'warn'`-mode report. */
export interface RefoldWarning {
  code: 'invalid_payload'
  event: string
  message: string
  error: PayloadValidationError
}

/** What a successful fire returns. */
export interface FireResult {
  /** HTTP status of Refold's answer (200). */
  status: number
  /** Refold's message (`Webhook Fired Success`), `""` when the answer had none. */
  message: string
  /** Request id from a response header, when present. */
  requestId?: string | undefined
  /** HTTP attempts made, the successful one included. */
  attempts: number
}

/** A Refold client: what generated `fire<Event>()` helpers call. */
export interface RefoldClient {
  /**
   * Validates `request.payload` with `validator` (per the client's `validate` option), then
   * POSTs the event, retrying per the client's rules. Rejects with a `RefoldError` subclass.
   */
  fire(request: FireArgs & { event: string }, validator?: PayloadValidator): Promise<FireResult>
  /** Waits for in-flight requests, then closes the connection pool. Later fires reject. */
  close(): Promise<void>
}

/** Defaults of {@link ClientOptions}, in one place. */
export const CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
  validate: 'error' as ValidateMode,
  idempotencyHeader: 'idempotency-key',
  maxResponseBytes: 1024 * 1024,
  connections: 10,
} as const

/** Throws a `TypeError` naming the option when a number option is not a positive number. */
export function positiveOption(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be ${integer ? 'a positive integer' : 'a positive number'}, got ${String(value)}`)
  }
  return value
}
