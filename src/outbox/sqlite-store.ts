/**
 * The embedded outbox store: one SQLite file through better-sqlite3 (an optional dependency,
 * loaded only when this store is opened). For single-process apps and local development, and
 * for a separate `refold-events relay` process on the same machine (SQLite's file locks).
 *
 * Durability: WAL journal with `synchronous = FULL`, so a fire is on disk (fsynced) when the
 * insert returns; kill -9 of the app or the relay, or a power cut, loses no committed fire.
 * Times are epoch milliseconds from the processes' clock (one machine, one clock).
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { importDriver, OutboxError } from './outbox-errors.js'
import { CommitListeners, chunks, OPERATION_BATCH, type OutboxStore, type SharedRateLimit } from './outbox-store.js'
import { summarise, type StateCountRow } from './outbox-status.js'
import type {
  EnqueueResult,
  OutboxEntry,
  OutboxFailure,
  OutboxFilter,
  OutboxRecord,
  OutboxState,
  OutboxStatus,
  ProgressCallback,
} from './outbox-types.js'

/** The parts of a better-sqlite3 `Database` the store uses (so its types are not required). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement
  exec(sql: string): unknown
  pragma(source: string, options?: { simple?: boolean }): unknown
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { (...args: A): R; immediate(...args: A): R }
  close(): unknown
  readonly name: string
  readonly open: boolean
}

interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint }
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** The outbox file (created with its folder when missing). May be the app's own SQLite file. */
  file: string
  /** How long a writer waits for another process's lock, in ms. Default 10000. */
  busyTimeoutMs?: number
  /**
   * `'full'` (default): each commit is fsynced, so a fire survives a power cut as well as kill -9.
   * `'normal'`: WAL's normal mode, which still survives kill -9 of any process (the OS keeps the
   * written pages) but may lose the last commits on power loss or an OS crash; several times faster.
   */
  synchronous?: 'full' | 'normal'
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS refold_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL,
  linked_account_id TEXT NOT NULL,
  slug TEXT,
  config_id TEXT,
  instance_tag TEXT,
  payload TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  lease_owner TEXT,
  delivered_at INTEGER,
  last_error TEXT,
  replays INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS refold_outbox_open ON refold_outbox (linked_account_id, id) WHERE state IN ('pending', 'in_flight');
CREATE INDEX IF NOT EXISTS refold_outbox_open_by_id ON refold_outbox (id) WHERE state IN ('pending', 'in_flight');
CREATE INDEX IF NOT EXISTS refold_outbox_state ON refold_outbox (state, event);
CREATE TABLE IF NOT EXISTS refold_outbox_rate (
  name TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  paused_until INTEGER NOT NULL DEFAULT 0
);
`

/** The insert every enqueue runs; also the benchmark's baseline row. */
const SQLITE_INSERT =
  'INSERT INTO refold_outbox (event, linked_account_id, slug, config_id, instance_tag, payload, idempotency_key, created_at, available_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING'

/** Opens (and creates) the embedded store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<OutboxStore> {
  const driver = await importDriver<{ default: new (file: string, options?: { timeout?: number }) => SqliteDatabase }>(
    'better-sqlite3',
    'The embedded outbox store',
  )
  const file = resolve(options.file)
  let db: SqliteDatabase
  try {
    mkdirSync(dirname(file), { recursive: true })
    db = new driver.default(file, { timeout: options.busyTimeoutMs ?? 10_000 })
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
    db.exec(SCHEMA)
  } catch (error) {
    throw new OutboxError('store_unavailable', `cannot open the outbox file ${options.file}: ${(error as Error).message}`, { cause: error })
  }
  return new SqliteStore(db)
}

class SqliteStore implements OutboxStore {
  readonly kind = 'sqlite' as const
  readonly #db: SqliteDatabase
  readonly #inserts = new WeakMap<SqliteDatabase, SqliteStatement>()
  readonly #byKey: SqliteStatement
  readonly #statements = new Map<string, SqliteStatement>()
  readonly #committed = new CommitListeners()

  constructor(db: SqliteDatabase) {
    this.#db = db
    this.#inserts.set(db, db.prepare(SQLITE_INSERT))
    this.#byKey = db.prepare('SELECT id FROM refold_outbox WHERE idempotency_key = ?')
  }

  /** A prepared statement per SQL text, prepared once: the relay runs the same few on every claim. */
  #sql(text: string): SqliteStatement {
    let statement = this.#statements.get(text)
    if (statement === undefined) {
      statement = this.#db.prepare(text)
      this.#statements.set(text, statement)
    }
    return statement
  }

  /** Synchronous inside: with the embedded store the row is written before `enqueue` returns. */
  enqueue(entry: OutboxEntry, tx?: unknown): Promise<EnqueueResult> {
    try {
      const db = tx === undefined ? this.#db : sqliteHandle(tx)
      let insert = this.#inserts.get(db)
      if (insert === undefined) {
        insert = db.prepare(SQLITE_INSERT)
        this.#inserts.set(db, insert)
      }
      const now = Date.now()
      const { changes, lastInsertRowid } = insert.run(
        entry.event,
        entry.linkedAccountId,
        entry.slug,
        entry.configId,
        entry.instanceTag,
        entry.payloadJson,
        entry.idempotencyKey,
        now,
        now,
      )
      if (changes === 1) {
        if (tx === undefined) this.#committed.notify()
        return Promise.resolve({ id: Number(lastInsertRowid), idempotencyKey: entry.idempotencyKey, duplicate: false })
      }
      const existing = (db === this.#db ? this.#byKey : db.prepare('SELECT id FROM refold_outbox WHERE idempotency_key = ?')).get(
        entry.idempotencyKey,
      ) as { id: number }
      return Promise.resolve({ id: existing.id, idempotencyKey: entry.idempotencyKey, duplicate: true })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async claim({ limit, leaseMs, owner }: { limit: number; leaseMs: number; owner: string }): Promise<OutboxRecord[]> {
    const select = this.#sql(
      `SELECT * FROM refold_outbox o INDEXED BY refold_outbox_open_by_id WHERE o.state IN ('pending', 'in_flight') AND o.available_at <= ?
         AND NOT EXISTS (SELECT 1 FROM refold_outbox e WHERE e.linked_account_id = o.linked_account_id AND e.id < o.id AND e.state IN ('pending', 'in_flight'))
       ORDER BY o.id LIMIT ?`,
    )
    const lease = this.#sql(
      "UPDATE refold_outbox SET state = 'in_flight', attempts = attempts + 1, lease_owner = ?, available_at = ? WHERE id = ?",
    )
    const run = this.#db.transaction(() => {
      const now = Date.now()
      const rows = select.all(now, limit) as SqliteRow[]
      for (const row of rows) {
        lease.run(owner, now + leaseMs, row.id)
        row.state = 'in_flight'
        row.attempts += 1
        row.available_at = now + leaseMs
      }
      return rows
    })
    return run.immediate().map(toRecord)
  }

  async markDelivered(ids: readonly number[], owner: string): Promise<number[]> {
    const mark = this.#sql(
      "UPDATE refold_outbox SET state = 'delivered', delivered_at = ?, lease_owner = NULL WHERE id = ? AND lease_owner = ? AND state = 'in_flight'",
    )
    return this.#db.transaction(() => {
      const now = Date.now()
      return ids.filter((id) => mark.run(now, id, owner).changes === 1)
    })()
  }

  async reschedule(id: number, owner: string, failure: OutboxFailure, delayMs: number, countAttempt: boolean): Promise<boolean> {
    const result = this.#sql(
      "UPDATE refold_outbox SET state = 'pending', lease_owner = NULL, available_at = ?, last_error = ?, attempts = attempts - ? " +
        "WHERE id = ? AND lease_owner = ? AND state = 'in_flight'",
    ).run(Date.now() + delayMs, JSON.stringify(failure), countAttempt ? 0 : 1, id, owner)
    return result.changes === 1
  }

  async bury(id: number, owner: string, failure: OutboxFailure): Promise<boolean> {
    const result = this.#sql(
      "UPDATE refold_outbox SET state = 'dead', lease_owner = NULL, last_error = ? WHERE id = ? AND lease_owner = ? AND state = 'in_flight'",
    ).run(JSON.stringify(failure), id, owner)
    return result.changes === 1
  }

  async takeTokens(limit: SharedRateLimit, wanted: number): Promise<{ granted: number; waitMs: number }> {
    const read = this.#sql('SELECT tokens, updated_at, paused_until FROM refold_outbox_rate WHERE name = ?')
    const write = this.#sql(
      'INSERT INTO refold_outbox_rate (name, tokens, updated_at, paused_until) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at',
    )
    return this.#db
      .transaction(() => {
        const now = Date.now()
        const row = read.get('fire') as { tokens: number; updated_at: number; paused_until: number } | undefined
        const pausedUntil = row?.paused_until ?? 0
        // A clock reading older than the row's never refills (a clock set back must not mint tokens).
        const elapsed = row === undefined ? 0 : Math.max(0, now - row.updated_at)
        const available = row === undefined ? limit.burst : Math.min(limit.burst, row.tokens + (elapsed / 1000) * limit.perSecond)
        const updatedAt = Math.max(now, row?.updated_at ?? now)
        const granted = now < pausedUntil ? 0 : Math.max(0, Math.min(wanted, Math.floor(available)))
        write.run('fire', available - granted, updatedAt, pausedUntil)
        if (granted > 0) return { granted, waitMs: 0 }
        const waitMs = now < pausedUntil ? pausedUntil - now : Math.max(1, Math.ceil(((1 - available) / limit.perSecond) * 1000))
        return { granted: 0, waitMs }
      })
      .immediate()
  }

  async pauseSending(ms: number): Promise<void> {
    const now = Date.now()
    this.#sql(
      'INSERT INTO refold_outbox_rate (name, tokens, updated_at, paused_until) VALUES (?, 0, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET paused_until = max(paused_until, excluded.paused_until)',
    ).run('fire', now, now + ms)
  }

  async status(): Promise<OutboxStatus> {
    const rows = this.#db
      .prepare('SELECT event, state, count(*) AS count, min(created_at) AS oldest FROM refold_outbox GROUP BY event, state')
      .all() as Array<{ event: string; state: OutboxState; count: number; oldest: number }>
    const now = Date.now()
    return summarise(
      rows.map((row): StateCountRow => ({ event: row.event, state: row.state, count: row.count, oldestAgeMs: now - row.oldest })),
    )
  }

  async list(filter: OutboxFilter & { state?: OutboxState | undefined; limit?: number | undefined }): Promise<OutboxRecord[]> {
    const { where, params } = filterSql(
      filter,
      filter.state === undefined ? [] : [`state = ?`],
      filter.state === undefined ? [] : [filter.state],
    )
    const rows = this.#db
      .prepare(`SELECT * FROM (SELECT * FROM refold_outbox ${where} ORDER BY id DESC LIMIT ?) ORDER BY id`)
      .all(...params, filter.limit ?? -1) as SqliteRow[]
    return rows.map(toRecord)
  }

  async retry(filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number> {
    return this.#batched(
      filter,
      ["state = 'dead'"],
      [],
      "state = 'pending', attempts = 0, available_at = ?, lease_owner = NULL",
      () => [Date.now()],
      onProgress,
    )
  }

  async replay(sinceMs: number, filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number> {
    return this.#batched(
      filter,
      ["state = 'delivered'", 'delivered_at >= ?'],
      [sinceMs],
      "state = 'pending', attempts = 0, available_at = ?, delivered_at = NULL, replays = replays + 1, lease_owner = NULL",
      () => [Date.now()],
      onProgress,
    )
  }

  async prune(olderThanMs: number, options: { dead: boolean }, onProgress?: ProgressCallback): Promise<number> {
    const condition = options.dead
      ? "((state = 'delivered' AND delivered_at < ?) OR (state = 'dead' AND created_at < ?))"
      : "(state = 'delivered' AND delivered_at < ?)"
    const ids = (
      this.#db
        .prepare(`SELECT id FROM refold_outbox WHERE ${condition} ORDER BY id`)
        .all(...(options.dead ? [olderThanMs, olderThanMs] : [olderThanMs])) as Array<{ id: number }>
    ).map((row) => row.id)
    let done = 0
    for (const batch of chunks(ids, OPERATION_BATCH)) {
      // The state is checked again: a row replayed since the listing is no longer prunable.
      done += this.#db
        .prepare(`DELETE FROM refold_outbox WHERE id IN (${batch.map(() => '?').join(', ')}) AND ${condition}`)
        .run(...batch, ...(options.dead ? [olderThanMs, olderThanMs] : [olderThanMs])).changes
      onProgress?.(done, ids.length)
    }
    return done
  }

  onCommitted(listener: () => void): () => void {
    return this.#committed.add(listener)
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }

  /** Lists the matching ids, then updates them in batches (re-checking the condition), reporting progress. */
  #batched(
    filter: OutboxFilter,
    conditions: string[],
    conditionParams: unknown[],
    set: string,
    setParams: () => unknown[],
    onProgress?: ProgressCallback,
  ): Promise<number> {
    const { where, params } = filterSql(filter, conditions, conditionParams)
    const ids = (this.#db.prepare(`SELECT id FROM refold_outbox ${where} ORDER BY id`).all(...params) as Array<{ id: number }>).map(
      (row) => row.id,
    )
    let done = 0
    for (const batch of chunks(ids, OPERATION_BATCH)) {
      const sql = `UPDATE refold_outbox SET ${set} WHERE id IN (${batch.map(() => '?').join(', ')}) AND ${conditions.join(' AND ')}`
      done += this.#db.prepare(sql).run(...setParams(), ...batch, ...conditionParams).changes
      onProgress?.(done, ids.length)
    }
    return Promise.resolve(done)
  }
}

interface SqliteRow {
  id: number
  event: string
  linked_account_id: string
  slug: string | null
  config_id: string | null
  instance_tag: string | null
  payload: string
  idempotency_key: string
  state: OutboxState
  attempts: number
  created_at: number
  available_at: number
  delivered_at: number | null
  last_error: string | null
  replays: number
}

function toRecord(row: SqliteRow): OutboxRecord {
  return {
    id: row.id,
    event: row.event,
    linkedAccountId: row.linked_account_id,
    slug: row.slug,
    configId: row.config_id,
    instanceTag: row.instance_tag,
    payloadJson: row.payload,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: row.attempts,
    createdAt: row.created_at,
    availableAt: row.available_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as OutboxFailure),
    replays: row.replays,
  }
}

function filterSql(filter: OutboxFilter, conditions: string[], params: unknown[]): { where: string; params: unknown[] } {
  const all = [...conditions]
  const values = [...params]
  if (filter.event !== undefined) {
    all.push('event = ?')
    values.push(filter.event)
  }
  if (filter.ids !== undefined) {
    all.push(filter.ids.length === 0 ? '0' : `id IN (${filter.ids.map(() => '?').join(', ')})`)
    values.push(...filter.ids)
  }
  return { where: all.length === 0 ? '' : `WHERE ${all.join(' AND ')}`, params: values }
}

/** The caller's `tx` for the embedded store: a better-sqlite3 database on the outbox file. */
function sqliteHandle(tx: unknown): SqliteDatabase {
  const candidate = tx as Partial<SqliteDatabase> | null
  if (typeof candidate?.prepare !== 'function' || typeof candidate.transaction !== 'function') {
    throw new OutboxError(
      'invalid_argument',
      'tx must be a better-sqlite3 Database opened on the outbox file (call fire() inside db.transaction())',
    )
  }
  return candidate as SqliteDatabase
}
