/**
 * Refold's limits (issue 12 item 4): a 429, and the 403 "Rate Limit Hit" Refold's older
 * overview documents, are refused for rate before anything happened, so both clients retry
 * them with backoff; an auth 403 is never retried. A fire's idempotency key, given or derived
 * from a payload field, is the same on every attempt.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiKey } from '../../src/remote/api-key.js'
import { RemoteError } from '../../src/remote/remote-error.js'
import { RemoteHttp } from '../../src/remote/remote-http.js'
import { AuthenticationError, createClient, RateLimitError, type RefoldClient } from '../../src/runtime/index.js'
import { DEFAULT_RETRY, retryHorizonMs } from '../../src/runtime/retry-policy.js'
import { InstantClock } from '../runtime/support/fake-clock.js'

const KEY = 'tk_rate_limit_test_key'
const servers: Server[] = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

type Answer = [status: number, body: unknown]

/** A server answering from `script` per request (the last entry repeats), recording each request's headers. */
async function serve(script: Answer[]): Promise<{ url: string; requests: IncomingMessage['headers'][] }> {
  const requests: IncomingMessage['headers'][] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume()
    request.on('end', () => {
      requests.push(request.headers)
      const [status, body] = script[Math.min(requests.length, script.length) - 1]!
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

const RATE_403: Answer = [403, { status_code: 403, http_error_type: 'FORBIDDEN', message: 'Rate Limit Hit' }]
const AUTH_403: Answer = [403, { status_code: 403, http_error_type: 'FORBIDDEN', message: 'Invalid API key' }]

function management(url: string): RemoteHttp {
  const http = new RemoteHttp({
    baseUrl: url,
    apiKey: new ApiKey(KEY),
    concurrency: 1,
    requestsPerSecond: 1000,
    baseDelayMs: 1,
    maxDelayMs: 2,
  })
  closers.push(() => http.close())
  return http
}

function runtime(url: string): { client: RefoldClient; clock: InstantClock } {
  const clock = new InstantClock()
  const client = createClient({ apiKey: KEY, baseUrl: url, clock, random: () => 0.5, retry: { maxAttempts: 4 } })
  closers.push(() => client.close())
  return { client, clock }
}

describe('management client (sync, pull)', () => {
  it('retries 429 and a 403 "Rate Limit Hit", a POST included (refused before acting)', async () => {
    const server = await serve([[429, { error: 'RATE_LIMIT_EXCEEDED' }], RATE_403, [200, []]])
    const answer = await management(server.url).request({ method: 'POST', path: '/x', body: {}, idempotent: false })
    expect(answer.status).toBe(200)
    expect(server.requests).toHaveLength(3)
  })

  it('never retries an auth 403', async () => {
    const server = await serve([AUTH_403, [200, []]])
    const error = await management(server.url)
      .request({ method: 'GET', path: '/x', idempotent: true })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RemoteError)
    expect((error as RemoteError).status).toBe(403)
    expect(server.requests).toHaveLength(1)
  })
})

describe('runtime client (fires)', () => {
  it('retries a 403 "Rate Limit Hit" with backoff and reports a RateLimitError when it persists', async () => {
    const recovered = await serve([RATE_403, RATE_403, [200, { message: 'Webhook Fired Success' }]])
    const { client, clock } = runtime(recovered.url)
    const result = await client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload: {} })
    expect(result.attempts).toBe(3)
    expect(clock.sleeps).toHaveLength(2)

    const stuck = await serve([RATE_403])
    const error = await runtime(stuck.url)
      .client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload: {} })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(stuck.requests).toHaveLength(4)
  })

  it('never retries an auth 403', async () => {
    const server = await serve([AUTH_403, [200, {}]])
    const error = await runtime(server.url)
      .client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload: {} })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(server.requests).toHaveLength(1)
  })

  it('sends the key derived from the payload field on every attempt; a caller key wins; a missing field sends none', async () => {
    const server = await serve([
      [503, { message: 'busy' }],
      [200, { message: 'Webhook Fired Success' }],
    ])
    const { client } = runtime(server.url)
    const payload = { order: { id: 'ord_42', total: 12 } }
    const result = await client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload, idempotencyKeyFrom: 'order.id' })
    // A derived key makes the fire safe to retry after a 5xx, as a given one does.
    expect(result.attempts).toBe(2)
    await client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload, idempotencyKeyFrom: 'order.total' })
    await client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload, idempotencyKeyFrom: 'order.id', idempotencyKey: 'mine' })
    await client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload, idempotencyKeyFrom: 'order.missing' })
    expect(server.requests.map((headers) => headers['idempotency-key'])).toEqual(['ord_42', 'ord_42', '12', 'mine', undefined])
  })

  it("warns once per client when its retries can outlast Refold's 5-minute idempotency window", async () => {
    expect(retryHorizonMs(DEFAULT_RETRY, 10_000)).toBe(3 * 10_000 + 2 * 30_000)
    const server = await serve([[200, { message: 'Webhook Fired Success' }]])
    const codes: string[] = []
    const listener = (warning: Error & { code?: string }): void => void codes.push(warning.code ?? '')
    process.on('warning', listener)
    try {
      const fire = (client: RefoldClient) => client.fire({ event: 'Order Paid', linkedAccountId: 'acct', payload: {}, idempotencyKey: 'k' })
      const patient = createClient({ apiKey: KEY, baseUrl: server.url, retry: { maxAttempts: 12 } })
      const usual = createClient({ apiKey: KEY, baseUrl: server.url })
      closers.push(
        () => patient.close(),
        () => usual.close(),
      )
      await fire(patient)
      await fire(patient)
      await fire(usual)
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', listener)
    }
    expect(codes.filter((code) => code === 'REFOLD_RETRY_BEYOND_IDEMPOTENCY_WINDOW')).toHaveLength(1)
  })
})
