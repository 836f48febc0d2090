/**
 * When a failed fire is tried again, and after how long.
 *
 * A fire is not idempotent: Refold queues every accepted request and runs its workflows, so
 * resending a request Refold may already have accepted can run them twice. By default the
 * runtime therefore only retries what Refold cannot have acted on:
 * - 429, or a 403 "Rate Limit Hit" (Refold rejected the request before queueing it),
 *   honouring `retry-after-ms` / `Retry-After` within `maxRetryAfterMs` and `maxAttempts`;
 * - a connection that failed before the request was written (refused, unreachable, connect
 *   timeout).
 * 5xx answers, timeouts and connections lost after sending are retried only when the fire has
 * an `idempotencyKey` (the workflow deduplicates on it) or the client opted in with
 * `retry: { unsafe: true }`.
 *
 * Delays use exponential backoff with full jitter (a uniform wait in `[0, min(max, base·2ⁿ)]`),
 * which spreads retries of many clients best; a `Retry-After` from Refold replaces it.
 */
import { NetworkError, RateLimitError, RefoldServerError, TimeoutError, type RefoldError } from './errors.js'
import { UNRESOLVED_HOST_CODES } from '../http/transport.js'

/** How `client.fire()` retries. `retry: false` turns retries off. */
export interface RetryOptions {
  /** Total HTTP attempts per fire, the first included. Default 3. */
  maxAttempts?: number
  /** Backoff base in ms: the n-th retry waits up to `baseDelayMs · 2ⁿ⁻¹`. Default 250. */
  baseDelayMs?: number
  /** Upper bound of one backoff wait in ms. Default 5000. */
  maxDelayMs?: number
  /**
   * The longest `Retry-After` the client waits for, in ms. A longer one is not waited for: the
   * `RateLimitError` is thrown at once with its `retryAfterMs`, so the caller can decide. Default 30000.
   */
  maxRetryAfterMs?: number
  /**
   * Also retry 5xx answers, timeouts and connections lost after sending, without an
   * `idempotencyKey`. Only safe when running an event's workflows twice is harmless. Default false.
   */
  unsafe?: boolean
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>

/** The policy used when the client is given no `retry` option. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  unsafe: false,
}

const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1 }

/** 5xx statuses that are worth another attempt; 501 or 505 will not change on retry. */
const TRANSIENT_SERVER_STATUSES = new Set([500, 502, 503, 504])

/** Resolves the `retry` client option, throwing a `TypeError` for nonsense values. */
export function resolveRetryPolicy(option: RetryOptions | false | undefined): RetryPolicy {
  if (option === false) return NO_RETRY
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...definedOnly(option ?? {}) }
  for (const key of ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = policy[key]
    if (!Number.isFinite(value) || value < 0 || (key === 'maxAttempts' && (value < 1 || !Number.isInteger(value)))) {
      throw new TypeError(`retry.${key} must be ${key === 'maxAttempts' ? 'an integer >= 1' : 'a number >= 0'}, got ${String(value)}`)
    }
  }
  return policy
}

/**
 * The wait in ms before attempt `attempt + 1`, or `undefined` when `error` (from attempt
 * `attempt`) must not be retried.
 */
export function retryDelay(
  error: RefoldError,
  attempt: number,
  policy: RetryPolicy,
  idempotent: boolean,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined
  if (error instanceof RateLimitError) {
    if (error.retryAfterMs === undefined) return backoff(attempt, policy, random)
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined
  }
  if (error instanceof NetworkError && !error.requestSent) {
    // A host name that does not resolve is a typo or a missing record: retrying only delays the error.
    if (error.networkCode !== undefined && UNRESOLVED_HOST_CODES.has(error.networkCode)) return undefined
    return backoff(attempt, policy, random)
  }

  const mayHaveRun =
    (error instanceof RefoldServerError && TRANSIENT_SERVER_STATUSES.has(error.status)) ||
    error instanceof TimeoutError ||
    (error instanceof NetworkError && error.requestSent)
  if (!mayHaveRun || !(idempotent || policy.unsafe)) return undefined
  if (error instanceof RefoldServerError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined
  }
  return backoff(attempt, policy, random)
}

/** Refold deduplicates an idempotency key for 5 minutes (workflow triggers with idempotency turned on). */
export const REFOLD_IDEMPOTENCY_WINDOW_MS = 5 * 60_000

/**
 * The longest a fire can keep retrying, from its first attempt to its last attempt's end:
 * every attempt's timeout plus the longest wait before each retry (a `Retry-After` up to
 * `maxRetryAfterMs`, else the backoff ceiling). A retry after Refold's 5-minute idempotency
 * window can run the workflows twice even with a key.
 */
export function retryHorizonMs(policy: RetryPolicy, timeoutMs: number): number {
  let total = policy.maxAttempts * timeoutMs
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
    total += Math.max(policy.maxRetryAfterMs, Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)))
  }
  return total
}

/** Full jitter: uniform in `[0, min(maxDelayMs, baseDelayMs · 2^(attempt-1))]`. */
function backoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

function definedOnly(options: RetryOptions): RetryOptions {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) if (value !== undefined) result[key] = value
  return result as RetryOptions
}
