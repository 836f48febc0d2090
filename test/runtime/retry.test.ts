/**
 * Each retry rule, checked by counting requests on the server. Waits go through an
 * InstantClock, which records what the client asked to wait (Retry-After, backoff) without
 * sleeping: no timing assertions.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createClient,
  NetworkError,
  RateLimitError,
  RefoldHttpError,
  RefoldServerError,
  TimeoutError,
  type ClientOptions,
  type FireArgs,
  type RefoldClient,
} from '../../src/runtime/index.js'
import { parseRetryAfter } from '../../src/http/retry-after.js'
import { retryDelay, DEFAULT_RETRY } from '../../src/runtime/retry-policy.js'
import { InstantClock, TEST_KEY } from './support/fake-clock.js'
import { fired, refoldError, startServer, type Handler, type TestServer } from './support/http-server.js'

let server: TestServer
let client: RefoldClient
let clock: InstantClock

afterEach(async () => {
  await client?.close()
  await server?.close()
})

/** A server answering from `script` per request number (1-based); the last entry repeats. */
async function setup(script: Handler[], options: ClientOptions = {}): Promise<void> {
  server = await startServer((request, res, req) => {
    const handler = script[Math.min(server.requests.length, script.length) - 1]
    handler?.(request, res, req)
  })
  clock = new InstantClock()
  client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, clock, random: () => 0.5, ...options })
}

const fire = (extra: Partial<FireArgs> = {}) =>
  client.fire({ event: 'Order Paid', linkedAccountId: 'acct_1', payload: { id: 1 }, ...extra })
const failure = (extra: Partial<FireArgs> = {}) =>
  fire(extra).then(
    () => undefined,
    (error: unknown) => error,
  )

const tooMany =
  (retryAfter?: string): Handler =>
  (_r, res) =>
    refoldError(res, 429, 'TOO_MANY_REQUESTS', 'RATE_LIMITED', 'Too many', retryAfter === undefined ? {} : { 'retry-after': retryAfter })
const serverError =
  (status = 500, headers: Record<string, string> = {}): Handler =>
  (_r, res) =>
    refoldError(res, status, 'INTERNAL_SERVER_ERROR', 'INTERNAL', 'Oops', headers)
const ok: Handler = (_r, res) => fired(res)
const hang: Handler = () => {}
const dropMidResponse: Handler = (_r, res) => {
  res.writeHead(200, { 'content-length': '40' })
  res.write('{')
  setTimeout(() => res.socket?.destroy(), 5)
}

describe('retries: safe by default', () => {
  it('retries 429 and honours Retry-After in seconds', async () => {
    await setup([tooMany('1'), tooMany('3'), ok])
    const result = await fire()
    expect(result.attempts).toBe(3)
    expect(server.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 3000])
  })

  it('honours Retry-After given as an HTTP date', async () => {
    await setup([(_r, res, _req) => tooMany(new Date(clock.now() + 7000).toUTCString())(_r, res, _req), ok])
    clock.time = 1_700_000_000_000 // a whole second, so the HTTP date is exact
    await fire()
    expect(clock.sleeps).toEqual([7000])
  })

  it('backs off with full jitter when a 429 has no Retry-After', async () => {
    await setup([tooMany(), tooMany(), ok])
    await fire()
    // random() = 0.5: half of 250·2⁰, then half of 250·2¹.
    expect(clock.sleeps).toEqual([125, 250])
  })

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    await setup([tooMany('0')])
    const error = await failure()
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ attempts: 3 })
    expect(server.requests).toHaveLength(3)
  })

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    await setup([tooMany('120')], { retry: { maxRetryAfterMs: 60_000 } })
    const error = await failure()
    expect(error).toMatchObject({ retryAfterMs: 120_000, attempts: 1 })
    expect(server.requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('retries a refused connection (nothing was sent)', async () => {
    server = await startServer(ok)
    const url = server.url
    await server.close()
    clock = new InstantClock()
    client = createClient({ apiKey: TEST_KEY, baseUrl: url, clock, random: () => 0.5 })
    const error = await failure()
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ requestSent: false, attempts: 3 })
    expect(clock.sleeps).toHaveLength(2)
  })

  it.each([
    ['500', serverError(500)],
    ['502', serverError(502)],
    ['503', serverError(503)],
    ['a dropped response', dropMidResponse],
  ])('does not retry %s without an idempotency key', async (_label, handler) => {
    await setup([handler])
    const error = await failure()
    expect(error).toMatchObject({ attempts: 1 })
    expect(server.requests).toHaveLength(1)
  })

  it('does not retry a timeout without an idempotency key', async () => {
    await setup([hang], { timeoutMs: 100 })
    const error = await failure()
    expect(error).toBeInstanceOf(TimeoutError)
    expect(server.requests).toHaveLength(1)
  })

  it.each([400, 401, 403, 404, 409, 422])('never retries %i, even with an idempotency key', async (status) => {
    await setup([serverError(status)])
    const error = await failure({ idempotencyKey: 'k' })
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(server.requests).toHaveLength(1)
  })

  it('retry: false sends once, even on 429', async () => {
    await setup([tooMany('0'), ok], { retry: false })
    await expect(fire()).rejects.toBeInstanceOf(RateLimitError)
    expect(server.requests).toHaveLength(1)
  })
})

describe('retries: opted in', () => {
  it('retries 5xx when the fire has an idempotency key, resending the same key', async () => {
    await setup([serverError(503), serverError(500), ok])
    const result = await fire({ idempotencyKey: 'order-1-paid' })
    expect(result.attempts).toBe(3)
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-1-paid', 'order-1-paid', 'order-1-paid'])
    expect(new Set(server.requests.map((r) => r.body.toString())).size).toBe(1)
  })

  it('retries 5xx with retry.unsafe and no key', async () => {
    await setup([serverError(502), ok], { retry: { unsafe: true } })
    expect((await fire()).attempts).toBe(2)
  })

  it('honours Retry-After on a 503 it retries', async () => {
    await setup([serverError(503, { 'retry-after': '4' }), ok])
    await fire({ idempotencyKey: 'k' })
    expect(clock.sleeps).toEqual([4000])
  })

  it('does not retry 501 (it will not change), even with a key', async () => {
    await setup([serverError(501), ok])
    await expect(fire({ idempotencyKey: 'k' })).rejects.toBeInstanceOf(RefoldServerError)
    expect(server.requests).toHaveLength(1)
  })

  it('retries timeouts with an idempotency key', async () => {
    await setup([hang, hang, ok], { timeoutMs: 100 })
    expect((await fire({ idempotencyKey: 'k' })).attempts).toBe(3)
    expect(server.requests).toHaveLength(3)
  })

  it('retries a dropped response with an idempotency key', async () => {
    await setup([dropMidResponse, ok])
    expect((await fire({ idempotencyKey: 'k' })).attempts).toBe(2)
  })

  it('respects a larger maxAttempts', async () => {
    await setup([serverError(500)], { retry: { maxAttempts: 5, unsafe: true } })
    await expect(fire()).rejects.toMatchObject({ attempts: 5 })
    expect(server.requests).toHaveLength(5)
  })
})

describe('retry policy (pure)', () => {
  it('grows the backoff ceiling exponentially up to maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY, maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, unsafe: true }
    const error = new RefoldServerError('x', undefined, { status: 500 })
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(error, attempt, policy, false, () => 0.999))
    expect(delays).toEqual([99, 199, 399, 799, 999, 999])
    expect(retryDelay(error, 1, policy, false, () => 0)).toBe(0)
  })

  it('parses Retry-After', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })

  it('rejects nonsense retry options', () => {
    expect(() => createClient({ retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/)
    expect(() => createClient({ retry: { baseDelayMs: -1 } })).toThrow(/baseDelayMs/)
    expect(() => createClient({ retry: { maxAttempts: 2.5 } })).toThrow(/maxAttempts/)
  })
})
