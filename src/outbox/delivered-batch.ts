/**
 * Marks fires delivered in batches: deliveries that end within a few milliseconds of each
 * other share one statement (and one commit, one fsync). A relay that dies before the flush
 * loses nothing; those fires are sent again after their lease, with the same idempotency key.
 */
import type { OutboxStore } from './outbox-store.js'

interface Waiting {
  id: number
  resolve: (marked: boolean) => void
  reject: (error: unknown) => void
}

/** Collects delivered ids and writes them at most `delayMs` later, or once `maxSize` are waiting. */
export class DeliveredBatch {
  readonly #store: OutboxStore
  readonly #owner: string
  readonly #delayMs: number
  readonly #maxSize: number
  #waiting: Waiting[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(store: OutboxStore, owner: string, delayMs: number, maxSize: number) {
    this.#store = store
    this.#owner = owner
    this.#delayMs = delayMs
    this.#maxSize = maxSize
  }

  /** Resolves `true` once marked, `false` when the lease was lost; rejects when the store failed. */
  mark(id: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, resolve, reject })
      if (this.#waiting.length >= this.#maxSize) this.#flush()
      else this.#timer ??= setTimeout(() => this.#flush(), this.#delayMs)
    })
  }

  #flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#waiting
    this.#waiting = []
    if (batch.length === 0) return
    this.#store
      .markDelivered(
        batch.map((waiting) => waiting.id),
        this.#owner,
      )
      .then(
        (marked) => {
          const done = new Set(marked)
          for (const waiting of batch) waiting.resolve(done.has(waiting.id))
        },
        (error: unknown) => {
          for (const waiting of batch) waiting.reject(error)
        },
      )
  }
}
