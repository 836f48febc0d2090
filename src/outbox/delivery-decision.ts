/**
 * What the relay does after a failed attempt (pure). It asks the runtime's retry policy
 * whether an error is retryable, with the fire treated as idempotent (every outbox row sends its
 * idempotency key), so the relay and `client.fire()` agree on what "retryable" means:
 * - Refold pacing us (429, or a 403 that says it is a rate limit): retry after its
 *   `Retry-After`, pause every relay for that long, and do not count the attempt;
 * - retryable errors (5xx 500/502/503/504, timeouts, network failures): retry with full-jitter
 *   backoff (never sooner than a `Retry-After`) until `maxAttempts`, then park as a dead letter;
 * - anything else Refold answers (4xx such as 404 `INVALID_EVENT`, 400, 401): a dead letter
 *   at once; retrying cannot change the answer until someone fixes the cause.
 */
import { AuthenticationError, RateLimitError, RefoldError } from '../runtime/errors.js'
import { retryDelay, type RetryPolicy } from '../runtime/retry-policy.js'
import type { OutboxFailure } from './outbox-types.js'

/** How hard the relay tries before a fire becomes a dead letter. */
export interface RelayRetryOptions {
  /** Attempts before a retryable failure is parked as a dead letter (429s not counted). Default 25. */
  maxAttempts?: number
  /** Backoff base: the n-th retry waits up to `baseDelayMs · 2ⁿ⁻¹`. Default 1000. */
  baseDelayMs?: number
  /** Longest backoff wait. Default 300000 (5 minutes). */
  maxDelayMs?: number
}

/** Defaults: 25 attempts with full-jitter waits up to 5 minutes ride out an outage of about 45 minutes on average. */
export const DEFAULT_RELAY_RETRY: Required<RelayRetryOptions> = { maxAttempts: 25, baseDelayMs: 1_000, maxDelayMs: 300_000 }

/** The relay's next step for a failed fire. */
export type DeliveryDecision =
  | { action: 'retry'; delayMs: number; countAttempt: boolean; pauseAllMs: number | undefined }
  | { action: 'dead'; reason: 'permanent' | 'too_many_attempts' }

/** Decides after attempt number `attempts` (1-based, as stored) failed with `error`. */
export function decideAfterFailure(
  error: unknown,
  attempts: number,
  options: Required<RelayRetryOptions>,
  random: () => number,
): DeliveryDecision {
  if (isRateLimited(error)) {
    const wait = (error as { retryAfterMs?: number }).retryAfterMs ?? backoff(attempts, options, random)
    return { action: 'retry', delayMs: wait, countAttempt: false, pauseAllMs: wait }
  }
  if (!(error instanceof RefoldError)) {
    // A bug or an unexpected failure of our side: never a reason to drop the fire.
    return attempts >= options.maxAttempts ? { action: 'dead', reason: 'too_many_attempts' } : retry(backoff(attempts, options, random))
  }
  const policy: RetryPolicy = {
    maxAttempts: Number.MAX_SAFE_INTEGER,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    maxRetryAfterMs: Number.POSITIVE_INFINITY,
    unsafe: false,
  }
  const delay = retryDelay(error, attempts, policy, true, random)
  if (delay === undefined) return { action: 'dead', reason: 'permanent' }
  if (attempts >= options.maxAttempts) return { action: 'dead', reason: 'too_many_attempts' }
  // A 503's Retry-After is a floor, not a schedule: waiting exactly 1 s each time would spend
  // the whole attempt budget in the first half minute of an outage.
  return retry(Math.max(delay, backoff(attempts, options, random)))
}

/**
 * A 429, or a 403 whose envelope says rate limit: Refold has answered its documented limit with
 * a 403 on some routes, and such a fire is not broken.
 */
export function isRateLimited(error: unknown): boolean {
  if (error instanceof RateLimitError) return true
  if (!(error instanceof AuthenticationError) || error.status !== 403) return false
  const text = `${error.errorCode ?? ''} ${error.httpErrorType ?? ''} ${error.serverMessage ?? ''}`.toLowerCase()
  return /rate.?limit|too.?many.?requests|throttl/.test(text)
}

/** The stored form of an error: what Refold said, never the key or the request headers. */
export function failureOf(error: unknown, reason?: string): OutboxFailure {
  const prefix = reason === undefined ? '' : `${reason}: `
  if (error instanceof RefoldError) {
    return {
      name: error.name,
      message: prefix + error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.errorCode === undefined ? {} : { errorCode: error.errorCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    }
  }
  const name = error instanceof Error ? error.name : 'Error'
  return { name, message: prefix + (error instanceof Error ? error.message : String(error)) }
}

/** Resolves relay retry options, throwing a `TypeError` naming a nonsense value. */
export function resolveRelayRetry(options: RelayRetryOptions = {}): Required<RelayRetryOptions> {
  const resolved = { ...DEFAULT_RELAY_RETRY }
  for (const key of ['maxAttempts', 'baseDelayMs', 'maxDelayMs'] as const) {
    const value = options[key]
    if (value === undefined) continue
    if (!Number.isFinite(value) || value < 0 || (key === 'maxAttempts' && (!Number.isInteger(value) || value < 1))) {
      throw new TypeError(`retry.${key} must be ${key === 'maxAttempts' ? 'an integer >= 1' : 'a number >= 0'}, got ${String(value)}`)
    }
    resolved[key] = value
  }
  return resolved
}

function retry(delayMs: number): DeliveryDecision {
  return { action: 'retry', delayMs, countAttempt: true, pauseAllMs: undefined }
}

function backoff(attempts: number, options: Required<RelayRetryOptions>, random: () => number): number {
  return Math.floor(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1)))
}
