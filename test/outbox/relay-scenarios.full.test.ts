/**
 * The issue's scenarios at full size, on the real emulator and the real Postgres (the
 * embedded store when no Postgres is reachable for the outage):
 * - an outage of 30 s while 1,000 fires are recorded: all delivered exactly once afterwards,
 *   in creation order per linked account;
 * - three `refold-events relay` processes on one Postgres while the emulator answers 429 above
 *   its own limit: the total request rate, counted per window from the emulator's request log,
 *   never exceeds the relays' shared limit, each fire is delivered once, and each account's
 *   fires arrive in creation order.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import { openPostgresStore } from '../../src/outbox/postgres-store.js'
import { startRelay } from '../../src/outbox/relay.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import type { OutboxStore } from '../../src/outbox/outbox-store.js'
import {
  KEY,
  maxInWindow,
  POSTGRES_URL,
  postgresAvailable,
  spawnCli,
  startRecordingEmulator,
  tempDir,
  uniqueSchema,
  until,
  type CliChild,
} from './support.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('a 30 s outage during 1,000 fires', () => {
  it(`delivers every fire exactly once after recovery (${postgresAvailable ? 'Postgres' : 'embedded'} store)`, {
    timeout: 240_000,
  }, async () => {
    const target = await startRecordingEmulator(['Order Placed'], { failRate: 1, failStatuses: [503], faultRoutes: ['fire'], seed: 11 })
    cleanups.push(() => target.close())
    const store: OutboxStore = postgresAvailable
      ? await openPostgresStore({ connectionString: POSTGRES_URL, schema: uniqueSchema('outage') })
      : await openSqliteStore({ file: join(tempDir(), 'outbox.db') })
    cleanups.push(() => store.close())
    const relay = startRelay({
      store,
      clientOptions: { apiKey: KEY, baseUrl: target.emulator.url },
      concurrency: 16,
      rateLimit: { perSecond: 500, burst: 50 },
      // Short waits so recovery is quick; enough attempts to outlast the outage (the default
      // budget, 25 attempts with waits up to 5 min, lasts about 45 min).
      retry: { baseDelayMs: 250, maxDelayMs: 2_000, maxAttempts: 100 },
      pollIntervalMs: 50,
    })
    cleanups.push(() => relay.stop())

    const outage = Date.now()
    const outbox = createOutbox(store)
    const keys: string[] = []
    for (let seq = 0; seq < 1_000; seq++) {
      keys.push((await outbox.fire('Order Placed', { linkedAccountId: `acct-${seq % 50}`, payload: { seq } })).idempotencyKey)
    }
    await until(() => Date.now() - outage >= 30_000, 'the end of the 30 s outage', 60_000)
    expect(target.emulator.state.fires()).toHaveLength(0)
    expect(target.requests.length).toBeGreaterThan(50) // the relay kept trying throughout
    target.emulator.faults.set({ failRate: 0 })

    await until(async () => (await store.status()).total.delivered === 1_000, 'every fire delivered', 150_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify((await store.status()).total)}, relay ${JSON.stringify(relay.stats)}`)
      },
    )
    const accepted = target.acceptedKeys()
    expect(accepted).toHaveLength(1_000)
    expect(new Set(accepted)).toEqual(new Set(keys))
    const byAccount = new Map<string, number[]>()
    for (const fire of target.emulator.state.fires())
      byAccount.set(fire.linked_account_id, [...(byAccount.get(fire.linked_account_id) ?? []), fire.payload.seq as number])
    for (const [account, seqs] of byAccount) expect(seqs, account).toEqual([...seqs].sort((a, b) => a - b))
    expect((await store.status()).total).toMatchObject({ pending: 0, inFlight: 0, dead: 0 })
  })
})

describe.skipIf(!postgresAvailable)('three relay processes on one Postgres under the 429 fault', () => {
  it('keep the total request rate within the shared limit and deliver each fire once', { timeout: 180_000 }, async () => {
    const target = await startRecordingEmulator(['Order Placed'], { rateLimit: 10, burst: 2, faultRoutes: ['fire'], seed: 5 })
    cleanups.push(() => target.close())
    const schema = uniqueSchema('three')
    const store = await openPostgresStore({ connectionString: POSTGRES_URL, schema })
    cleanups.push(() => store.close())
    const outbox = createOutbox(store)
    const keys: string[] = []
    for (let seq = 0; seq < 45; seq++)
      keys.push((await outbox.fire('Order Placed', { linkedAccountId: `acct-${seq % 15}`, payload: { seq } })).idempotencyKey)

    const limit = { perSecond: 15, burst: 3 }
    const relays: CliChild[] = [0, 1, 2].map(() =>
      spawnCli(
        [
          'relay',
          '--db',
          POSTGRES_URL,
          '--schema',
          schema,
          '--concurrency',
          '6',
          '--rate-limit',
          String(limit.perSecond),
          '--burst',
          String(limit.burst),
        ],
        {
          env: { REFOLD_BASE_URL: target.emulator.url, REFOLD_API_KEY: KEY },
        },
      ),
    )
    for (const child of relays) cleanups.push(async () => void child.child.kill('SIGKILL'))
    await until(async () => (await store.status()).total.delivered === 45, 'every fire delivered', 150_000)
    for (const child of relays) child.child.kill('SIGTERM')
    const codes = await Promise.all(relays.map((child) => child.exited))
    expect(codes, relays.map((child) => child.stderr()).join('\n')).toEqual([0, 0, 0])
    const summaries = relays.map((child) => Number(/relay: (\d+) delivered/.exec(child.stdout())?.[1]))
    expect(summaries.reduce((a, b) => a + b)).toBe(45)

    const accepted = target.acceptedKeys()
    expect(accepted).toHaveLength(45)
    expect(new Set(accepted)).toEqual(new Set(keys))
    // Three relays, one order per account: arrival order at Refold is creation order.
    const byAccount = new Map<string, number[]>()
    for (const fire of target.emulator.state.fires())
      byAccount.set(fire.linked_account_id, [...(byAccount.get(fire.linked_account_id) ?? []), fire.payload.seq as number])
    for (const [account, seqs] of byAccount) expect(seqs, account).toEqual([...seqs].sort((a, b) => a - b))
    const rejected = target.requests.filter((request) => request.status === 429).length
    expect(rejected).toBeGreaterThan(0) // the fault was hit, and waited out
    // Token bucket bound over any 1 s window, allowing 100 ms between a token's grant and the
    // request's arrival at the emulator: burst + perSecond x 1.1 requests, 429s included.
    expect(
      maxInWindow(
        target.requests.map((request) => request.arrivedAt),
        1_000,
      ),
    ).toBeLessThanOrEqual(Math.floor(limit.burst + limit.perSecond * 1.1))
  })
})
