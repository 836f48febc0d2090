/**
 * The store contract, run against both real stores (an SQLite file, a Postgres schema): what
 * the relay and the `outbox` commands rely on. Per-account order, leases, dead letters, the
 * shared token bucket, and the operations.
 */
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../src/outbox/postgres-store.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import { effectiveIdempotencyKey, type OutboxStore } from '../../src/outbox/outbox-store.js'
import type { OutboxEntry } from '../../src/outbox/outbox-types.js'
import { POSTGRES_URL, postgresAvailable, tempDir, uniqueSchema } from './support.js'

const open: OutboxStore[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()))
})

// Creating the Postgres tables costs more than the tests: one schema per file, emptied per test.
let postgres: { store: OutboxStore; schema: string; pool: pg.Pool } | undefined
afterAll(async () => {
  await postgres?.store.close()
  await postgres?.pool.end()
})
async function freshPostgres(): Promise<OutboxStore> {
  if (postgres === undefined) {
    const schema = uniqueSchema('contract')
    postgres = {
      store: await openPostgresStore({ connectionString: POSTGRES_URL, schema }),
      schema,
      pool: new pg.Pool({ connectionString: POSTGRES_URL, max: 1 }),
    }
  }
  await postgres.pool.query(`TRUNCATE ${postgres.schema}.fires, ${postgres.schema}.rate_limit RESTART IDENTITY`)
  return postgres.store
}

const stores: Array<[string, boolean, () => Promise<OutboxStore>]> = [
  // NORMAL sync: these tests are about the contract, not fsync (the crash tests use the default).
  ['sqlite', true, () => openSqliteStore({ file: join(tempDir(), 'outbox.db'), synchronous: 'normal' })],
  ['postgres', postgresAvailable, freshPostgres],
]

let counter = 0
function entry(account: string, event = 'Order Placed', payload: object = { n: counter }): OutboxEntry {
  counter++
  return {
    event,
    linkedAccountId: account,
    slug: null,
    configId: null,
    instanceTag: null,
    payloadJson: JSON.stringify(payload),
    idempotencyKey: `key-${counter}-${Math.random()}`,
  }
}
/** markDelivered for one fire: whether it was marked. */
async function delivered(store: OutboxStore, id: number, owner: string): Promise<boolean> {
  return (await store.markDelivered([id], owner)).length === 1
}
const failure = { name: 'RefoldServerError', message: 'boom', status: 503 }

for (const [name, available, openStore] of stores) {
  describe.skipIf(!available)(`${name} store`, () => {
    async function fresh(): Promise<OutboxStore> {
      const store = await openStore()
      if (store !== postgres?.store) open.push(store)
      return store
    }

    it('claims one fire per linked account, the oldest unfinished one, in creation order', async () => {
      const store = await fresh()
      const a1 = await store.enqueue(entry('a'))
      const a2 = await store.enqueue(entry('a'))
      const b1 = await store.enqueue(entry('b'))
      const first = await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      expect(first.map((r) => r.id)).toEqual([a1.id, b1.id])
      expect(first.every((r) => r.state === 'in_flight' && r.attempts === 1)).toBe(true)
      // a2 waits while a1 is in flight, even for another relay.
      expect(await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r2' })).toEqual([])
      expect(await delivered(store, a1.id, 'r1')).toBe(true)
      const next = await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r2' })
      expect(next.map((r) => r.id)).toEqual([a2.id])
    })

    it('keeps later fires of an account behind one waiting for a retry; a dead letter no longer blocks them', async () => {
      const store = await fresh()
      const a1 = await store.enqueue(entry('a'))
      const a2 = await store.enqueue(entry('a'))
      await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      expect(await store.reschedule(a1.id, 'nobody', failure, 0, true)).toBe(false) // not the lease owner
      expect(await store.reschedule(a1.id, 'r1', failure, 60_000, true)).toBe(true)
      expect(await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })).toEqual([])
      expect((await store.list({ ids: [a1.id] }))[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: failure })
      expect(await store.retry({ ids: [a1.id] })).toBe(0) // only dead letters are retried

      const b1 = await store.enqueue(entry('b'))
      const b2 = await store.enqueue(entry('b'))
      await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      expect(await store.bury(b1.id, 'r1', failure)).toBe(true)
      expect((await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })).map((r) => r.id)).toEqual([b2.id])
      expect(a2.id).toBeGreaterThan(a1.id)
    })

    it('a lost lease makes the fire claimable by another relay; the first relay can no longer finish it', async () => {
      const store = await fresh()
      const a1 = await store.enqueue(entry('a'))
      expect((await store.claim({ limit: 1, leaseMs: 1, owner: 'dead-relay' })).map((r) => r.id)).toEqual([a1.id])
      await new Promise((resolve) => setTimeout(resolve, 20))
      const taken = await store.claim({ limit: 1, leaseMs: 60_000, owner: 'r2' })
      expect(taken.map((r) => [r.id, r.attempts])).toEqual([[a1.id, 2]])
      expect(await delivered(store, a1.id, 'dead-relay')).toBe(false)
      expect(await delivered(store, a1.id, 'r2')).toBe(true)
    })

    it('dead letters keep the last error; retry re-queues them with the same key and a fresh attempt budget', async () => {
      const store = await fresh()
      const a1 = await store.enqueue(entry('a', 'Invoice Paid'))
      const b1 = await store.enqueue(entry('b', 'Order Placed'))
      await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      const invalid = {
        name: 'InvalidEventError',
        message: 'Refold has no event named "Invoice Paid"',
        status: 404,
        errorCode: 'INVALID_EVENT',
      }
      expect(await store.bury(a1.id, 'r1', invalid)).toBe(true)
      expect(await store.bury(b1.id, 'r1', invalid)).toBe(true)
      expect((await store.list({ state: 'dead' })).map((r) => [r.id, r.lastError?.errorCode])).toEqual([
        [a1.id, 'INVALID_EVENT'],
        [b1.id, 'INVALID_EVENT'],
      ])
      expect(await store.retry({ event: 'Invoice Paid' })).toBe(1)
      const [again] = await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      expect(again).toMatchObject({ id: a1.id, attempts: 1, idempotencyKey: a1.idempotencyKey })
      expect(effectiveIdempotencyKey(again!)).toBe(a1.idempotencyKey)
    })

    it('replay re-sends delivered fires with a new key; prune deletes only finished fires', async () => {
      const store = await fresh()
      const a1 = await store.enqueue(entry('a'))
      const b1 = await store.enqueue(entry('b'))
      const c1 = await store.enqueue(entry('c'))
      await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      await delivered(store, a1.id, 'r1')
      await delivered(store, b1.id, 'r1')
      await store.bury(c1.id, 'r1', failure)
      const before = Date.now() - 60_000
      expect(await store.replay(before, { ids: [a1.id] })).toBe(1)
      const [replayed] = await store.claim({ limit: 10, leaseMs: 60_000, owner: 'r1' })
      expect(replayed!.id).toBe(a1.id)
      expect(effectiveIdempotencyKey(replayed!)).toBe(`${a1.idempotencyKey}:replay-1`)
      await delivered(store, a1.id, 'r1')
      const progress: Array<[number, number]> = []
      expect(await store.prune(Date.now() - 60_000, { dead: false })).toBe(0) // nothing that old
      expect(await store.prune(Date.now() + 1_000, { dead: false }, (done, total) => progress.push([done, total]))).toBe(2)
      expect(progress.at(-1)).toEqual([2, 2])
      expect((await store.status()).total).toMatchObject({ pending: 0, delivered: 0, dead: 1 })
      expect(await store.prune(Date.now() + 1_000, { dead: true })).toBe(1)
    })

    it('enqueue with a known idempotency key writes nothing new', async () => {
      const store = await fresh()
      const first = await store.enqueue({ ...entry('a'), idempotencyKey: 'order-42' })
      const second = await store.enqueue({ ...entry('a'), idempotencyKey: 'order-42' })
      expect(second).toEqual({ id: first.id, idempotencyKey: 'order-42', duplicate: true })
      expect((await store.status()).total.pending).toBe(1)
    })

    it('status counts per state and event, with the oldest unfinished age', async () => {
      const store = await fresh()
      await store.enqueue(entry('a', 'Order Placed'))
      const b = await store.enqueue(entry('b', 'User Deleted'))
      await store.enqueue(entry('c', 'User Deleted'))
      await store.claim({ limit: 1, leaseMs: 60_000, owner: 'r1' }) // a's Order Placed
      const status = await store.status()
      expect(status.total).toMatchObject({ pending: 2, inFlight: 1, delivered: 0, dead: 0 })
      expect(status.total.oldestAgeMs).toBeGreaterThanOrEqual(0)
      expect(status.events.map((e) => [e.event, e.pending, e.inFlight])).toEqual([
        ['Order Placed', 0, 1],
        ['User Deleted', 2, 0],
      ])
      expect(b.duplicate).toBe(false)
    })

    it('the token bucket lets a burst through, then asks to wait; a pause stops everyone', async () => {
      const store = await fresh()
      const limit = { perSecond: 2, burst: 3 }
      // The first take of a fresh store may only seed the bucket (Postgres).
      let first = await store.takeTokens(limit, 10)
      if (first.granted === 0) first = await store.takeTokens(limit, 10)
      expect(first).toEqual({ granted: 3, waitMs: 0 })
      const empty = await store.takeTokens(limit, 1)
      expect(empty.granted).toBe(0)
      expect(empty.waitMs).toBeGreaterThan(0)
      expect(empty.waitMs).toBeLessThanOrEqual(500)
      await store.pauseSending(5_000)
      const paused = await store.takeTokens({ perSecond: 1_000, burst: 1_000 }, 1)
      expect(paused.granted).toBe(0)
      expect(paused.waitMs).toBeGreaterThan(4_000)
    })

    it('marks many fires delivered at once, skipping those whose lease another relay holds', async () => {
      const store = await fresh()
      const a = await store.enqueue(entry('a'))
      const b = await store.enqueue(entry('b'))
      const c = await store.enqueue(entry('c'))
      await store.claim({ limit: 2, leaseMs: 60_000, owner: 'r1' })
      await store.claim({ limit: 1, leaseMs: 60_000, owner: 'r2' })
      expect((await store.markDelivered([a.id, b.id, c.id], 'r1')).sort((x, y) => x - y)).toEqual([a.id, b.id])
      expect((await store.status()).total).toMatchObject({ delivered: 2, inFlight: 1 })
    })
  })
}
