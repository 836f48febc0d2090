/**
 * A custom `transport` replaces undici but keeps validation, retries and typed errors: it sees
 * the same request (as HTTP and as data) and its answers map to the same error classes.
 */
import { describe, expect, it } from 'vitest'
import {
  createClient,
  InvalidEventError,
  NetworkError,
  TimeoutError,
  type Transport,
  type TransportRequest,
} from '../../src/runtime/index.js'
import { InstantClock, TEST_KEY } from './support/fake-clock.js'

const ok = { status: 200, headers: { 'X-Request-Id': 'rq-1' }, body: '{"message":"Webhook Fired Success"}' }

describe('custom transport', () => {
  it('receives the request as HTTP and as data, and its answer becomes the result', async () => {
    const seen: TransportRequest[] = []
    const client = createClient({
      apiKey: TEST_KEY,
      baseUrl: 'https://app.refold.ai',
      transport: async (request) => (seen.push(request), ok),
    })
    const result = await client.fire({
      event: 'Deal Won',
      linkedAccountId: 'acct_9',
      slug: 'salesforce',
      payload: { amount: 5 },
      configId: 'c1',
      idempotencyKey: 'd-1',
    })
    expect(result).toEqual({ status: 200, message: 'Webhook Fired Success', requestId: 'rq-1', attempts: 1 })
    const [request] = seen
    expect(request).toMatchObject({
      url: 'https://app.refold.ai/api/v2/public/event/salesforce',
      method: 'POST',
      body: '{"event":"Deal Won","payload":{"amount":5}}',
      event: 'Deal Won',
      payload: { amount: 5 },
      linkedAccountId: 'acct_9',
      slug: 'salesforce',
      configId: 'c1',
      instanceTag: undefined,
      idempotencyKey: 'd-1',
      attempt: 1,
    })
    expect(request?.headers).toEqual({
      'content-type': 'application/json',
      linked_account_id: 'acct_9',
      'x-api-key': TEST_KEY,
      config_id: 'c1',
      'idempotency-key': 'd-1',
    })
    expect(request?.signal).toBeInstanceOf(AbortSignal)
    await client.close()
  })

  it('maps its error answers to the typed errors', async () => {
    const client = createClient({
      apiKey: TEST_KEY,
      transport: async () => ({
        status: 404,
        body: '{"status_code":404,"http_error_type":"NOT_FOUND","error_code":"INVALID_EVENT","message":"Trigger not found"}',
      }),
    })
    await expect(client.fire({ event: 'Nope', linkedAccountId: 'a', payload: {} })).rejects.toBeInstanceOf(InvalidEventError)
  })

  it('a connect-phase failure (ECONNREFUSED) is retried; attempts are numbered', async () => {
    const attempts: number[] = []
    const transport: Transport = async (request) => {
      attempts.push(request.attempt)
      if (request.attempt < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
      return ok
    }
    const client = createClient({ apiKey: TEST_KEY, transport, clock: new InstantClock() })
    expect((await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).attempts).toBe(3)
    expect(attempts).toEqual([1, 2, 3])
  })

  it('any other failure counts as possibly sent and is not retried', async () => {
    let calls = 0
    const client = createClient({
      apiKey: TEST_KEY,
      clock: new InstantClock(),
      transport: async () => {
        calls++
        throw new Error('socket hang up')
      },
    })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ requestSent: true })
    expect(calls).toBe(1)
  })

  it('a transport that never answers times out, and its signal is aborted', async () => {
    let signal: AbortSignal | undefined
    const client = createClient({
      apiKey: TEST_KEY,
      timeoutMs: 50,
      transport: (request) => {
        signal = request.signal
        return new Promise(() => {})
      },
    })
    await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toBeInstanceOf(TimeoutError)
    expect(signal?.aborted).toBe(true)
  })

  it('an answer without a valid status is a typed error', async () => {
    const client = createClient({ apiKey: TEST_KEY, transport: async () => ({ status: 0 }) })
    await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toMatchObject({ name: 'NetworkError' })
  })
})
