/**
 * Client-side token bucket, so a burst of fires stays under Refold's documented limit
 * (20 events per second, bursts of 5) instead of collecting 429s. Every HTTP attempt, retries
 * included, takes one token; a fire that finds the bucket empty waits its turn (first come,
 * first served) rather than failing.
 */
import type { Clock } from './clock.js'

/** `rateLimit` client option. `true` means Refold's documented limit. */
export interface RateLimitOptions {
  /** Sustained rate: tokens added per second. */
  perSecond: number
  /** Bucket size: how many requests may start back to back. Default `min(5, perSecond)`. */
  burst?: number
}

/** Refold's documented limit for firing events. */
export const REFOLD_RATE_LIMIT: Required<RateLimitOptions> = { perSecond: 20, burst: 5 }

/** A token bucket driven by a {@link Clock}. */
export class TokenBucket {
  readonly #perMs: number
  readonly #burst: number
  readonly #clock: Clock
  readonly #waiters: Array<() => void> = []
  #tokens: number
  #updatedAt: number
  #timerPending = false

  constructor(options: RateLimitOptions, clock: Clock) {
    const burst = options.burst ?? Math.min(5, Math.max(1, Math.floor(options.perSecond)))
    if (!(Number.isFinite(options.perSecond) && options.perSecond > 0)) {
      throw new TypeError(`rateLimit.perSecond must be a number > 0, got ${String(options.perSecond)}`)
    }
    if (!(Number.isInteger(burst) && burst >= 1)) {
      throw new TypeError(`rateLimit.burst must be an integer >= 1, got ${String(options.burst)}`)
    }
    this.#perMs = options.perSecond / 1000
    this.#burst = burst
    this.#clock = clock
    this.#tokens = burst
    this.#updatedAt = clock.now()
  }

  /**
   * Takes a token. Returns `undefined` when one was free (the hot path allocates nothing),
   * otherwise a promise that resolves when this caller's token is due.
   */
  take(): Promise<void> | undefined {
    this.#refill()
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1
      return undefined
    }
    return new Promise((resolve) => {
      this.#waiters.push(resolve)
      this.#schedule()
    })
  }

  /** Callers waiting for a token (for tests and metrics). */
  get waiting(): number {
    return this.#waiters.length
  }

  #refill(): void {
    const now = this.#clock.now()
    // A wall clock set backwards must not drain the bucket.
    const elapsed = Math.max(0, now - this.#updatedAt)
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs)
    this.#updatedAt = now
  }

  #schedule(): void {
    if (this.#timerPending) return
    this.#timerPending = true
    const wait = Math.max(1, Math.ceil((1 - this.#tokens) / this.#perMs))
    void this.#clock.sleep(wait).then(() => {
      this.#timerPending = false
      this.#refill()
      while (this.#waiters.length > 0 && this.#tokens >= 1) {
        this.#tokens -= 1
        this.#waiters.shift()?.()
      }
      if (this.#waiters.length > 0) this.#schedule()
    })
  }
}
