import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiKey } from '../../src/remote/api-key.js'
import { RefoldEventsApi } from '../../src/remote/events-api.js'
import { RemoteError } from '../../src/remote/remote-error.js'
import { RemoteHttp } from '../../src/remote/remote-http.js'

const KEY = 'tk_remote_http_secret'
type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void

const servers: Server[] = []
const clients: RemoteHttp[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A scripted server on a free loopback port; `log` records every request. */
async function serve(handler: Handler): Promise<{ url: string; log: Array<{ method: string; path: string; key: string | undefined }> }> {
  const log: Array<{ method: string; path: string; key: string | undefined }> = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      log.push({ method: request.method!, path: request.url!, key: request.headers['x-api-key'] as string | undefined })
      handler(request, response, body)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log }
}

function client(url: string, overrides: Partial<ConstructorParameters<typeof RemoteHttp>[0]> = {}): RemoteHttp {
  const http = new RemoteHttp({
    baseUrl: url,
    apiKey: new ApiKey(KEY),
    concurrency: 4,
    requestsPerSecond: 1000,
    baseDelayMs: 1,
    maxDelayMs: 5,
    ...overrides,
  })
  clients.push(http)
  return http
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

describe('RemoteHttp', () => {
  it('retries a GET through 503s and 429s, honouring Retry-After, and sends the key as x-api-key', async () => {
    let n = 0
    const server = await serve((_, response) => {
      n++
      if (n === 1) return json(response, 503, { error: 'SERVICE_UNAVAILABLE', message: 'busy' }, { 'retry-after-ms': '5' })
      if (n === 2) return json(response, 429, { error: 'RATE_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '0' })
      json(response, 200, [])
    })
    const answer = await client(server.url).request({ method: 'GET', path: '/api/v2/public/application/event', idempotent: true })
    expect(answer.body).toBe('[]')
    expect(server.log).toHaveLength(3)
    expect(server.log.every((r) => r.key === KEY)).toBe(true)
  })

  it('never resends a POST that may have taken effect (5xx), but does after a 429', async () => {
    const server = await serve((request, response) => json(response, 500, { error: 'INTERNAL', message: 'boom' }))
    const http = client(server.url)
    const error = await http.request({ method: 'POST', path: '/x', body: {}, idempotent: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RemoteError)
    expect((error as RemoteError).maybeApplied).toBe(true)
    expect(server.log).toHaveLength(1)

    let n = 0
    const limited = await serve((_, response) =>
      ++n === 1 ? json(response, 429, { error: 'RATE' }, { 'retry-after-ms': '1' }) : json(response, 200, []),
    )
    await client(limited.url).request({ method: 'POST', path: '/x', body: {}, idempotent: false })
    expect(limited.log).toHaveLength(2)
  })

  it("does not retry a 4xx, and its message has the status and Refold's code but never the key", async () => {
    const server = await serve((_, response) => json(response, 401, { error: 'UNAUTHORIZED', message: `bad key ${KEY}` }))
    const error = (await client(server.url)
      .request({ method: 'GET', path: '/x', idempotent: true })
      .catch((e: unknown) => e)) as RemoteError
    expect(server.log).toHaveLength(1)
    expect(error.message).toBe('GET /x failed (401 UNAUTHORIZED: bad key [redacted])')
    expect(JSON.stringify(error)).not.toContain(KEY)
  })

  it('gives up after maxAttempts, saying how many', async () => {
    const server = await serve((_, response) => json(response, 502, { error: 'BAD_GATEWAY' }))
    const error = (await client(server.url, { maxAttempts: 3 })
      .request({ method: 'GET', path: '/x', idempotent: true })
      .catch((e: unknown) => e)) as RemoteError
    expect(server.log).toHaveLength(3)
    expect(error.message).toBe('GET /x failed (502 BAD_GATEWAY) after 3 attempts')
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0
    let most = 0
    const server = await serve((_, response) => {
      inFlight++
      most = Math.max(most, inFlight)
      setTimeout(() => {
        inFlight--
        json(response, 200, {})
      }, 5)
    })
    const http = client(server.url, { concurrency: 3 })
    await Promise.all(Array.from({ length: 20 }, () => http.request({ method: 'GET', path: '/x', idempotent: true })))
    expect(server.log).toHaveLength(20)
    expect(most).toBeLessThanOrEqual(3)
    expect(most).toBeGreaterThan(1)
  })

  it('refuses to send the key over plain http to a non-loopback host', () => {
    expect(
      () => new RemoteHttp({ baseUrl: 'http://refold.example.com', apiKey: new ApiKey(KEY), concurrency: 1, requestsPerSecond: 1 }),
    ).toThrow(/Refusing to send the Refold API key over plain http/)
  })
})

describe('RefoldEventsApi.create', () => {
  /** A server holding events, which loses the answer of the first `lose` creates after storing them. */
  async function eventsServer(lose: number) {
    const events: Array<{ _id: string; name: string; raw_response: string; json_schema?: unknown; response: [] }> = []
    let lost = 0
    const server = await serve((request, response, body) => {
      if (request.method === 'GET') return json(response, 200, events)
      const input = JSON.parse(body) as { name: string; response: string; json_schema?: unknown }
      if (events.some((e) => e.name === input.name)) {
        return json(response, 400, { error: 'INVALID_EVENT_ID', message: `Trigger with name ${input.name} already exists` })
      }
      events.push({
        _id: String(events.length + 1).padStart(24, '0'),
        name: input.name,
        raw_response: input.response,
        json_schema: input.json_schema,
        response: [],
      })
      if (lost < lose) {
        lost++
        return request.socket.destroy()
      }
      json(response, 200, events)
    })
    return { server, events }
  }
  const body = { name: 'Order Placed', response: '{"id":"o1"}', json_schema: { type: 'object' as const } }

  it('a create whose answer was lost is found by listing, not sent again', async () => {
    const { server, events } = await eventsServer(1)
    const created = await new RefoldEventsApi(client(server.url)).create(body)
    expect(created.id).toBe('000000000000000000000001')
    expect(events).toHaveLength(1)
    expect(server.log.map((r) => r.method)).toEqual(['POST', 'GET'])
  })

  it('a taken name with the same content counts as created; with other content it is a conflict', async () => {
    const { server } = await eventsServer(0)
    const api = new RefoldEventsApi(client(server.url))
    await api.create(body)
    await expect(api.create(body)).resolves.toEqual({ id: '000000000000000000000001' })
    await expect(api.create({ ...body, response: '{"id":"o2"}' })).rejects.toThrow(/already has a different event named "Order Placed"/)
  })
})
