/**
 * The client-side token bucket, driven by a manual clock: assertions count requests that got
 * through at each point of (fake) time, never measure real time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { REFOLD_RATE_LIMIT } from '../../src/http/rate-limiter.js'
import { createClient, type RefoldClient } from '../../src/runtime/index.js'
import { TokenBucket } from '../../src/http/rate-limiter.js'
import { ManualClock, TEST_KEY } from '../runtime/support/fake-clock.js'
import { fired, refoldError, startServer, waitFor, type TestServer } from '../runtime/support/http-server.js'

/** Lets queued microtasks and I/O callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('TokenBucket', () => {
  it('lets a burst through, then one token per 1/perSecond', async () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket({ perSecond: 20, burst: 5 }, clock)
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBeUndefined()
    let granted = 0
    for (let i = 0; i < 4; i++) void bucket.take()?.then(() => granted++)
    expect(bucket.waiting).toBe(4)
    clock.advance(49)
    await settle()
    expect(granted).toBe(0)
    clock.advance(1) // 50 ms: one token at 20/s
    await settle()
    expect(granted).toBe(1)
    clock.advance(100) // two more
    await settle()
    expect(granted).toBe(3)
    clock.advance(1000)
    await settle()
    expect(granted).toBe(4)
    expect(bucket.waiting).toBe(0)
  })

  it('refills up to the burst size only', async () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, clock)
    clock.advance(60_000)
    let free = 0
    while (bucket.take() === undefined) free++
    expect(free).toBe(3)
  })

  it('serves waiters first come, first served', async () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, clock)
    bucket.take()
    const order: number[] = []
    for (const n of [1, 2, 3]) void bucket.take()?.then(() => order.push(n))
    for (let i = 0; i < 3; i++) {
      clock.advance(1000)
      await settle()
    }
    expect(order).toEqual([1, 2, 3])
  })

  it('rejects nonsense settings', () => {
    const clock = new ManualClock()
    expect(() => new TokenBucket({ perSecond: 0 }, clock)).toThrow(/perSecond/)
    expect(() => new TokenBucket({ perSecond: 5, burst: 0 }, clock)).toThrow(/burst/)
  })
})

describe('client rateLimit', () => {
  let server: TestServer
  let client: RefoldClient
  afterEach(async () => {
    await client?.close()
    await server?.close()
  })

  it('keeps a burst of 12 fires under 20/s with bursts of 5', async () => {
    server = await startServer((_r, res) => fired(res))
    const clock = new ManualClock()
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, clock, rateLimit: { perSecond: 20, burst: 5 } })
    const fires = Array.from({ length: 12 }, (_, i) => client.fire({ event: 'E', linkedAccountId: 'a', payload: { i } }))
    await waitFor(() => server.requests.length === 5, '5 requests')
    await settle()
    expect(server.requests).toHaveLength(5)
    clock.advance(50)
    await waitFor(() => server.requests.length === 6, '6 requests')
    await settle()
    expect(server.requests).toHaveLength(6)
    // 300 ms would earn 6 tokens, but the bucket holds at most 5.
    clock.advance(300)
    await waitFor(() => server.requests.length === 11, '11 requests')
    await settle()
    expect(server.requests).toHaveLength(11)
    clock.advance(50)
    await waitFor(() => server.requests.length === 12, '12 requests')
    const results = await Promise.all(fires)
    expect(results.every((r) => r.status === 200)).toBe(true)
  })

  it('rateLimit: true applies Refold’s documented 20/s, burst 5', async () => {
    expect(REFOLD_RATE_LIMIT).toEqual({ perSecond: 20, burst: 5 })
    server = await startServer((_r, res) => fired(res))
    const clock = new ManualClock()
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, clock, rateLimit: true })
    const fires = Array.from({ length: 7 }, () => client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }))
    await waitFor(() => server.requests.length === 5, '5 requests')
    await settle()
    expect(server.requests).toHaveLength(5)
    clock.advance(100)
    await Promise.all(fires)
    expect(server.requests).toHaveLength(7)
  })

  it('retries take a token too', async () => {
    let calls = 0
    server = await startServer((_r, res) =>
      ++calls === 1 ? refoldError(res, 429, 'TOO_MANY_REQUESTS', 'RATE_LIMITED', 'slow', { 'retry-after': '0' }) : fired(res),
    )
    const clock = new ManualClock()
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, clock, rateLimit: { perSecond: 1, burst: 1 } })
    const firing = client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    await waitFor(() => server.requests.length === 1, 'first attempt')
    // Retry-After 0 asks for no wait, but the bucket is empty: the retry waits for a token.
    clock.advance(0)
    await settle()
    expect(server.requests).toHaveLength(1)
    clock.advance(1000)
    expect((await firing).attempts).toBe(2)
  })
})
