/**
 * Every answer Refold (or something in front of it) can give maps to one typed error carrying
 * the status, Refold's envelope fields and the request id; odd bodies never leak a SyntaxError.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  createClient,
  InvalidEventError,
  NetworkError,
  RateLimitError,
  RefoldError,
  RefoldHttpError,
  RefoldServerError,
  TimeoutError,
  type ClientOptions,
  type RefoldClient,
} from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'
import { fired, json, refoldError, startServer, type Handler, type TestServer } from './support/http-server.js'

let server: TestServer
let client: RefoldClient

afterEach(async () => {
  await client?.close()
  await server?.close()
})

async function fireAgainst(handler: Handler, options: ClientOptions = {}): Promise<unknown> {
  server = await startServer(handler)
  client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, retry: false, ...options })
  return client.fire({ event: 'New Contact Created', linkedAccountId: 'acct_1', slug: 'hubspot', payload: { a: 1 } }).then(
    () => {
      throw new Error('expected the fire to fail')
    },
    (error: unknown) => error,
  )
}

describe('fire: typed errors', () => {
  it('404 INVALID_EVENT is an InvalidEventError with the envelope and request id', async () => {
    const error = await fireAgainst((_r, res) =>
      refoldError(res, 404, 'NOT_FOUND', 'INVALID_EVENT', 'Trigger not found', { 'x-request-id': 'rq-9' }),
    )
    expect(error).toBeInstanceOf(InvalidEventError)
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).toBeInstanceOf(RefoldError)
    expect(error).toMatchObject({
      name: 'InvalidEventError',
      status: 404,
      errorCode: 'INVALID_EVENT',
      httpErrorType: 'NOT_FOUND',
      serverMessage: 'Trigger not found',
      requestId: 'rq-9',
      event: 'New Contact Created',
      attempts: 1,
    })
    expect((error as Error).message).toContain('"New Contact Created"')
    expect((error as Error).message).toContain('rq-9')
  })

  it('another 404 is a plain RefoldHttpError', async () => {
    const error = await fireAgainst((_r, res) => refoldError(res, 404, 'NOT_FOUND', 'RESOURCE_NOT_FOUND', 'No such thing'))
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).not.toBeInstanceOf(InvalidEventError)
    expect(error).toMatchObject({ status: 404, errorCode: 'RESOURCE_NOT_FOUND' })
  })

  it.each([401, 403])('%i is an AuthenticationError', async (status) => {
    const error = await fireAgainst((_r, res) => refoldError(res, status, 'UNAUTHORIZED', 'INVALID_API_KEY', 'Invalid API key'))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status, errorCode: 'INVALID_API_KEY', serverMessage: 'Invalid API key' })
    expect((error as Error).message).toContain('REFOLD_API_KEY')
  })

  it('reads the older envelope form ({error, error_type}) too', async () => {
    const error = await fireAgainst((_r, res) =>
      json(res, 400, {
        status_code: 400,
        error_type: 'BAD_REQUEST',
        error: 'MISSING_LINKED_ACCOUNT',
        message: 'linked_account_id missing',
      }),
    )
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).toMatchObject({ status: 400, errorCode: 'MISSING_LINKED_ACCOUNT', httpErrorType: 'BAD_REQUEST' })
  })

  it('429 is a RateLimitError with the wait Refold asked for', async () => {
    const error = await fireAgainst((_r, res) =>
      refoldError(res, 429, 'TOO_MANY_REQUESTS', 'RATE_LIMITED', 'Slow down', { 'retry-after': '2' }),
    )
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000 })
  })

  it.each([500, 503])('%i is a RefoldServerError', async (status) => {
    const error = await fireAgainst((_r, res) => refoldError(res, status, 'INTERNAL_SERVER_ERROR', 'INTERNAL', 'Oops'))
    expect(error).toBeInstanceOf(RefoldServerError)
    expect(error).toMatchObject({ status, errorCode: 'INTERNAL' })
  })

  it('an HTML 502 page is a RefoldServerError, not a SyntaxError', async () => {
    const page =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
    const error = await fireAgainst((_r, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end(page)
    })
    expect(error).toBeInstanceOf(RefoldServerError)
    expect(error).toMatchObject({ status: 502, errorCode: undefined })
    expect((error as RefoldServerError).bodySnippet).toContain('502 Bad Gateway')
    expect((error as Error).message).toContain('text/html')
  })

  it('invalid JSON in an error answer is a typed error, not a SyntaxError', async () => {
    const error = await fireAgainst((_r, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end('{"status_code": 400, "message": ')
    })
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).not.toBeInstanceOf(SyntaxError)
    expect(error).toMatchObject({ status: 400, serverMessage: undefined })
  })

  it('a redirect is not followed (the key must not travel elsewhere)', async () => {
    const error = await fireAgainst((_r, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' })
      res.end()
    })
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).toMatchObject({ status: 307 })
    expect(server.requests).toHaveLength(1)
  })

  it('reads at most maxResponseBytes of a 10 MB answer and stays usable', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024)
    let calls = 0
    const error = await fireAgainst((_r, res) => {
      calls++
      if (calls > 1) return fired(res)
      res.writeHead(400, { 'content-type': 'text/plain' })
      res.end(big)
    })
    expect(error).toBeInstanceOf(RefoldHttpError)
    // The message states how much was read: the 1 MiB cap, not 10 MB.
    expect((error as Error).message).toContain(`${1024 * 1024} characters`)
    expect((error as RefoldHttpError).bodySnippet?.length).toBeLessThanOrEqual(201)
    const result = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })
    expect(result.status).toBe(200)
  })

  it('a 10 MB answer without content-length is cut off too', async () => {
    const error = await fireAgainst(
      (_r, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' }) // chunked: no content-length
        const chunk = 'y'.repeat(64 * 1024)
        for (let i = 0; i < 160; i++) res.write(chunk)
        res.end()
      },
      { maxResponseBytes: 4096 },
    )
    expect(error).toBeInstanceOf(RefoldServerError)
    expect((error as Error).message).toContain('4096 characters')
  })

  it('a server that closes mid-response gives a NetworkError (request sent), not retried', async () => {
    const error = await fireAgainst(
      (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.write('{"message":')
        setTimeout(() => res.socket?.destroy(), 10)
      },
      { retry: {} },
    )
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ requestSent: true, attempts: 1 })
    expect(server.requests).toHaveLength(1)
  })

  it('a server that drops the connection before answering gives a NetworkError (request sent)', async () => {
    const error = await fireAgainst((_r, res) => res.socket?.destroy(), { retry: {} })
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ requestSent: true })
    expect(server.requests).toHaveLength(1)
  })

  it('a refused connection is a NetworkError with requestSent false', async () => {
    server = await startServer((_r, res) => fired(res))
    const url = server.url
    await server.close()
    client = createClient({ apiKey: TEST_KEY, baseUrl: url, retry: false })
    const error = await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ requestSent: false, networkCode: 'ECONNREFUSED', attempts: 1 })
    expect((error as Error).message).toContain('nothing was sent')
  })

  it('a server that never answers gives a TimeoutError', async () => {
    const error = await fireAgainst(() => {}, { timeoutMs: 150 })
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ timeoutMs: 150, attempts: 1 })
  })

  it('a server that sends headers, then stalls the body, gives a TimeoutError', async () => {
    const error = await fireAgainst(
      (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '50' })
        res.write('{')
      },
      { timeoutMs: 150 },
    )
    expect(error).toBeInstanceOf(TimeoutError)
  })
})
