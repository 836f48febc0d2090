/**
 * `refold-events/outbox`: durable fires. Record a fire in the same transaction as the business
 * write (`createOutbox`), deliver it afterwards with a relay (`startRelay`), from an embedded
 * SQLite file or the application's Postgres. Loaded only by applications that use it; the store
 * drivers (`better-sqlite3`, `pg`) are optional and imported when a store is opened.
 */
export { createOutbox, type Outbox, type OutboxFireOptions, type OutboxOptions } from './create-outbox.js'
export { openSqliteStore, type SqliteDatabase, type SqliteStoreOptions } from './sqlite-store.js'
export { openPostgresStore, DEFAULT_POSTGRES_SCHEMA, type PostgresStoreOptions, type SqlQueryable } from './postgres-store.js'
export { openOutboxStore, DEFAULT_OUTBOX_FILE } from './open-store.js'
export { startRelay, type Relay, type RelayEvent, type RelayOptions, type RelayStats } from './relay.js'
export { DEFAULT_RELAY_RETRY, type RelayRetryOptions } from './delivery-decision.js'
export { effectiveIdempotencyKey, type OutboxStore, type SharedRateLimit } from './outbox-store.js'
export { OutboxError, type OutboxProblem } from './outbox-errors.js'
export type {
  EnqueueResult,
  OutboxCounts,
  OutboxEntry,
  OutboxFailure,
  OutboxFilter,
  OutboxRecord,
  OutboxState,
  OutboxStatus,
  ProgressCallback,
} from './outbox-types.js'
