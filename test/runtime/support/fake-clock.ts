/**
 * Clocks for runtime tests: {@link InstantClock} records each requested wait and lets it pass
 * at once (retry tests count requests and check the waits asked for); {@link ManualClock}
 * holds waits until the test advances time (rate-limiter tests).
 */
import type { Clock } from '../../../src/runtime/index.js'

/** Every `sleep` resolves immediately and advances `now` by its duration. */
export class InstantClock implements Clock {
  time = 1_700_000_000_000
  readonly sleeps: number[] = []
  now(): number {
    return this.time
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
    return Promise.resolve()
  }
}

/** `sleep` resolves only when `advance` moves time past its deadline. */
export class ManualClock implements Clock {
  time = 1_700_000_000_000
  readonly #pending: Array<{ at: number; resolve: () => void }> = []
  now(): number {
    return this.time
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#pending.push({ at: this.time + ms, resolve }))
  }
  /** Moves time forward and wakes every sleeper whose deadline passed, earliest first. */
  advance(ms: number): void {
    this.time += ms
    const due = this.#pending.filter((entry) => entry.at <= this.time).sort((a, b) => a.at - b.at)
    for (const entry of due) {
      this.#pending.splice(this.#pending.indexOf(entry), 1)
      entry.resolve()
    }
  }
}

/** An API key that is easy to search for in any output. */
export const TEST_KEY = 'tk_live_SECRET_9f8e7d6c5b4a'
