/**
 * Marks fires delivered in batches: deliveries that end within a few milliseconds of each
 * other share one statement (and one commit, one fsync). A relay that dies before the flush
 * loses nothing; those fires are sent again after their lease, with the same idempotency key.
 */
import type { OutboxStore } from './outbox-store.js'

interface Waiting {
  id: number
  owner: string
  resolve: (marked: boolean) => void
  reject: (error: unknown) => void
}

/** Collects delivered ids and writes them at most `delayMs` later, or once `maxSize` are waiting. */
export class DeliveredBatch {
  readonly #store: OutboxStore
  readonly #delayMs: number
  readonly #maxSize: number
  #waiting: Waiting[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(store: OutboxStore, delayMs: number, maxSize: number) {
    this.#store = store
    this.#delayMs = delayMs
    this.#maxSize = maxSize
  }

  /** Resolves `true` once marked, `false` when the lease `owner` was lost; rejects when the store failed. */
  mark(id: number, owner: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, owner, resolve, reject })
      if (this.#waiting.length >= this.#maxSize) this.#flush()
      else this.#timer ??= setTimeout(() => this.#flush(), this.#delayMs)
    })
  }

  #flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#waiting
    this.#waiting = []
    // One statement per lease (a claim), usually one or two per batch.
    const byOwner = new Map<string, Waiting[]>()
    for (const waiting of batch) byOwner.set(waiting.owner, [...(byOwner.get(waiting.owner) ?? []), waiting])
    for (const [owner, group] of byOwner) {
      this.#store
        .markDelivered(
          group.map((waiting) => waiting.id),
          owner,
        )
        .then(
          (marked) => {
            const done = new Set(marked)
            for (const waiting of group) waiting.resolve(done.has(waiting.id))
          },
          (error: unknown) => {
            for (const waiting of group) waiting.reject(error)
          },
        )
    }
  }
}
