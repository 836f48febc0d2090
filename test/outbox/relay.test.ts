/**
 * The relay against the real emulator over loopback, on both real stores: an outage during
 * fires (all delivered exactly once afterwards, in creation order per account), and a
 * permanently failing fire parked as a dead letter and delivered after `retry`. The larger
 * scenarios (1,000 fires, three relay processes under the 429 fault) are in
 * relay-scenarios.full.test.ts.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import { openPostgresStore } from '../../src/outbox/postgres-store.js'
import { startRelay, type Relay, type RelayEvent } from '../../src/outbox/relay.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import type { OutboxStore } from '../../src/outbox/outbox-store.js'
import {
  defineEvent,
  KEY,
  POSTGRES_URL,
  postgresAvailable,
  startRecordingEmulator,
  tempDir,
  uniqueSchema,
  until,
  type RecordingEmulator,
} from './support.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function emulator(events: string[], options: Parameters<typeof startRecordingEmulator>[1] = {}): Promise<RecordingEmulator> {
  const running = await startRecordingEmulator(events, options)
  cleanups.push(() => running.close())
  return running
}

async function store(kind: 'sqlite' | 'postgres', label: string): Promise<OutboxStore> {
  const opened =
    kind === 'sqlite'
      ? await openSqliteStore({ file: join(tempDir(), 'outbox.db'), synchronous: 'normal' })
      : await openPostgresStore({ connectionString: POSTGRES_URL, schema: uniqueSchema(label) })
  cleanups.push(() => opened.close())
  return opened
}

function relay(target: RecordingEmulator, outboxStore: OutboxStore, options: Partial<Parameters<typeof startRelay>[0]> = {}): Relay {
  const started = startRelay({
    store: outboxStore,
    clientOptions: { apiKey: KEY, baseUrl: target.emulator.url, timeoutMs: 5_000 },
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    pollIntervalMs: 20,
    rateLimit: false,
    ...options,
  })
  cleanups.push(() => started.stop())
  return started
}

/** Payload `seq` values the emulator accepted, per linked account, in arrival order. */
function sequencesByAccount(target: RecordingEmulator): Map<string, number[]> {
  const result = new Map<string, number[]>()
  for (const fire of target.emulator.state.fires()) {
    const list = result.get(fire.linked_account_id) ?? []
    list.push(fire.payload.seq as number)
    result.set(fire.linked_account_id, list)
  }
  return result
}

const kinds = [
  ['sqlite', true],
  ['postgres', postgresAvailable],
] as const

for (const [kind, available] of kinds) {
  describe.skipIf(!available)(`relay on the ${kind} store`, () => {
    it('an outage during the fires: every fire delivered exactly once after recovery, in creation order per account', async () => {
      const target = await emulator(['Order Placed'], { failRate: 1, failStatuses: [500, 502], faultRoutes: ['fire'], seed: 7 })
      const outboxStore = await store(kind, 'outage')
      const outbox = createOutbox(outboxStore)
      relay(target, outboxStore, { concurrency: 4 })
      const keys: string[] = []
      for (let seq = 0; seq < 12; seq++)
        keys.push((await outbox.fire('Order Placed', { linkedAccountId: `acct-${seq % 3}`, payload: { seq } })).idempotencyKey)
      await until(() => target.requests.filter((r) => r.status !== 200).length >= 6, 'failed attempts during the outage')
      expect(target.emulator.state.fires()).toHaveLength(0)
      target.emulator.faults.set({ failRate: 0 })
      await until(async () => (await outboxStore.status()).total.delivered === 12, 'every fire delivered')

      const accepted = target.acceptedKeys()
      expect(accepted).toHaveLength(12)
      expect(new Set(accepted)).toEqual(new Set(keys))
      for (const [account, seqs] of sequencesByAccount(target)) {
        expect(seqs, account).toEqual([...seqs].sort((a, b) => a - b))
      }
      const status = await outboxStore.status()
      expect(status.total).toMatchObject({ pending: 0, inFlight: 0, delivered: 12, dead: 0, oldestAgeMs: null })
    })

    it('a fire Refold refuses is a dead letter with the last error, does not hold up the account, and retry delivers it once the event exists', async () => {
      const target = await emulator(['Order Placed'])
      const outboxStore = await store(kind, 'dead')
      const outbox = createOutbox(outboxStore)
      const events: RelayEvent[] = []
      const running = relay(target, outboxStore, { onEvent: (event) => events.push(event) })
      const invalid = await outbox.fire('Invoice Paid', { linkedAccountId: 'acct', payload: { seq: 1 } })
      await outbox.fire('Order Placed', { linkedAccountId: 'acct', payload: { seq: 2 } })
      await until(async () => (await outboxStore.status()).total.delivered === 1, 'the valid fire delivered')
      await running.idle()

      const [dead] = await outboxStore.list({ state: 'dead' })
      expect(dead).toMatchObject({
        id: invalid.id,
        attempts: 1,
        lastError: { name: 'InvalidEventError', status: 404, errorCode: 'INVALID_EVENT' },
      })
      expect(events.filter((e) => e.type === 'dead')).toHaveLength(1)

      await defineEvent(target.emulator, 'Invoice Paid') // the definition is fixed (synced)
      expect(await outboxStore.retry({ event: 'Invoice Paid' })).toBe(1)
      await until(async () => (await outboxStore.status()).total.delivered === 2, 'the retried fire delivered')
      expect(target.emulator.state.fires().map((f) => [f.event, f.headers['idempotency-key']])).toEqual([
        ['Order Placed', expect.any(String)],
        ['Invoice Paid', invalid.idempotencyKey],
      ])
    })

    it('a fire recorded under a renamed event goes out under its previous name until Refold is renamed, then under the new one', async () => {
      const target = await emulator(['Order Created'])
      const outboxStore = await store(kind, 'renamed')
      const outbox = createOutbox(outboxStore)
      const switched: string[] = []
      relay(target, outboxStore, {
        previousNames: { 'Order Placed': ['Order Created'] },
        clientOptions: {
          apiKey: KEY,
          baseUrl: target.emulator.url,
          timeoutMs: 5_000,
          onPreviousName: (event, firedAs) => switched.push(`${event} -> ${firedAs}`),
        },
      })
      const first = await outbox.fire('Order Placed', { linkedAccountId: 'acct', payload: { seq: 1 } })
      await until(async () => (await outboxStore.status()).total.delivered === 1, 'the fire delivered under the old name')
      expect(switched).toEqual(['Order Placed -> Order Created'])
      // Renamed on Refold (what sync does with previousNames): the same id, the new name.
      const id = target.emulator.state.events()[0]!._id
      const renamed = await fetch(`${target.emulator.url}/api/v2/public/application/event/${id}`, {
        method: 'PUT',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Order Placed', response: '{"seq":1}' }),
      })
      expect(renamed.status).toBe(200)
      const second = await outbox.fire('Order Placed', { linkedAccountId: 'acct', payload: { seq: 2 } })
      await until(async () => (await outboxStore.status()).total.delivered === 2, 'the fire delivered under the new name')
      expect(target.emulator.state.fires().map((f) => [f.event, f.headers['idempotency-key']])).toEqual([
        ['Order Created', first.idempotencyKey],
        ['Order Placed', second.idempotencyKey],
      ])
      expect((await outboxStore.status()).total.dead).toBe(0)
    })
  })
}
