import { describe, expect, it } from 'vitest'
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js'
import { FaultInjector, defaultFaultOptions } from '../../src/emulator/faults.js'
import type { RequestLogEntry } from '../../src/emulator/request-pipeline.js'
import { call, createEvent, start } from './helpers.js'

/** The outcome of each of `count` sequential fires: the status, or `dropped`. */
async function fireOutcomes(options: EmulatorOptions, count: number): Promise<Array<number | 'dropped'>> {
  const emulator = await start({ faultRoutes: ['fire'], ...options })
  await createEvent(emulator, 'E', {})
  const outcomes: Array<number | 'dropped'> = []
  for (let i = 0; i < count; i++) {
    const answer = await call(emulator, 'POST', '/api/v2/public/event', {
      body: { event: 'E', payload: { i } },
      headers: { linked_account_id: 'a', connection: 'close' },
    }).catch(() => null)
    outcomes.push(answer === null ? 'dropped' : answer.status)
  }
  await emulator.close()
  return outcomes
}

describe('fault injection', () => {
  it('gives the same fault sequence for the same seed, and another for another seed', async () => {
    const options = { failRate: 0.3, dropRate: 0.2, seed: 42 }
    const first = await fireOutcomes(options, 60)
    const second = await fireOutcomes(options, 60)
    expect(second).toEqual(first)
    expect(new Set(first)).toEqual(new Set([200, 500, 503, 'dropped']))
    expect(await fireOutcomes({ ...options, seed: 43 }, 60)).not.toEqual(first)
  })

  it('draws each route class from its own stream, so other traffic does not shift it', async () => {
    const sequence = (interleave: boolean) => async (): Promise<number[]> => {
      const emulator = await start({ failRate: 0.5, seed: 7, faultRoutes: ['events', 'workflows'] })
      const statuses: number[] = []
      for (let i = 0; i < 30; i++) {
        if (interleave) await call(emulator, 'GET', '/api/v2/public/workflow')
        statuses.push((await call(emulator, 'GET', '/api/v2/public/application/event')).status)
      }
      return statuses
    }
    const alone = await sequence(false)()
    expect(await sequence(true)()).toEqual(alone)
    expect(alone).toContain(200)
    expect(alone.some((status) => status >= 500)).toBe(true)
  })

  it('faults only the route classes asked for, and never the inspection routes', async () => {
    const emulator = await start({ failRate: 1, faultRoutes: ['events'] })
    const failed = await call(emulator, 'GET', '/api/v2/public/application/event')
    expect([500, 503]).toContain(failed.status)
    expect(failed.json).toMatchObject({
      status_code: failed.status,
      error: failed.status === 500 ? 'INTERNAL_SERVER_ERROR' : 'SERVICE_UNAVAILABLE',
    })
    expect(failed.json.message).toMatch(/injected by the emulator/)
    expect((await call(emulator, 'GET', '/api/v2/public/workflow')).status).toBe(200)
    expect(
      (await call(emulator, 'POST', '/api/v2/public/event', { body: { event: 'nope' }, headers: { linked_account_id: 'a' } })).status,
    ).toBe(404)
    expect((await call(emulator, 'GET', '/_emulator/fires')).status).toBe(200)
    expect(emulator.state.events()).toEqual([])
  })

  it('injects only the statuses asked for', async () => {
    const statuses = await fireOutcomes({ failRate: 1, failStatuses: [502, 504], seed: 11 }, 20)
    expect(new Set(statuses)).toEqual(new Set([502, 504]))
    const emulator = await start({ failRate: 1, failStatuses: [503], faultRoutes: ['workflows'] })
    const answer = await call(emulator, 'GET', '/api/v2/public/workflow')
    expect(answer.status).toBe(503)
    expect(answer.headers['retry-after']).toBe('1')
    expect(answer.json).toEqual({
      status_code: 503,
      http_error_type: 'SERVICE_UNAVAILABLE',
      error_code: 'SERVICE_UNAVAILABLE',
      message: 'Service unavailable (injected by the emulator)',
    })
  })

  it('applies a dropped write before or after it takes effect, as the log shows', async () => {
    const log: RequestLogEntry[] = []
    const emulator = await start({ dropRate: 1, seed: 3, faultRoutes: ['events'], log: (entry) => log.push(entry) })
    for (let i = 0; i < 20; i++) {
      const answer = await call(emulator, 'POST', '/api/v2/public/application/event', { body: { name: `E${i}`, response: '{}' } }).catch(
        (error: Error) => error,
      )
      expect(answer).toBeInstanceOf(Error)
    }
    const faults = log.map((entry) => entry.fault)
    expect(log.every((entry) => entry.status === 'dropped')).toBe(true)
    const after = faults.filter((fault) => fault === 'drop-after').length
    expect(after).toBeGreaterThan(0)
    expect(after).toBeLessThan(20)
    // Exactly the writes dropped after taking effect exist.
    expect(emulator.state.events().map((e) => e.name)).toEqual(log.flatMap((entry, i) => (entry.fault === 'drop-after' ? [`E${i}`] : [])))
  })

  it('answers 429 with Retry-After beyond the rate limit', async () => {
    // One token per 20 s: no pause of a loaded machine can refill the bucket mid-test.
    const emulator = await start({ rateLimit: 0.05, burst: 2, faultRoutes: ['events'] })
    const statuses = []
    let limited: Awaited<ReturnType<typeof call>> | undefined
    for (let i = 0; i < 3; i++) {
      const answer = await call(emulator, 'GET', '/api/v2/public/application/event')
      statuses.push(answer.status)
      if (answer.status === 429) limited = answer
    }
    expect(statuses).toEqual([200, 200, 429])
    const waitMs = Number(limited!.headers['retry-after-ms'])
    expect(waitMs).toBeGreaterThan(0)
    expect(waitMs).toBeLessThanOrEqual(20_000)
    expect(limited!.headers['retry-after']).toBe(String(Math.ceil(waitMs / 1000)))
    expect(limited!.json).toMatchObject({ status_code: 429, http_error_type: 'TOO_MANY_REQUESTS', error: 'RATE_LIMIT_EXCEEDED' })
    // Another class has its own bucket.
    expect((await call(emulator, 'GET', '/api/v2/public/workflow')).status).toBe(200)
  })

  it('adds latency and reports it in the log', async () => {
    const log: RequestLogEntry[] = []
    const emulator = await start({ latencyMs: [5, 10], faultRoutes: ['workflows'], log: (entry) => log.push(entry) })
    await call(emulator, 'GET', '/api/v2/public/workflow')
    await call(emulator, 'GET', '/api/v2/public/application/event')
    expect(log.map((entry) => entry.fault)).toEqual(['latency', undefined])
  })

  it('reads and changes the fault settings while running', async () => {
    const emulator = await start({ seed: 5 })
    expect((await call(emulator, 'GET', '/_emulator/faults')).json).toEqual({
      latency_ms: [0, 0],
      fail_rate: 0,
      fail_statuses: [500, 503],
      drop_rate: 0,
      rate_limit: null,
      burst: 5,
      routes: ['events', 'fire', 'workflows'],
      seed: 5,
    })
    const changed = await call(emulator, 'PUT', '/_emulator/faults', { body: { fail_rate: 1, routes: ['workflows'] } })
    expect(changed.json).toMatchObject({ fail_rate: 1, routes: ['workflows'] })
    expect((await call(emulator, 'GET', '/api/v2/public/workflow')).status).toBeGreaterThanOrEqual(500)
    for (const body of [
      { fail_rate: 2 },
      { fail_statuses: [404] },
      { fail_statuses: [] },
      { routes: ['nope'] },
      { fail_rat: 1 },
      { drop_rate: 0.6, fail_rate: 0.6 },
      { latency_ms: [5, 1] },
    ]) {
      const refused = await call(emulator, 'PUT', '/_emulator/faults', { body })
      expect(refused.status).toBe(400)
    }
    emulator.faults.set({ failRate: 0 })
    expect((await call(emulator, 'GET', '/api/v2/public/workflow')).status).toBe(200)
  })

  it('draws exactly three values per request whatever the outcome (unit)', () => {
    const a = new FaultInjector({ ...defaultFaultOptions(9), failRate: 0.5 })
    const b = new FaultInjector({ ...defaultFaultOptions(9), failRate: 0, dropRate: 0.5 })
    // Same seed, different rates: the fault draw is the same number, so outcomes line up one to one.
    for (let i = 0; i < 200; i++) {
      const x = a.decide('fire').outcome
      const y = b.decide('fire').outcome
      expect(x === 'fail').toBe(y.startsWith('drop'))
    }
  })
})
