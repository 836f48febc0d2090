/**
 * The runtime's only source of time. Backoff, `Retry-After` and the rate limiter all go through
 * a {@link Clock}, so tests can drive them with a fake clock and count requests instead of
 * asserting on wall-clock timing.
 */

/** Time as the runtime sees it. */
export interface Clock {
  /** Milliseconds since the Unix epoch (used for `Retry-After` HTTP dates and token refills). */
  now(): number
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // The timer stays referenced on purpose: a fire waiting to retry must keep the process alive,
  // or the event would be dropped without an error.
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}
