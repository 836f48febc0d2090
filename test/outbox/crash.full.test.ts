/**
 * kill -9, for real: an application process killed inside a transaction that recorded a fire
 * (nothing of it is ever sent; every fire it committed is), and a relay process killed while
 * its requests are in flight (nothing lost: its leases run out and another relay sends those
 * fires, with the same idempotency key). Child processes, the real emulator, real stores.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../src/outbox/postgres-store.js'
import { startRelay } from '../../src/outbox/relay.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import type { OutboxStore } from '../../src/outbox/outbox-store.js'
import {
  KEY,
  POSTGRES_URL,
  postgresAvailable,
  ROOT,
  spawnCli,
  spawnNode,
  startRecordingEmulator,
  tempDir,
  uniqueSchema,
  until,
} from './support.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const APP = join(ROOT, 'test/outbox/fixtures/app-child.mjs')

async function drain(store: OutboxStore, url: string, expected: number): Promise<void> {
  const relay = startRelay({ store, clientOptions: { apiKey: KEY, baseUrl: url }, rateLimit: false, pollIntervalMs: 20 })
  try {
    await until(async () => (await store.status()).total.delivered === expected, `${expected} fires delivered`)
  } finally {
    await relay.stop()
  }
}

const stores = [
  ['sqlite', true],
  ['postgres', postgresAvailable],
] as const

for (const [kind, available] of stores) {
  it.skipIf(!available)(`${kind}: an app killed mid-transaction loses no committed fire and never sends the open one`, async () => {
    const target = await startRecordingEmulator(['Order Placed'])
    cleanups.push(() => target.close())
    const file = join(tempDir(), 'app.db')
    const schema = kind === 'postgres' ? uniqueSchema('app') : ''
    const args = kind === 'sqlite' ? [APP, 'sqlite', file, '5'] : [APP, 'postgres', POSTGRES_URL, schema, '5']
    const app = spawnNode(args, { env: { REFOLD_PACKAGE_ROOT: ROOT } })
    await until(() => app.stdout().includes('in-tx order-open') || app.child.exitCode !== null, 'the app to open its last transaction')
    expect(app.stderr()).toBe('')
    app.child.kill('SIGKILL')
    expect(await app.exited).toBe('SIGKILL')
    const committed = app
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('committed '))
      .map((line) => line.slice('committed '.length))
    expect(committed).toHaveLength(5)

    const store = kind === 'sqlite' ? await openSqliteStore({ file }) : await openPostgresStore({ connectionString: POSTGRES_URL, schema })
    cleanups.push(() => store.close())
    expect((await store.list({})).map((r) => r.idempotencyKey)).toEqual(committed)
    await drain(store, target.emulator.url, 5)
    expect(target.acceptedKeys().sort()).toEqual([...committed].sort())
  })
}

describe('a relay process killed mid-batch', () => {
  it('loses nothing: another relay takes over the expired leases; only fires in flight at the kill may arrive twice, with one key', async () => {
    const target = await startRecordingEmulator(['Order Placed'], { latencyMs: [150, 150], faultRoutes: ['fire'], seed: 1 })
    cleanups.push(() => target.close())
    const file = join(tempDir(), 'outbox.db')
    const store = await openSqliteStore({ file })
    cleanups.push(() => store.close())
    const outbox = createOutbox(store)
    const keys: string[] = []
    for (let seq = 0; seq < 24; seq++)
      keys.push((await outbox.fire('Order Placed', { linkedAccountId: `acct-${seq}`, payload: { seq } })).idempotencyKey)

    const child = spawnCli(
      ['relay', '--db', file, '--concurrency', '8', '--lease-ms', '1500', '--timeout-ms', '1000', '--rate-limit', '1000', '--burst', '100'],
      {
        env: { REFOLD_BASE_URL: target.emulator.url, REFOLD_API_KEY: KEY },
      },
    )
    cleanups.push(async () => void child.child.kill('SIGKILL'))
    await until(() => target.emulator.state.fires().length >= 4 || child.child.exitCode !== null, 'the relay to be mid-batch')
    child.child.kill('SIGKILL')
    expect(await child.exited).toBe('SIGKILL')
    const before = await store.status()
    expect(before.total.delivered).toBeLessThan(24)

    await drain(store, target.emulator.url, 24)
    const accepted = target.acceptedKeys()
    expect(new Set(accepted)).toEqual(new Set(keys))
    // A duplicate can only be a fire whose request was in flight when the relay died.
    expect(accepted.length - new Set(accepted).size).toBeLessThanOrEqual(8)
  })
})
