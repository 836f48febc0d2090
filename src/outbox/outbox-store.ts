/**
 * The port between the outbox and where its rows live. Two adapters implement it: the
 * embedded SQLite file (`sqlite-store.ts`) and the application's own Postgres
 * (`postgres-store.ts`). The relay and the `outbox` commands are written against this
 * interface only, so both stores get the same ordering, retry and dead-letter rules.
 */
import type {
  EnqueueResult,
  OutboxEntry,
  OutboxFailure,
  OutboxFilter,
  OutboxRecord,
  OutboxStatus,
  ProgressCallback,
} from './outbox-types.js'

/** The shared rate limit every relay on a store obeys together. */
export interface SharedRateLimit {
  /** Sustained requests per second, all relay instances together. */
  perSecond: number
  /** Requests that may start back to back. */
  burst: number
}

/** A store of durable fires. Every method is safe to call from several processes at once. */
export interface OutboxStore {
  /** `'sqlite'` or `'postgres'`, for messages. */
  readonly kind: 'sqlite' | 'postgres'
  /**
   * Writes one fire. `tx` is the caller's transaction handle (a `pg` client or pool inside
   * `BEGIN`, or a better-sqlite3 database inside `db.transaction()`); without it the row is
   * written and committed on its own. A row whose idempotency key exists is not written again.
   */
  enqueue(entry: OutboxEntry, tx?: unknown): Promise<EnqueueResult>
  /**
   * Leases up to `limit` fires that are due, at most one per linked account and only the
   * oldest unfinished one of that account, so each account's fires go out in creation order.
   * A lease that runs out (the relay died) makes the fire claimable again. Counts an attempt.
   */
  claim(options: { limit: number; leaseMs: number; owner: string }): Promise<OutboxRecord[]>
  /**
   * Refold answered 2xx for these fires (one statement for many: a commit per fire would
   * bound the relay by the database's fsync rate). Resolves with the ids actually marked; an id
   * missing from it lost its lease (another relay took the fire over).
   */
  markDelivered(ids: readonly number[], owner: string): Promise<number[]>
  /**
   * The attempt failed in a way worth retrying: back to `pending`, due after `delayMs`.
   * `countAttempt: false` gives the attempt back (a 429 is Refold pacing us, not the fire failing).
   */
  reschedule(id: number, owner: string, failure: OutboxFailure, delayMs: number, countAttempt: boolean): Promise<boolean>
  /** The fire failed permanently: parked as a dead letter with its last error. */
  bury(id: number, owner: string, failure: OutboxFailure): Promise<boolean>
  /**
   * Takes up to `wanted` tokens of the shared bucket. `granted` may be 0, then `waitMs` says
   * how long until the next token (or the end of a pause).
   */
  takeTokens(limit: SharedRateLimit, wanted: number): Promise<{ granted: number; waitMs: number }>
  /** Stops every relay on this store from sending for `ms` (Refold's `Retry-After` on a 429). */
  pauseSending(ms: number): Promise<void>
  /** Counts per state and per event. */
  status(): Promise<OutboxStatus>
  /** Reads rows (newest last), for `outbox status --dead` listings and tests. */
  list(filter: OutboxFilter & { state?: OutboxRecord['state'] | undefined; limit?: number | undefined }): Promise<OutboxRecord[]>
  /** Dead letters back to `pending` with a fresh attempt budget and the same idempotency key. */
  retry(filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number>
  /**
   * Fires delivered at or after `sinceMs` back to `pending`, to be sent again with a new
   * idempotency key (a replay is meant to run the workflows again).
   */
  replay(sinceMs: number, filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number>
  /**
   * Deletes fires delivered before `olderThanMs` (and dead letters created before it when
   * `dead` is true). Pending and in-flight fires are never pruned.
   */
  prune(olderThanMs: number, options: { dead: boolean }, onProgress?: ProgressCallback): Promise<number>
  /**
   * Calls `listener` after each fire this store object committed on its own (an enqueue without
   * `tx`), so a relay in the same process sends it at once instead of at its next poll. Fires
   * written in a caller's transaction commit later, unseen: the relay's poll finds them.
   * Returns the unsubscribe function.
   */
  onCommitted(listener: () => void): () => void
  /** Releases connections the store opened itself (never the caller's). */
  close(): Promise<void>
}

/** The listeners of {@link OutboxStore.onCommitted}, shared by both stores. */
export class CommitListeners {
  readonly #listeners = new Set<() => void>()

  add(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  notify(): void {
    for (const listener of this.#listeners) listener()
  }
}

/** Rows an operation changes per statement: bounds lock time and lets progress move. */
export const OPERATION_BATCH = 500

/** Default lease of a claimed fire: far above one attempt's timeout, so a live relay never loses it. */
export const DEFAULT_LEASE_MS = 60_000

/** The idempotency key sent for a row: the stored key, suffixed once it has been replayed. */
export function effectiveIdempotencyKey(record: Pick<OutboxRecord, 'idempotencyKey' | 'replays'>): string {
  return record.replays === 0 ? record.idempotencyKey : `${record.idempotencyKey}:replay-${record.replays}`
}

/** Splits `items` into chunks of `size`, for batched operations. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = []
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size))
  return result
}
