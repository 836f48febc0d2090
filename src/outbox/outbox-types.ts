/**
 * Plain data of the transactional outbox: one row per durable fire, its states, and the
 * counts `outbox status` reports. Both stores (embedded SQLite and Postgres) speak these types,
 * so the relay and the CLI never know which one they hold.
 */

/**
 * Where a fire is in its life:
 * - `pending`: committed, waiting to be sent (possibly after a backoff, see `availableAt`);
 * - `in_flight`: a relay holds it under a lease and is sending it; an expired lease makes it
 *   claimable again (the relay died), so a fire is never stuck;
 * - `delivered`: Refold answered 2xx; never sent again unless replayed;
 * - `dead`: failed permanently (a 4xx Refold will answer again, or too many attempts); kept
 *   with its last error until `outbox retry` or `outbox prune --dead`.
 */
export type OutboxState = 'pending' | 'in_flight' | 'delivered' | 'dead'

/** What a caller's `outbox.fire()` writes: the fire request, serialised once. */
export interface OutboxEntry {
  event: string
  linkedAccountId: string
  slug: string | null
  configId: string | null
  instanceTag: string | null
  /** The payload as JSON text, exactly as it will be sent. */
  payloadJson: string
  /** Sent on every attempt, so a workflow that deduplicates on it runs once. */
  idempotencyKey: string
}

/** The last failure of a fire, as stored: enough to tell the user what Refold said. */
export interface OutboxFailure {
  /** The runtime error's class name (`RefoldServerError`, `InvalidEventError`, ...). */
  name: string
  message: string
  status?: number | undefined
  errorCode?: string | undefined
  requestId?: string | undefined
}

/** A stored fire. Times are epoch milliseconds. */
export interface OutboxRecord extends OutboxEntry {
  /** Creation order: increasing in the order rows were inserted. */
  id: number
  state: OutboxState
  /** HTTP attempts so far (reset by `outbox retry`). */
  attempts: number
  createdAt: number
  /** Not sent before this time (backoff, `Retry-After`). */
  availableAt: number
  deliveredAt: number | null
  lastError: OutboxFailure | null
  /** How often `outbox replay` re-queued it; part of the idempotency key of the replay. */
  replays: number
}

/** What an enqueue did. */
export interface EnqueueResult {
  id: number
  idempotencyKey: string
  /** True when a row with this idempotency key already existed: nothing new was written. */
  duplicate: boolean
}

/** Counts of one event (or of all events) per state. */
export interface OutboxCounts {
  pending: number
  inFlight: number
  delivered: number
  dead: number
  /** Age in ms of the oldest fire not yet delivered nor dead; null when there is none. */
  oldestAgeMs: number | null
}

/** What `outbox status` shows. */
export interface OutboxStatus {
  total: OutboxCounts
  /** Per event name, sorted by name. */
  events: Array<{ event: string } & OutboxCounts>
}

/** Which rows an operation (retry, replay, prune) touches. */
export interface OutboxFilter {
  /** Only this event. */
  event?: string | undefined
  /** Only these row ids. */
  ids?: readonly number[] | undefined
}

/** Reports how far a long operation got. */
export type ProgressCallback = (done: number, total: number) => void
