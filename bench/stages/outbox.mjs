/**
 * The outbox (issue 15): what durability costs.
 * - Enqueue: `outbox.fire()` (argument checks, JSON, idempotency key, the store's insert) against
 *   a plain INSERT of the same row into the same table through the same connection, one
 *   committed row at a time as an application would write them. Embedded (SQLite, fsync per
 *   commit with the default synchronous=FULL, and with 'normal') and Postgres.
 * - Relay throughput: fires recorded in the store and delivered by one relay (claim, shared
 *   token bucket with a limit far above the rate, send, mark delivered) against the same
 *   number of direct `client.fire()` calls with the same requests in flight, to the fire
 *   benchmark's `node:net` loopback server in its own process.
 * - End-to-end latency at low load: from `outbox.fire()` resolving to the relay having marked
 *   the fire delivered, one fire at a time, against one direct `client.fire()`.
 * Postgres rows are skipped (and say so) when no Postgres answers at REFOLD_BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test); the benchmark's schema is dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { createOutbox, openPostgresStore, openSqliteStore, startRelay } from 'refold-events/outbox'
import { createClient } from 'refold-events/runtime'
import { alternate, formatMs, median } from '../lib/measure.mjs'
import { startServer } from '../lib/processes.mjs'
import { rateRatio, timeRatio } from '../lib/rows.mjs'

const SERVER = new URL('../children/ok-server.mjs', import.meta.url).pathname
const DATABASE_URL = process.env.REFOLD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const API_KEY = 'tk_bench_key'
const IN_FLIGHT = 10
const PAYLOAD = { email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', company: { name: 'Acme', size: 42 }, tags: ['a', 'b'] }
const EVENT = 'New Contact Created'

export default {
  id: 'outbox',
  title: 'outbox',
  async run({ quick, log }) {
    const rows = []
    const dir = mkdtempSync(join(tmpdir(), 'refold-bench-outbox-'))
    const postgres = await reachable()
    const schema = `bench_outbox_${process.pid}`
    const server = await startServer(SERVER)
    const relaySchemas = []
    try {
      // Enqueue, embedded.
      for (const synchronous of ['full', 'normal']) {
        const count = quick ? 20 : synchronous === 'full' ? 200 : 2_000
        const runs = quick ? 1 : 5
        const file = join(dir, `enqueue-${synchronous}.db`)
        const store = await openSqliteStore({ file, synchronous })
        const outbox = createOutbox(store)
        const raw = new Database(file)
        raw.pragma(`synchronous = ${synchronous.toUpperCase()}`)
        const insert = raw.prepare(
          'INSERT INTO refold_outbox (event, linked_account_id, slug, config_id, instance_tag, payload, idempotency_key, created_at, available_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        let n = 0
        log(`enqueue, embedded (synchronous=${synchronous}): ${count} rows x ${runs} runs per side`)
        const result = await alternate(
          {
            outbox: async () => {
              for (let i = 0; i < count; i++) await outbox.fire(EVENT, { linkedAccountId: `acct-${i % 50}`, payload: PAYLOAD })
            },
            insert: async () => {
              for (let i = 0; i < count; i++) {
                const now = Date.now()
                insert.run(EVENT, `acct-${i % 50}`, null, null, null, JSON.stringify(PAYLOAD), `plain-${n++}`, now, now)
              }
            },
          },
          { runs },
        )
        raw.close()
        await store.close()
        rows.push(
          rateRatio({
            stage: 'outbox',
            case: `enqueue, embedded SQLite (synchronous=${synchronous}), one committed row at a time`,
            ours: { label: 'outbox.fire', perSecond: (count / result.outbox.median) * 1000 },
            baseline: { label: 'plain INSERT', perSecond: (count / result.insert.median) * 1000 },
          }),
        )
      }

      // Enqueue, Postgres.
      if (postgres) {
        const count = quick ? 50 : 1_000
        const runs = quick ? 1 : 5
        const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
        const store = await openPostgresStore({ pool, schema })
        const outbox = createOutbox(store)
        let n = 0
        log(`enqueue, Postgres: ${count} rows x ${runs} runs per side`)
        const result = await alternate(
          {
            outbox: async () => {
              for (let i = 0; i < count; i++) await outbox.fire(EVENT, { linkedAccountId: `acct-${i % 50}`, payload: PAYLOAD })
            },
            insert: async () => {
              for (let i = 0; i < count; i++) {
                await pool.query(
                  `INSERT INTO ${schema}.fires (event, linked_account_id, slug, config_id, instance_tag, payload, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
                  [EVENT, `acct-${i % 50}`, null, null, null, JSON.stringify(PAYLOAD), `plain-${n++}`],
                )
              }
            },
          },
          { runs },
        )
        await store.close()
        await pool.query(`DROP SCHEMA ${schema} CASCADE`)
        await pool.end()
        rows.push(
          rateRatio({
            stage: 'outbox',
            case: 'enqueue, Postgres, one autocommitted row at a time',
            ours: { label: 'outbox.fire', perSecond: (count / result.outbox.median) * 1000 },
            baseline: { label: 'plain INSERT', perSecond: (count / result.insert.median) * 1000 },
          }),
        )
      } else rows.push(skipped('enqueue, Postgres'))

      // Relay throughput and latency, per store.
      const client = createClient({ apiKey: API_KEY, baseUrl: server.url, retry: false, validate: 'off', connections: IN_FLIGHT })
      try {
        // Each entry opens a fresh store; `again(store)` opens a second store object on the same
        // data, as another process would (it shares no in-process wake-up with the relay).
        const stores = []
        const sqliteFiles = new Map()
        stores.push([
          'embedded SQLite',
          async () => {
            const file = join(dir, `relay-${sqliteFiles.size}.db`)
            const store = await openSqliteStore({ file, synchronous: 'normal' })
            sqliteFiles.set(store, file)
            return store
          },
          (store) => openSqliteStore({ file: sqliteFiles.get(store), synchronous: 'normal' }),
        ])
        if (postgres) {
          const schemas = new Map()
          stores.push([
            'Postgres',
            async () => {
              const name = `${schema}_r${relaySchemas.length}`
              relaySchemas.push(name)
              const store = await openPostgresStore({ connectionString: DATABASE_URL, schema: name })
              schemas.set(store, name)
              return store
            },
            (store) => openPostgresStore({ connectionString: DATABASE_URL, schema: schemas.get(store) }),
          ])
        } else rows.push(skipped('relay, Postgres'))
        for (const [name, open, again] of stores) {
          const count = quick ? 200 : 2_000
          const runs = quick ? 1 : 3
          log(`relay throughput, ${name}: ${count} fires x ${runs} runs per side, ${IN_FLIGHT} in flight`)
          const relayTimes = []
          const directTimes = []
          for (let round = 0; round < runs + 1; round++) {
            const store = await open()
            await fill(store, count)
            const relayMs = await timeRelay(store, client, count)
            const directMs = await timeDirect(client, count)
            if (round > 0) {
              relayTimes.push(relayMs)
              directTimes.push(directMs)
            }
            await store.close()
          }
          rows.push(
            rateRatio({
              stage: 'outbox',
              case: `relay, ${name}: ${count.toLocaleString('en-US')} fires over 100 accounts, ${IN_FLIGHT} in flight, loopback`,
              ours: { label: 'relay', perSecond: (count / median(relayTimes)) * 1000 },
              baseline: { label: 'client.fire direct', perSecond: (count / median(directTimes)) * 1000 },
            }),
          )

          const samples = quick ? 5 : 40
          for (const elsewhere of [false, true]) {
            log(
              `end-to-end latency, ${name}, ${elsewhere ? 'recorded through another store connection' : 'same store object'}: ${samples} single fires`,
            )
            const store = await open()
            const recorder = elsewhere ? await again(store) : store
            const latency = await endToEnd(store, recorder, client, samples)
            if (recorder !== store) await recorder.close()
            await store.close()
            const how = elsewhere
              ? 'fire recorded by another connection (another process): the relay finds it at its next poll, every 100 ms'
              : "fire recorded through the relay's own store object: the relay is woken at once"
            rows.push(
              timeRatio({
                stage: 'outbox',
                case: `latency at low load, ${name}: outbox.fire() resolved -> marked delivered; ${how} (p95 ${formatMs(latency.p95)})`,
                ours: { label: 'outbox -> delivered', ms: latency.median },
                baseline: { label: 'client.fire direct', ms: latency.direct },
              }),
            )
          }
        }
      } finally {
        await client.close()
      }
      return rows
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
      if (relaySchemas.length > 0) {
        const admin = new pg.Client({ connectionString: DATABASE_URL })
        await admin.connect()
        for (const name of relaySchemas) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
        await admin.end()
      }
    }
  },
}

/** Records `count` fires (untimed setup): in one transaction on Postgres, so setup is not fsync-bound. */
async function fill(store, count) {
  const outbox = createOutbox(store)
  if (store.kind !== 'postgres') {
    for (let i = 0; i < count; i++) await outbox.fire(EVENT, { linkedAccountId: `acct-${i % 100}`, payload: PAYLOAD })
    return
  }
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    await client.query('BEGIN')
    for (let i = 0; i < count; i++) await outbox.fire(EVENT, { linkedAccountId: `acct-${i % 100}`, payload: PAYLOAD }, { tx: client })
    await client.query('COMMIT')
  } finally {
    await client.end()
  }
}

async function timeRelay(store, client, count) {
  const started = performance.now()
  const relay = startRelay({ store, client, concurrency: IN_FLIGHT, rateLimit: { perSecond: 1e6, burst: 1e6 }, pollIntervalMs: 5 })
  await relay.idle()
  const ms = performance.now() - started
  await relay.stop()
  if (relay.stats.delivered !== count) throw new Error(`relay delivered ${relay.stats.delivered} of ${count}`)
  return ms
}

async function timeDirect(client, count) {
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      await client.fire({ event: EVENT, linkedAccountId: `acct-${i % 100}`, payload: PAYLOAD, idempotencyKey: `direct-${i}` })
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  return performance.now() - started
}

async function endToEnd(store, recorder, client, samples) {
  const waiting = new Map()
  const relay = startRelay({
    store,
    client,
    onEvent: (event) => {
      if (event.type === 'delivered') waiting.get(event.record.id)?.()
    },
  })
  const outbox = createOutbox(recorder)
  const latencies = []
  const direct = []
  for (let i = 0; i < samples; i++) {
    // Fires arrive at random points of the relay's poll cycle, as they would in an application.
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 100)))
    const { id } = await outbox.fire(EVENT, { linkedAccountId: 'acct-latency', payload: PAYLOAD })
    const started = performance.now()
    await new Promise((resolve) => waiting.set(id, resolve))
    latencies.push(performance.now() - started)
    const t = performance.now()
    await client.fire({ event: EVENT, linkedAccountId: 'acct-latency', payload: PAYLOAD })
    direct.push(performance.now() - t)
  }
  await relay.stop()
  const sorted = [...latencies].sort((a, b) => a - b)
  return { median: median(latencies), p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))], direct: median(direct) }
}

async function reachable() {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function skipped(what) {
  return {
    stage: 'outbox',
    case: what,
    measured: `skipped: no Postgres at ${DATABASE_URL}`,
    baseline: '-',
    ratio: '-',
    figure: '-',
    target: 'report',
    met: null,
  }
}
