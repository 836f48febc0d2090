/**
 * Refold's limits, runtime against the real emulator over loopback: a rate-limit refusal (429,
 * or the 403 "Rate Limit Hit" of Refold's older overview) is retried after exactly the wait the
 * server asked for in `retry-after-ms` (not the whole seconds of `Retry-After`), within the
 * retry budget; an auth refusal is never retried.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import type { RequestLogEntry } from '../../src/emulator/request-pipeline.js'
import { systemClock } from '../../src/http/clock.js'
import { AuthenticationError, createClient, RateLimitError, type Clock, type RefoldClient } from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'

const EVENT = 'Order Paid'
const running: Array<{ close(): Promise<void> }> = []

afterEach(async () => {
  while (running.length > 0) await running.pop()!.close()
})

/** The system clock, recording every wait the client asks for (the waits really happen). */
class RecordingClock implements Clock {
  readonly sleeps: number[] = []
  now(): number {
    return systemClock.now()
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    return systemClock.sleep(ms)
  }
}

/** An emulator that lets one fire through per second, with `Order Paid` defined. */
async function limitedEmulator(rateLimitStatus: 429 | 403, log: RequestLogEntry[]): Promise<RunningEmulator> {
  const emulator = await startEmulator({
    port: 0,
    stateFile: null,
    apiKey: TEST_KEY,
    rateLimit: 1,
    burst: 1,
    faultRoutes: ['fire'],
    compat: { rateLimitStatus },
    log: (entry) => log.push(entry),
  })
  running.push(emulator)
  const created = await fetch(`${emulator.url}/api/v2/public/application/event`, {
    method: 'POST',
    headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: EVENT, response: JSON.stringify({ order_id: 'ord_1' }) }),
  })
  expect(created.status).toBe(200)
  return emulator
}

function client(emulator: RunningEmulator, clock: Clock, key = TEST_KEY): RefoldClient {
  const made = createClient({ apiKey: key, baseUrl: emulator.url, clock, retry: { maxAttempts: 4 } })
  running.push(made)
  return made
}

/** The waits the emulator asked for, read from its own refusal messages ("retry in N ms"). */
function askedWaits(log: readonly RequestLogEntry[]): number[] {
  return log.filter((entry) => entry.fault === 'rate-limit').map((entry) => Number(/retry in (\d+) ms/.exec(entry.note ?? '')![1]))
}

describe('rate-limit refusals from the emulator', () => {
  it.each([429, 403] as const)('%i: retried after exactly the retry-after-ms the emulator asked for', async (status) => {
    const log: RequestLogEntry[] = []
    const emulator = await limitedEmulator(status, log)
    const clock = new RecordingClock()
    const refold = client(emulator, clock)
    const fire = () => refold.fire({ event: EVENT, linkedAccountId: 'acct_1', payload: { order_id: 'ord_1' } })
    expect((await fire()).attempts).toBe(1)
    const second = await fire()
    const refusals = log.filter((entry) => entry.fault === 'rate-limit')
    expect(refusals.length).toBeGreaterThan(0)
    expect(refusals.every((entry) => entry.status === status)).toBe(true)
    expect(second.attempts).toBe(1 + refusals.length)
    // Whole seconds would be 1000 here; the client waits what the server computed, to the millisecond.
    expect(clock.sleeps).toEqual(askedWaits(log))
    expect(emulator.state.fires()).toHaveLength(2)
  })

  it('a wait longer than maxRetryAfterMs is not waited for: the RateLimitError carries it', async () => {
    const log: RequestLogEntry[] = []
    const emulator = await limitedEmulator(403, log)
    const clock = new RecordingClock()
    const refold = createClient({ apiKey: TEST_KEY, baseUrl: emulator.url, clock, retry: { maxRetryAfterMs: 10 } })
    running.push(refold)
    const fire = () => refold.fire({ event: EVENT, linkedAccountId: 'acct_1', payload: { order_id: 'ord_1' } })
    await fire()
    const error = await fire().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(askedWaits(log)[0])
    expect((error as RateLimitError).message).toContain('403 RATE_LIMIT_HIT: Rate Limit Hit')
    expect(clock.sleeps).toEqual([])
  })

  it('a 403 that is not about the rate is an auth refusal and never retried', async () => {
    const emulator = await limitedEmulator(403, [])
    // The emulator refuses a wrong key with 401; a gateway answering 403 for it is the runtime's unit tests'.
    const clock = new RecordingClock()
    const error = await client(emulator, clock, 'tk_wrong')
      .fire({ event: EVENT, linkedAccountId: 'acct_1', payload: { order_id: 'ord_1' } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(clock.sleeps).toEqual([])
  })
})
