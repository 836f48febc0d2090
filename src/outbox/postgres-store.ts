/**
 * The Postgres outbox store: the fires live in the application's own database, so
 * `outbox.fire(..., { tx })` writes its row in the caller's transaction and a rolled-back
 * business write never fires. Several relays (processes or machines) share the work: a claim
 * is one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)` that leases the oldest
 * unfinished fire of each linked account, and the shared rate limit is a token bucket row
 * updated in one statement. Times come from the database clock, the one clock all instances share.
 *
 * `pg` is an optional dependency, loaded only when the store opens its own pool; a caller's
 * pool or client is typed structurally (anything with `query(text, values)`).
 */
import { importDriver, OutboxError } from './outbox-errors.js'
import { CommitListeners, chunks, OPERATION_BATCH, type OutboxStore, type SharedRateLimit } from './outbox-store.js'
import { summarise } from './outbox-status.js'
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

/** What the store needs of a `pg` Pool or Client: parameterised queries. */
export interface SqlQueryable {
  // biome-ignore lint/suspicious/noExplicitAny: pg's own typing of rows; each use reads named columns
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>
}

/** Options of {@link openPostgresStore}: a connection string, or the application's own pool. */
export interface PostgresStoreOptions {
  /** `postgres://...`; the store opens (and closes) its own `pg` Pool. */
  connectionString?: string | undefined
  /** The application's `pg` Pool (never closed by the store). */
  pool?: SqlQueryable | undefined
  /** Schema of the outbox tables, created when missing. Default `refold_outbox`. */
  schema?: string | undefined
  /** Connections of the store's own pool. Default 4. */
  maxConnections?: number | undefined
}

/** Default schema of the outbox tables. */
export const DEFAULT_POSTGRES_SCHEMA = 'refold_outbox'

/** Opens the store and creates its tables when missing (safe when several relays start at once). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<OutboxStore> {
  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new OutboxError(
      'invalid_argument',
      `schema must be a lower-case SQL identifier (letters, digits, _), got ${JSON.stringify(schema)}`,
    )
  }
  let pool: SqlQueryable & { end?: () => Promise<void> }
  let owned = false
  if (options.pool !== undefined) pool = options.pool
  else if (options.connectionString !== undefined) {
    const pg = await importDriver<{
      default: {
        Pool: new (config: object) => SqlQueryable & { end(): Promise<void>; on(event: string, listener: (error: Error) => void): void }
      }
    }>('pg', 'The Postgres outbox store')
    // synchronous_commit off for the store's own sessions only (never a caller's pool): the
    // relay's claims, token takes and delivered marks then cost no fsync each. A Postgres crash
    // can forget the last fraction of a second of them, which means a fire sent again with the
    // same idempotency key, never a fire lost; fires themselves are written by the caller's
    // transaction (or by enqueue on this pool, see below) and follow the database's setting.
    const own = new pg.default.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      options: '-c synchronous_commit=off',
    })
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    own.on('error', () => {})
    pool = own
    owned = true
  } else {
    throw new OutboxError('invalid_argument', 'openPostgresStore needs { connectionString } or { pool }')
  }
  try {
    await migrate(pool, schema)
  } catch (error) {
    if (owned) await pool.end?.().catch(() => {})
    throw new OutboxError(
      'store_unavailable',
      `cannot prepare the outbox tables in Postgres (schema ${schema}): ${(error as Error).message}`,
      { cause: error },
    )
  }
  return new PostgresStore(pool, schema, owned)
}

/** The DDL, run under an advisory lock so relays starting together do not race on CREATE. */
async function migrate(pool: SqlQueryable, schema: string): Promise<void> {
  await pool.query(`DO $$ BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('refold_outbox:${schema}'));
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.fires (
      id bigserial PRIMARY KEY,
      event text NOT NULL,
      linked_account_id text NOT NULL,
      slug text,
      config_id text,
      instance_tag text,
      payload text NOT NULL,
      idempotency_key text NOT NULL UNIQUE,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      available_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      lease_owner text,
      delivered_at timestamptz,
      last_error jsonb,
      replays integer NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS fires_open ON ${schema}.fires (linked_account_id, id) WHERE state IN ('pending', 'in_flight');
    CREATE INDEX IF NOT EXISTS fires_open_by_id ON ${schema}.fires (id) WHERE state IN ('pending', 'in_flight');
    CREATE INDEX IF NOT EXISTS fires_state ON ${schema}.fires (state, event);
    -- A queue table churns: vacuum and analyze it far more often than the defaults would.
    ALTER TABLE ${schema}.fires SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_threshold = 200, autovacuum_analyze_threshold = 200);
    CREATE TABLE IF NOT EXISTS ${schema}.rate_limit (
      name text PRIMARY KEY,
      tokens double precision NOT NULL,
      updated_at timestamptz NOT NULL,
      paused_until timestamptz NOT NULL DEFAULT '-infinity'
    );
  END $$`)
}

/** The insert every enqueue runs (`$1..$7`); also the benchmark's baseline row. */
function postgresInsert(schema: string): string {
  return (
    `INSERT INTO ${schema}.fires (event, linked_account_id, slug, config_id, instance_tag, payload, idempotency_key) ` +
    'VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id'
  )
}

/** The columns of an {@link OutboxRecord}, times as epoch ms; `table` qualifies them where a join makes names ambiguous. */
function recordColumns(table = ''): string {
  const c = (name: string): string => (table === '' ? name : `${table}.${name}`)
  const ms = (name: string): string => `(extract(epoch FROM ${c(name)}) * 1000)::float8`
  const plain = [
    'id',
    'event',
    'linked_account_id',
    'slug',
    'config_id',
    'instance_tag',
    'payload',
    'idempotency_key',
    'state',
    'attempts',
    'replays',
    'last_error',
  ]
  return [
    ...plain.map(c),
    `${ms('created_at')} AS created_ms`,
    `${ms('available_at')} AS available_ms`,
    `${ms('delivered_at')} AS delivered_ms`,
  ].join(', ')
}

class PostgresStore implements OutboxStore {
  readonly kind = 'postgres' as const
  readonly #pool: SqlQueryable & { end?: () => Promise<void> }
  readonly #schema: string
  readonly #owned: boolean
  readonly #insert: string
  #closed = false
  /** Rows claimed since this store last ran ANALYZE (see `#keepStatisticsFresh`). */
  #claimedSinceAnalyze = 0
  readonly #committed = new CommitListeners()
  #analyzed = false

  constructor(pool: SqlQueryable & { end?: () => Promise<void> }, schema: string, owned: boolean) {
    this.#pool = pool
    this.#schema = schema
    this.#owned = owned
    this.#insert = postgresInsert(schema)
  }

  async enqueue(entry: OutboxEntry, tx?: unknown): Promise<EnqueueResult> {
    if (tx === undefined && this.#owned) {
      const result = await this.#enqueueDurably(entry)
      if (!result.duplicate) this.#committed.notify()
      return result
    }
    const db = tx === undefined ? this.#pool : queryable(tx)
    const values = [
      entry.event,
      entry.linkedAccountId,
      entry.slug,
      entry.configId,
      entry.instanceTag,
      entry.payloadJson,
      entry.idempotencyKey,
    ]
    const inserted = await db.query(this.#insert, values)
    if (inserted.rows.length === 1) {
      if (tx === undefined) this.#committed.notify() // autocommitted on the caller's pool
      return { id: Number(inserted.rows[0].id), idempotencyKey: entry.idempotencyKey, duplicate: false }
    }
    const existing = await db.query(`SELECT id FROM ${this.#schema}.fires WHERE idempotency_key = $1`, [entry.idempotencyKey])
    return { id: Number(existing.rows[0].id), idempotencyKey: entry.idempotencyKey, duplicate: true }
  }

  /** On the store's own pool (synchronous_commit off), a fire is committed with it on: a recorded fire is never lost. */
  async #enqueueDurably(entry: OutboxEntry): Promise<EnqueueResult> {
    const pool = this.#pool as SqlQueryable & { connect(): Promise<SqlQueryable & { release(): void }> }
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('SET LOCAL synchronous_commit = on')
      const result = await this.enqueue(entry, client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async claim({ limit, leaseMs, owner }: { limit: number; leaseMs: number; owner: string }): Promise<OutboxRecord[]> {
    const s = this.#schema
    // A row another relay is leasing right now is locked: SKIP LOCKED passes over it, and the
    // account's later rows stay blocked by NOT EXISTS, so no account ever has two fires in flight.
    const result = await this.#pool.query(
      `WITH due AS (
         SELECT o.id FROM ${s}.fires o
         WHERE o.state IN ('pending', 'in_flight') AND o.available_at <= clock_timestamp()
           AND NOT EXISTS (SELECT 1 FROM ${s}.fires e WHERE e.linked_account_id = o.linked_account_id AND e.id < o.id AND e.state IN ('pending', 'in_flight'))
         ORDER BY o.id LIMIT $1
         FOR UPDATE OF o SKIP LOCKED)
       UPDATE ${s}.fires f SET state = 'in_flight', attempts = f.attempts + 1, lease_owner = $2,
         available_at = clock_timestamp() + $3 * interval '1 millisecond'
       FROM due WHERE f.id = due.id
       RETURNING ${recordColumns('f')}`,
      [limit, owner, leaseMs],
    )
    await this.#keepStatisticsFresh(result.rows.length)
    return result.rows.map(toRecord).sort((a, b) => a.id - b.id)
  }

  /**
   * Without statistics (a new table, a burst before autovacuum's next round) the planner runs
   * the claim as a nested loop over every open fire (100 ms at 2,000 fires instead of 1 ms),
   * so the relay refreshes them itself: after its first 100 claimed fires, then every 2,000.
   */
  async #keepStatisticsFresh(claimed: number): Promise<void> {
    this.#claimedSinceAnalyze += claimed
    if (this.#claimedSinceAnalyze < (this.#analyzed ? 2_000 : 100)) return
    this.#claimedSinceAnalyze = 0
    this.#analyzed = true
    await this.#pool.query(`ANALYZE ${this.#schema}.fires`).catch(() => {})
  }

  async markDelivered(ids: readonly number[], owner: string): Promise<number[]> {
    const result = await this.#pool.query(
      `UPDATE ${this.#schema}.fires SET state = 'delivered', delivered_at = clock_timestamp(), lease_owner = NULL
       WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND state = 'in_flight' RETURNING id`,
      [ids.map(String), owner],
    )
    return result.rows.map((row) => Number(row.id))
  }

  async reschedule(id: number, owner: string, failure: OutboxFailure, delayMs: number, countAttempt: boolean): Promise<boolean> {
    const result = await this.#pool.query(
      `UPDATE ${this.#schema}.fires SET state = 'pending', lease_owner = NULL, available_at = clock_timestamp() + $3 * interval '1 millisecond',
         last_error = $4::jsonb, attempts = attempts - $5 WHERE id = $1 AND lease_owner = $2 AND state = 'in_flight'`,
      [id, owner, delayMs, JSON.stringify(failure), countAttempt ? 0 : 1],
    )
    return result.rowCount === 1
  }

  async bury(id: number, owner: string, failure: OutboxFailure): Promise<boolean> {
    const result = await this.#pool.query(
      `UPDATE ${this.#schema}.fires SET state = 'dead', lease_owner = NULL, last_error = $3::jsonb WHERE id = $1 AND lease_owner = $2 AND state = 'in_flight'`,
      [id, owner, JSON.stringify(failure)],
    )
    return result.rowCount === 1
  }

  async takeTokens(limit: SharedRateLimit, wanted: number): Promise<{ granted: number; waitMs: number }> {
    const s = this.#schema
    // One statement: the row lock orders concurrent takers; the refill uses the fresh row the
    // lock returns, and a clock reading older than the row's never refills (greatest(0, ...)).
    const result = await this.#pool.query(
      `WITH seed AS (
         INSERT INTO ${s}.rate_limit (name, tokens, updated_at) VALUES ('fire', $2, clock_timestamp()) ON CONFLICT (name) DO NOTHING),
       cur AS (
         SELECT name, clock_timestamp() AS t, paused_until, updated_at,
           least($2::float8, tokens + $1::float8 * greatest(0, extract(epoch FROM (clock_timestamp() - updated_at)))) AS avail
         FROM ${s}.rate_limit WHERE name = 'fire' FOR UPDATE),
       grant_ AS (
         SELECT cur.*, CASE WHEN cur.t < cur.paused_until THEN 0 ELSE greatest(0, least($3::int, floor(cur.avail)::int)) END AS granted FROM cur)
       UPDATE ${s}.rate_limit r SET tokens = g.avail - g.granted, updated_at = greatest(g.updated_at, g.t)
       FROM grant_ g WHERE r.name = g.name
       RETURNING g.granted AS granted, CASE
         WHEN g.t < g.paused_until THEN ceil(extract(epoch FROM (g.paused_until - g.t)) * 1000)
         ELSE greatest(1, ceil((1 - g.avail) / $1::float8 * 1000)) END::float8 AS wait_ms`,
      [limit.perSecond, limit.burst, wanted],
    )
    // The very first take of a new store seeds the row in the same statement, invisible to it.
    if (result.rows.length === 0) return { granted: 0, waitMs: 1 }
    const granted = Number(result.rows[0].granted)
    return { granted, waitMs: granted > 0 ? 0 : Number(result.rows[0].wait_ms) }
  }

  async pauseSending(ms: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#schema}.rate_limit (name, tokens, updated_at, paused_until) VALUES ('fire', 0, clock_timestamp(), clock_timestamp() + $1 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET paused_until = greatest(${this.#schema}.rate_limit.paused_until, excluded.paused_until)`,
      [ms],
    )
  }

  async status(): Promise<OutboxStatus> {
    const result = await this.#pool.query(
      `SELECT event, state, count(*)::int AS count, (extract(epoch FROM (clock_timestamp() - min(created_at))) * 1000)::float8 AS oldest
       FROM ${this.#schema}.fires GROUP BY event, state`,
    )
    return summarise(
      result.rows.map((row) => ({
        event: row.event as string,
        state: row.state as OutboxState,
        count: Number(row.count),
        oldestAgeMs: Number(row.oldest),
      })),
    )
  }

  async list(filter: OutboxFilter & { state?: OutboxState | undefined; limit?: number | undefined }): Promise<OutboxRecord[]> {
    const params: unknown[] = []
    const conditions = filterConditions(filter, params)
    if (filter.state !== undefined) {
      params.push(filter.state)
      conditions.push(`state = $${params.length}`)
    }
    params.push(filter.limit ?? null)
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`
    const result = await this.#pool.query(
      `SELECT * FROM (SELECT ${recordColumns()} FROM ${this.#schema}.fires ${where} ORDER BY id DESC LIMIT $${params.length}) t ORDER BY id`,
      params,
    )
    return result.rows.map(toRecord)
  }

  async retry(filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number> {
    return this.#batched(
      filter,
      "state = 'dead'",
      [],
      "state = 'pending', attempts = 0, available_at = clock_timestamp(), lease_owner = NULL",
      onProgress,
    )
  }

  async replay(sinceMs: number, filter: OutboxFilter, onProgress?: ProgressCallback): Promise<number> {
    return this.#batched(
      filter,
      "state = 'delivered' AND delivered_at >= to_timestamp($X / 1000.0)",
      [sinceMs],
      "state = 'pending', attempts = 0, available_at = clock_timestamp(), delivered_at = NULL, replays = replays + 1, lease_owner = NULL",
      onProgress,
    )
  }

  async prune(olderThanMs: number, options: { dead: boolean }, onProgress?: ProgressCallback): Promise<number> {
    const condition = options.dead
      ? "((state = 'delivered' AND delivered_at < to_timestamp($X / 1000.0)) OR (state = 'dead' AND created_at < to_timestamp($X / 1000.0)))"
      : "(state = 'delivered' AND delivered_at < to_timestamp($X / 1000.0))"
    const listed = await this.#pool.query(`SELECT id FROM ${this.#schema}.fires WHERE ${condition.replaceAll('$X', '$1')} ORDER BY id`, [
      olderThanMs,
    ])
    const ids = listed.rows.map((row) => Number(row.id))
    let done = 0
    for (const batch of chunks(ids, OPERATION_BATCH)) {
      // The state is checked again: a row replayed since the listing is no longer prunable.
      const result = await this.#pool.query(
        `DELETE FROM ${this.#schema}.fires WHERE id = ANY($1::bigint[]) AND ${condition.replaceAll('$X', '$2')}`,
        [batch, olderThanMs],
      )
      done += result.rowCount ?? 0
      onProgress?.(done, ids.length)
    }
    return done
  }

  onCommitted(listener: () => void): () => void {
    return this.#committed.add(listener)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#owned) await this.#pool.end?.()
  }

  /** Lists matching ids, then updates them in batches (re-checking `condition`), reporting progress. */
  async #batched(
    filter: OutboxFilter,
    condition: string,
    conditionParams: unknown[],
    set: string,
    onProgress?: ProgressCallback,
  ): Promise<number> {
    const params = [...conditionParams]
    const conditions = [condition.replaceAll('$X', '$1'), ...filterConditions(filter, params)]
    const listed = await this.#pool.query(`SELECT id FROM ${this.#schema}.fires WHERE ${conditions.join(' AND ')} ORDER BY id`, params)
    const ids = listed.rows.map((row) => Number(row.id))
    let done = 0
    for (const batch of chunks(ids, OPERATION_BATCH)) {
      const result = await this.#pool.query(
        `UPDATE ${this.#schema}.fires SET ${set} WHERE id = ANY($1::bigint[]) AND ${condition.replaceAll('$X', '$2')}`,
        [batch, ...conditionParams],
      )
      done += result.rowCount ?? 0
      onProgress?.(done, ids.length)
    }
    return done
  }
}

function filterConditions(filter: OutboxFilter, params: unknown[]): string[] {
  const conditions: string[] = []
  if (filter.event !== undefined) {
    params.push(filter.event)
    conditions.push(`event = $${params.length}`)
  }
  if (filter.ids !== undefined) {
    params.push(filter.ids.map(String))
    conditions.push(`id = ANY($${params.length}::bigint[])`)
  }
  return conditions
}

// biome-ignore lint/suspicious/noExplicitAny: a pg row, columns named by recordColumns()
function toRecord(row: Record<string, any>): OutboxRecord {
  return {
    id: Number(row.id),
    event: row.event,
    linkedAccountId: row.linked_account_id,
    slug: row.slug,
    configId: row.config_id,
    instanceTag: row.instance_tag,
    payloadJson: row.payload,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: row.attempts,
    createdAt: Math.round(row.created_ms),
    availableAt: Math.round(row.available_ms),
    deliveredAt: row.delivered_ms === null ? null : Math.round(row.delivered_ms),
    lastError: row.last_error ?? null,
    replays: row.replays,
  }
}

/** The caller's `tx` for Postgres: a `pg` client (inside BEGIN) or pool. */
function queryable(tx: unknown): SqlQueryable {
  if (typeof (tx as Partial<SqlQueryable> | null)?.query !== 'function') {
    throw new OutboxError(
      'invalid_argument',
      'tx must be a pg Client or PoolClient inside your transaction (anything with query(text, values))',
    )
  }
  return tx as SqlQueryable
}
