/**
 * The API key goes only to https or loopback, and never shows up in an error message, a stack,
 * `util.inspect` or `JSON.stringify` of a client or an error, or a warning, whatever the
 * failure, even when a server echoes it back.
 */
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createClient,
  getDefaultClient,
  RefoldConfigurationError,
  RefoldError,
  setDefaultClient,
  type ClientOptions,
  type InvalidPayloadReport,
  type RefoldClient,
  type Transport,
} from '../../src/runtime/index.js'
import { isLoopbackHost } from '../../src/http/base-url.js'
import { InstantClock, TEST_KEY } from './support/fake-clock.js'
import { json, startServer, type Handler, type TestServer } from './support/http-server.js'

let server: TestServer | undefined
let client: RefoldClient | undefined

afterEach(async () => {
  await client?.close()
  await server?.close()
  server = undefined
  client = undefined
})

/** Every rendering of `value` a log line or error report could contain. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true }), inspect(value), JSON.stringify(value) ?? '', String(value)]
  if (value instanceof Error) out.push(value.message, value.stack ?? '', inspect(value.cause, { depth: 10 }))
  return out
}

function expectNoKey(value: unknown): void {
  for (const text of renderings(value)) expect(text).not.toContain(TEST_KEY)
}

const neverSends: Transport = async () => {
  throw new Error('the transport must not be called')
}

describe('API key: never in output', () => {
  const echoing: Array<[string, Handler]> = [
    [
      'an echoed key in the envelope',
      (r, res) => json(res, 401, { error_code: String(r.headers['x-api-key']), message: `bad key ${String(r.headers['x-api-key'])}` }),
    ],
    [
      'an echoed key in an HTML page',
      (r, res) => {
        res.writeHead(502, { 'content-type': 'text/html' })
        res.end(`<html>upstream rejected x-api-key: ${String(r.headers['x-api-key'])}</html>`)
      },
    ],
    ['a 404 INVALID_EVENT', (_r, res) => json(res, 404, { error_code: 'INVALID_EVENT', message: 'Trigger not found' })],
    ['a 429', (_r, res) => json(res, 429, { message: 'slow' }, { 'retry-after': '0' })],
    ['a dropped connection', (_r, res) => res.socket?.destroy()],
    ['a timeout', () => {}],
  ]

  it.each(echoing)('not in the error for %s', async (_label, handler) => {
    server = await startServer(handler)
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, timeoutMs: 100, clock: new InstantClock() })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefoldError)
    expectNoKey(error)
  })

  it('is redacted where a server echoed it', async () => {
    server = await startServer((r, res) => json(res, 400, { error_code: 'X', message: `got ${String(r.headers['x-api-key'])}` }))
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect((error as RefoldError).serverMessage).toBe('got [redacted]')
  })

  it('not in the error for a refused connection', async () => {
    server = await startServer(() => {})
    const url = server.url
    await server.close()
    server = undefined
    client = createClient({ apiKey: TEST_KEY, baseUrl: url, clock: new InstantClock() })
    expectNoKey(await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e))
  })

  it('not in util.inspect or JSON.stringify of the client, before and after a fire', async () => {
    server = await startServer((_r, res) => json(res, 200, { message: 'Webhook Fired Success' }))
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url })
    expectNoKey(client)
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    expectNoKey(client)
    expect(inspect(client)).toContain(server.url)
  })

  it('not in an invalid-payload report, and scrubbed by the redactSecrets hooks receive', async () => {
    const reports: InvalidPayloadReport[] = []
    const scrubbed: string[] = []
    client = createClient({
      apiKey: TEST_KEY,
      transport: async () => ({ status: 200, body: '{}' }),
      validate: 'warn',
      onInvalid: (report, context) => {
        reports.push(report)
        scrubbed.push(context.redactSecrets(JSON.stringify(context.payload)))
      },
    })
    const rejectAll = Object.assign(() => false, {
      errors: [{ instancePath: '/x', keyword: 'type', params: {}, message: 'must be string' }],
    })
    // The key inside the payload itself (a caller's mistake) must not reach what hooks write either.
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: { x: 1, leaked: `key=${TEST_KEY}` } }, rejectAll)
    expect(reports).toHaveLength(1)
    expectNoKey(reports[0])
    expect(scrubbed).toEqual(['{"x":1,"leaked":"key=[redacted]"}'])
  })

  it('not in the error for a key with a line break (and nothing is sent)', async () => {
    client = createClient({ apiKey: `${TEST_KEY}\u0000x`, transport: neverSends })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toMatchObject({ problem: 'invalid_api_key' })
    expectNoKey(error)
  })
})

describe('API key: only over https or loopback', () => {
  it.each([
    ['http://example.com', 'the baseUrl option'],
    ['http://10.0.0.5:4010', 'the baseUrl option'],
    ['http://127.0.0.1.nip.io', 'the baseUrl option'],
  ])('refuses plain http to %s before sending', async (baseUrl) => {
    client = createClient({ apiKey: TEST_KEY, baseUrl, transport: neverSends })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefoldConfigurationError)
    expect(error).toMatchObject({ problem: 'insecure_base_url' })
    expect((error as Error).message).toMatch(/Refusing to send the Refold API key over plain http/)
    expectNoKey(error)
  })

  it('refuses an insecure REFOLD_BASE_URL and names the variable', async () => {
    client = createClient({ env: { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: 'http://refold.internal' }, transport: neverSends })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect((error as Error).message).toContain('REFOLD_BASE_URL')
  })

  it('refuses a base URL with credentials without echoing them', async () => {
    client = createClient({ apiKey: TEST_KEY, baseUrl: 'https://user:hunter2@app.refold.ai', transport: neverSends })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toMatchObject({ problem: 'invalid_base_url' })
    expect(renderings(error).join('\n')).not.toContain('hunter2')
  })

  it('rejects a base URL that is not http(s)', async () => {
    client = createClient({ apiKey: TEST_KEY, baseUrl: 'ftp://app.refold.ai', transport: neverSends })
    await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toMatchObject({ problem: 'invalid_base_url' })
  })

  it('sends over https and to loopback', async () => {
    const seen: string[] = []
    const transport: Transport = async (request) => {
      seen.push(request.url)
      return { status: 200, body: '{"message":"Webhook Fired Success"}' }
    }
    for (const baseUrl of ['https://app.refold.ai', 'http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      const c = createClient({ apiKey: TEST_KEY, baseUrl, transport })
      await c.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
      await c.close()
    }
    expect(seen).toEqual([
      'https://app.refold.ai/api/v2/public/event/trigger',
      'http://127.0.0.1:4010/api/v2/public/event/trigger',
      'http://localhost:4010/api/v2/public/event/trigger',
      'http://[::1]:4010/api/v2/public/event/trigger',
    ])
  })

  it('knows which hosts are loopback', () => {
    const host = (url: string) => new URL(url).hostname
    for (const url of [
      'http://127.0.0.1',
      'http://127.255.3.4',
      'http://127.1',
      'http://[::1]',
      'http://localhost',
      'http://LOCALHOST',
      'http://[::ffff:127.0.0.1]',
    ]) {
      expect(isLoopbackHost(host(url)), url).toBe(true)
    }
    for (const url of [
      'http://128.0.0.1',
      'http://0.0.0.0',
      'http://[::2]',
      'http://localhost.example.com',
      'http://127.0.0.1.nip.io',
      'http://[::ffff:10.0.0.1]',
    ]) {
      expect(isLoopbackHost(host(url)), url).toBe(false)
    }
  })
})

describe('API key: missing', () => {
  it('createClient does not throw; the first fire rejects with a clear error', async () => {
    client = createClient({ env: {} })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefoldConfigurationError)
    expect(error).toMatchObject({ problem: 'missing_api_key', attempts: 0 })
    expect((error as Error).message).toContain('REFOLD_API_KEY')
  })

  it('picks up REFOLD_API_KEY set after the client was created', async () => {
    const env: Record<string, string | undefined> = {}
    const seen: Array<string | undefined> = []
    client = createClient({ env, transport: async (r) => (seen.push(r.headers['x-api-key']), { status: 200 }) })
    env.REFOLD_API_KEY = TEST_KEY
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    expect(seen).toEqual([TEST_KEY])
  })

  it('a custom transport may run without a key (it authenticates itself)', async () => {
    const seen: Array<Record<string, string>> = []
    client = createClient({ env: {}, transport: async (r) => (seen.push({ ...r.headers }), { status: 200 }) })
    await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    expect(seen[0]).not.toHaveProperty('x-api-key')
  })

  it('getDefaultClient builds one client lazily, and a new one after close', async () => {
    const saved = process.env.REFOLD_API_KEY
    delete process.env.REFOLD_API_KEY
    try {
      setDefaultClient(undefined)
      const first = getDefaultClient()
      expect(getDefaultClient()).toBe(first)
      await expect(first.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toMatchObject({ problem: 'missing_api_key' })
      await first.close()
      expect(getDefaultClient()).not.toBe(first)
      const custom = createClient({ apiKey: TEST_KEY, transport: neverSends } satisfies ClientOptions)
      setDefaultClient(custom)
      expect(getDefaultClient()).toBe(custom)
      await custom.close()
    } finally {
      setDefaultClient(undefined)
      if (saved !== undefined) process.env.REFOLD_API_KEY = saved
    }
  })
})
