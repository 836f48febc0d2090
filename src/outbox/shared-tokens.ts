/**
 * The relay's side of the rate limit stored with the fires: deliveries waiting to send ask
 * for a token; one request to the store at a time takes as many tokens as there are waiters,
 * so a relay costs the database one statement per batch of sends, not one per send. Tokens
 * are only ever taken for a delivery already waiting, and used at once, so no relay hoards
 * them and the bucket's bound holds for all relays together.
 */
import type { OutboxStore, SharedRateLimit } from './outbox-store.js'

/** Hands out tokens of the shared bucket to this relay's deliveries, first come first served. */
export class SharedTokens {
  readonly #store: OutboxStore
  readonly #limit: SharedRateLimit
  readonly #random: () => number
  readonly #onError: (error: unknown) => void
  readonly #waiters: Array<(granted: boolean) => void> = []
  #pumping = false
  #closed = false

  constructor(store: OutboxStore, limit: SharedRateLimit, random: () => number, onError: (error: unknown) => void) {
    this.#store = store
    this.#limit = limit
    this.#random = random
    this.#onError = onError
  }

  /** Resolves `true` once a token is this caller's, `false` when the relay is stopping. */
  take(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false)
    return new Promise((resolve) => {
      this.#waiters.push(resolve)
      // Started after the current task, so the deliveries of one claim share one take.
      if (this.#waiters.length === 1) queueMicrotask(() => void this.#pump())
    })
  }

  /** Every waiter gets `false`; later `take()` calls too. */
  close(): void {
    this.#closed = true
    for (const resolve of this.#waiters.splice(0)) resolve(false)
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    try {
      while (this.#waiters.length > 0 && !this.#closed) {
        let answer: { granted: number; waitMs: number }
        try {
          answer = await this.#store.takeTokens(this.#limit, this.#waiters.length)
        } catch (error) {
          this.#onError(error)
          answer = { granted: 0, waitMs: 250 }
        }
        for (let i = 0; i < answer.granted; i++) this.#waiters.shift()?.(true)
        if (answer.granted === 0) {
          // Jitter spreads relays told the same wait; capped so close() stays prompt.
          const wait = Math.min(1_000, answer.waitMs + Math.floor(this.#random() * Math.min(50, answer.waitMs)))
          await new Promise((resolve) => setTimeout(resolve, wait))
        }
      }
    } finally {
      this.#pumping = false
    }
  }
}
