/**
 * The exact request `fire` puts on the wire: path, headers and body bytes, as Refold documents
 * them, checked on a real loopback server.
 */
import { Agent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, withEvent, type RefoldClient } from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'
import { fired, startServer, type TestServer } from './support/http-server.js'

let server: TestServer
let client: RefoldClient

afterEach(async () => {
  await client?.close()
  await server?.close()
})

async function setup(options: Parameters<typeof createClient>[0] = {}): Promise<void> {
  server = await startServer((_request, res) => fired(res, { 'x-request-id': 'req-123' }))
  client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, ...options })
}

describe('fire: request shape', () => {
  it('posts to /api/v2/public/event/{slug} with Refold headers and {event, payload}', async () => {
    await setup()
    const payload = { first_name: 'Jane', email: 'jane@example.com', company: null, tags: ['a'], n: 1.5 }
    const result = await client.fire({ event: 'New Contact Created', linkedAccountId: 'acct_42', slug: 'hubspot', payload })

    expect(result).toEqual({ status: 200, message: 'Webhook Fired Success', requestId: 'req-123', attempts: 1 })
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/api/v2/public/event/hubspot')
    expect(request?.headers['x-api-key']).toBe(TEST_KEY)
    expect(request?.headers['linked_account_id']).toBe('acct_42')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['config_id']).toBeUndefined()
    expect(request?.headers['instance_tag']).toBeUndefined()
    expect(request?.headers['idempotency-key']).toBeUndefined()
    expect(request?.headers['slug']).toBeUndefined()
    expect(request?.body.toString('utf8')).toBe(
      '{"event":"New Contact Created","payload":{"first_name":"Jane","email":"jane@example.com","company":null,"tags":["a"],"n":1.5}}',
    )
  })

  it('posts to /api/v2/public/event/trigger without a slug', async () => {
    await setup()
    await client.fire({ event: 'Invoice Paid', linkedAccountId: 'acct_1', payload: { amount: 10 } })
    expect(server.requests[0]?.url).toBe('/api/v2/public/event/trigger')
    expect(server.requests[0]?.headers['slug']).toBeUndefined()
  })

  it('URL-encodes the slug as one path segment', async () => {
    await setup()
    await client.fire({ event: 'E', linkedAccountId: 'a', slug: 'my app/../x?y#z', payload: {} })
    expect(server.requests[0]?.url).toBe('/api/v2/public/event/my%20app%2F..%2Fx%3Fy%23z')
  })

  it('sends each fire to its own slug when fires alternate between apps', async () => {
    await setup()
    for (const slug of ['hubspot', 'salesforce', 'hubspot', undefined, 'hubspot']) {
      await client.fire({ event: 'E', linkedAccountId: 'a', slug, payload: {} })
    }
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/v2/public/event/hubspot',
      '/api/v2/public/event/salesforce',
      '/api/v2/public/event/hubspot',
      '/api/v2/public/event/trigger',
      '/api/v2/public/event/hubspot',
    ])
  })

  it('never throws: a fire refused before sending is a rejected promise', async () => {
    await setup({ validate: 'error' })
    const refuseAll = Object.assign(() => false, {
      errors: [{ instancePath: '/x', keyword: 'type', params: {}, message: 'must be string' }],
    })
    const refusals = [
      () => client.fire(null as never),
      () => client.fire({ event: '', linkedAccountId: 'a', payload: {} }),
      () => client.fire({ event: 'E', linkedAccountId: 'a', payload: { n: 1n } }),
      () => client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }, refuseAll),
    ]
    for (const refusal of refusals) {
      let fired: Promise<unknown> | undefined
      expect(() => (fired = refusal())).not.toThrow()
      await expect(fired).rejects.toBeInstanceOf(Error)
    }
    await client.close()
    await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toThrow('closed')
    expect(server.requests).toHaveLength(0)
  })

  it('sends config_id, instance_tag and the idempotency key when given', async () => {
    await setup()
    await client.fire({
      event: 'E',
      linkedAccountId: 'a',
      payload: {},
      configId: 'cfg_7',
      instanceTag: 'nightly-import',
      idempotencyKey: 'order-981-paid',
    })
    const headers = server.requests[0]?.headers
    expect(headers?.['config_id']).toBe('cfg_7')
    expect(headers?.['instance_tag']).toBe('nightly-import')
    expect(headers?.['idempotency-key']).toBe('order-981-paid')
  })

  it('uses a configurable idempotency header name', async () => {
    await setup({ idempotencyHeader: 'X-Dedup-Key' })
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {}, idempotencyKey: 'k1' })
    expect(server.requests[0]?.headers['x-dedup-key']).toBe('k1')
    expect(server.requests[0]?.headers['idempotency-key']).toBeUndefined()
  })

  it('rejects an idempotency header name that is not an HTTP token', () => {
    expect(() => createClient({ idempotencyHeader: 'bad header' })).toThrow(/idempotencyHeader/)
  })

  it.each([
    ['accents and a check mark', 'Nouveau contact créé ✓'],
    ['emoji outside the BMP', 'Deal won 🎉'],
    ['CJK', '新しい連絡先'],
    ['decomposed (NFD) accent', 'Cafe\u0301 opened'],
    ['quotes and backslashes', 'He said "hi" \\ bye'],
  ])('sends a Unicode event name byte-exact (%s)', async (_label, event) => {
    await setup()
    await client.fire({ event, linkedAccountId: 'a', payload: { name: event } })
    const request = server.requests[0]
    const expected = Buffer.from(JSON.stringify({ event, payload: { name: event } }), 'utf8')
    expect(request?.body.equals(expected)).toBe(true)
    expect(Number(request?.headers['content-length'])).toBe(expected.length)
    const parsed = JSON.parse(request?.body.toString('utf8') ?? '') as { event: string }
    // No normalisation: NFD stays NFD, so Refold's exact-match lookup sees the same code points.
    expect(parsed.event).toBe(event)
  })

  it('keeps the path prefix of a base URL behind a gateway', async () => {
    server = await startServer((_request, res) => fired(res))
    client = createClient({ apiKey: TEST_KEY, baseUrl: `${server.url}/refold/` })
    await client.fire({ event: 'E', linkedAccountId: 'a', slug: 'hubspot', payload: {} })
    expect(server.requests[0]?.url).toBe('/refold/api/v2/public/event/hubspot')
  })

  it('reads REFOLD_API_KEY and REFOLD_BASE_URL when no options are given', async () => {
    server = await startServer((_request, res) => fired(res))
    client = createClient({ env: { REFOLD_API_KEY: ` ${TEST_KEY}\n`, REFOLD_BASE_URL: server.url } })
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    // Surrounding whitespace (a copied .env line) is trimmed.
    expect(server.requests[0]?.headers['x-api-key']).toBe(TEST_KEY)
  })

  it('defaults to https://app.refold.ai', () => {
    const defaultClient = createClient({ env: {} }) as RefoldClient & { baseUrl: string }
    expect(defaultClient.baseUrl).toBe('https://app.refold.ai')
    client = defaultClient
  })

  it('reuses one keep-alive connection for sequential fires', async () => {
    await setup()
    for (let i = 0; i < 20; i++) await client.fire({ event: 'E', linkedAccountId: 'a', payload: { i } })
    expect(server.requests).toHaveLength(20)
    // undici's pool may open a second socket while the first is still being marked free after
    // a response; what matters is that sockets are reused, not opened per fire.
    expect(server.sockets.accepted).toBeLessThanOrEqual(2)
  })

  it('reports a 2xx answer without Refold JSON as success with an empty message', async () => {
    server = await startServer((_request, res) => {
      res.writeHead(202, { 'content-type': 'text/plain' })
      res.end('queued')
    })
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url })
    const result = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    expect(result).toEqual({ status: 202, message: '', requestId: undefined, attempts: 1 })
  })

  it('sends through a given undici dispatcher and leaves it open on close()', async () => {
    server = await startServer((_request, res) => fired(res))
    let dispatched = 0
    const base = new Agent()
    const agent = base.compose((dispatch) => (options, handler) => {
      dispatched++
      return dispatch(options, handler)
    })
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, dispatcher: agent })
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    await client.close()
    expect(dispatched).toBe(1)
    expect(base.closed).toBe(false)
    await base.close()
  })
})

describe('withEvent (what generated helpers pass to fire)', () => {
  it('copies every field a fire reads and sets the event, which wins over one smuggled into args', () => {
    const args = {
      linkedAccountId: 'a',
      slug: 's',
      payload: { x: 1 },
      idempotencyKey: 'k',
      configId: 'c',
      instanceTag: 't',
      event: 'Other',
    }
    expect(withEvent(args, 'Order Placed')).toEqual({
      event: 'Order Placed',
      linkedAccountId: 'a',
      slug: 's',
      payload: { x: 1 },
      idempotencyKey: 'k',
      configId: 'c',
      instanceTag: 't',
    })
    const minimal = withEvent({ linkedAccountId: 'a', payload: null }, 'E')
    expect(minimal.event).toBe('E')
    expect(minimal.slug).toBeUndefined()
    // The event file's idempotencyKey path is the default; the caller's wins.
    expect(withEvent({ linkedAccountId: 'a', payload: null }, 'E', 'order.id').idempotencyKeyFrom).toBe('order.id')
    expect(withEvent({ linkedAccountId: 'a', payload: null, idempotencyKeyFrom: 'x' }, 'E', 'order.id').idempotencyKeyFrom).toBe('x')
  })
})
