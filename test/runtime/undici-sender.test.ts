/**
 * The default sender's own dispatch handler (src/runtime/undici-sender.ts), through a client
 * and a real server: it reads answers as `dispatcher.request()` did (interim 1xx answers
 * skipped, a byte order mark dropped from any body, the body cut at `maxResponseBytes`) and
 * its deadline aborts an attempt still queued for a connection before anything is sent.
 */
import { MockAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, RefoldHttpError, RefoldServerError, TimeoutError, type RefoldClient } from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'
import { fired, startServer, type TestServer } from './support/http-server.js'

let server: TestServer
let client: RefoldClient

afterEach(async () => {
  await client?.close()
  await server?.close()
})

const FIRE = { event: 'New Contact Created', linkedAccountId: 'acct_1', payload: { a: 1 } }
const BOM = '\ufeff'

describe('undici sender', () => {
  it('skips an interim 103 answer and returns the final one', async () => {
    server = await startServer((_request, res) => {
      res.writeEarlyHints({ link: '</hints>; rel=preload' })
      fired(res, { 'x-request-id': 'rq-103' })
    })
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url })
    expect(await client.fire(FIRE)).toEqual({ status: 200, message: 'Webhook Fired Success', requestId: 'rq-103', attempts: 1 })
  })

  it.each([
    ['with a content-length', true],
    ['chunked', false],
  ])('reads a JSON answer behind a byte order mark (%s)', async (_name, withLength) => {
    const text = BOM + JSON.stringify({ status_code: 400, http_error_type: 'BAD_REQUEST', error_code: 'MISSING_FIELD', message: 'no' })
    server = await startServer((_request, res) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/json' }
      if (withLength) headers['content-length'] = Buffer.byteLength(text)
      res.writeHead(400, headers)
      // Two writes: the mark and the JSON arrive as separate chunks when chunked.
      res.write(text.slice(0, 1))
      res.end(text.slice(1))
    })
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, retry: false })
    const error = await client.fire(FIRE).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).toMatchObject({ status: 400, errorCode: 'MISSING_FIELD', serverMessage: 'no' })
  })

  it('cuts an answer off at maxResponseBytes, multi-byte text included, and reuses the pool after', async () => {
    let calls = 0
    server = await startServer((_request, res) => {
      if (++calls > 1) return fired(res)
      res.writeHead(500, { 'content-type': 'text/plain' })
      for (let i = 0; i < 64; i++) res.write('é'.repeat(1000))
      res.end()
    })
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, retry: false, maxResponseBytes: 3001 })
    const error = await client.fire(FIRE).catch((caught: unknown) => caught)
    // 3001 bytes: 1500 two-byte characters and half of one, which decodes as U+FFFD.
    expect((error as Error).message).toContain('1501 characters')
    expect((error as RefoldHttpError).bodySnippet).toMatch(/^é+/)
    expect((await client.fire(FIRE)).status).toBe(200)
  })

  it("answers through undici's MockAgent, as a user's tests pass it in dispatcher", async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    const origin = agent.get('https://app.refold.ai')
    origin
      .intercept({ path: '/api/v2/public/event/trigger', method: 'POST' })
      .reply(200, { message: 'Webhook Fired Success' }, { headers: { 'x-request-id': 'rq-mock' } })
    origin.intercept({ path: '/api/v2/public/event/trigger', method: 'POST' }).reply(503, { error_code: 'DOWN', message: 'down' })
    client = createClient({ apiKey: TEST_KEY, baseUrl: 'https://app.refold.ai', dispatcher: agent, retry: false })
    try {
      expect(await client.fire(FIRE)).toEqual({ status: 200, message: 'Webhook Fired Success', requestId: 'rq-mock', attempts: 1 })
      const error = await client.fire(FIRE).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(RefoldServerError)
      expect(error).toMatchObject({ status: 503, errorCode: 'DOWN' })
    } finally {
      await agent.close()
    }
  })

  it('times out an attempt still queued for a connection without sending it', async () => {
    server = await startServer(() => {}) // never answers
    client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, retry: false, timeoutMs: 150, connections: 1 })
    const [first, second] = await Promise.all([client.fire(FIRE), client.fire(FIRE)].map((fire) => fire.catch((caught: unknown) => caught)))
    expect(first).toBeInstanceOf(TimeoutError)
    expect(second).toBeInstanceOf(TimeoutError)
    expect(server.requests).toHaveLength(1)
  })
})
