/**
 * A relay never sends a fire whose lease may run out mid-request: when the shared rate limit
 * held it back so long that a send (up to its timeout) could outlast the lease (a long
 * `Retry-After` pause), the fire is handed back untouched and claimed afresh, so no second claim,
 * by another relay or by this one, can be sending it at the same time.
 */
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import { startRelay, type RelayEvent } from '../../src/outbox/relay.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import { KEY, startRecordingEmulator, tempDir, until } from './support.js'

it('hands back a fire held up by a pause longer than its lease allows, then delivers it once', async () => {
  const target = await startRecordingEmulator(['Order Placed'])
  const store = await openSqliteStore({ file: join(tempDir(), 'outbox.db'), synchronous: 'normal' })
  const events: RelayEvent[] = []
  const relay = startRelay({
    store,
    clientOptions: { apiKey: KEY, baseUrl: target.emulator.url, timeoutMs: 1_000 },
    rateLimit: { perSecond: 100, burst: 10 },
    leaseMs: 1_500,
    pollIntervalMs: 20,
    onEvent: (event) => events.push(event),
  })
  try {
    // As a 429 with Retry-After would: far longer than the lease minus the timeout (500 ms), so
    // the claim's wait runs over it even when this machine is slow to get to the claim.
    await store.pauseSending(2_500)
    const { idempotencyKey } = await createOutbox(store).fire('Order Placed', { linkedAccountId: 'acct', payload: { seq: 1 } })
    await until(async () => (await store.status()).total.delivered === 1, 'the fire delivered after the pause')
    expect(target.acceptedKeys()).toEqual([idempotencyKey])
    expect(target.requests).toHaveLength(1) // nothing was sent during the pause
    expect(events.filter((event) => event.type === 'lease_lost')).toEqual([])
    const [record] = await store.list({})
    expect(record).toMatchObject({ state: 'delivered', lastError: { name: 'RelayReleased' } })
  } finally {
    await relay.stop()
    await store.close()
    await target.close()
  }
})
