import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { call, createEvent, start, tempDir } from './helpers.js'

/** Every authenticated route, with a method it serves. */
const ROUTES: Array<[string, string]> = [
  ['GET', '/api/v2/public/application/event'],
  ['POST', '/api/v2/public/application/event'],
  ['GET', '/api/v2/public/application/event/000000000000000000000000'],
  ['PUT', '/api/v2/public/application/event/000000000000000000000000'],
  ['DELETE', '/api/v2/public/application/event/000000000000000000000000'],
  ['POST', '/api/v2/public/event'],
  ['POST', '/api/v2/public/event/trigger'],
  ['POST', '/api/v2/public/event/hubspot'],
  ['GET', '/api/v2/public/workflow'],
  ['GET', '/api/v2/public/workflow/abc'],
  ['GET', '/_emulator/fires'],
  ['GET', '/_emulator/fires/abc'],
  ['GET', '/_emulator/runs'],
  ['GET', '/_emulator/runs/abc'],
  ['GET', '/_emulator/webhooks'],
  ['POST', '/_emulator/reset'],
  ['GET', '/_emulator/faults'],
  ['PUT', '/_emulator/faults'],
]

/** Send raw bytes and return the raw answer (for requests an HTTP client will not make). */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe('request errors', () => {
  it.each(ROUTES)('%s %s answers 401 without a key and with a wrong key', async (method, path) => {
    const emulator = await start()
    const codeKey = path.includes('/application/event') ? 'error' : 'error_code'
    const missing = await call(emulator, method, path, { key: null })
    expect(missing.status).toBe(401)
    expect(missing.json).toEqual({
      status_code: 401,
      http_error_type: 'UNAUTHORIZED',
      [codeKey]: 'UNAUTHORIZED',
      message: 'Missing x-api-key header',
    })
    const wrong = await call(emulator, method, path, { key: 'tk_wrong' })
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({ status_code: 401, http_error_type: 'UNAUTHORIZED', [codeKey]: 'UNAUTHORIZED', message: 'Invalid API key' })
    expect(wrong.text).not.toContain('tk_wrong')
  })

  it('says session tokens are not supported when only Authorization is sent', async () => {
    const emulator = await start()
    const answer = await call(emulator, 'GET', '/api/v2/public/workflow', { key: null, headers: { authorization: 'Bearer abc' } })
    expect(answer.status).toBe(401)
    expect(answer.json.message).toMatch(/session tokens are not supported/)
  })

  it('serves health without a key', async () => {
    const emulator = await start()
    const answer = await call(emulator, 'GET', '/_emulator/health', { key: null })
    expect(answer.json).toEqual({ status: 'ok', events: 0, workflows: 0 })
  })

  it('answers unknown routes with a 404 envelope', async () => {
    const emulator = await start()
    for (const path of [
      '/',
      '/api/v2/public/nope',
      '/api/v2/public/event/a/b',
      '/_emulator',
      '/api/v2/public/application/event/%E0%A4%A',
    ]) {
      const answer = await call(emulator, 'GET', path)
      expect(answer.status).toBe(404)
      expect(answer.json).toMatchObject({ status_code: 404, http_error_type: 'NOT_FOUND', error_code: 'ROUTE_NOT_FOUND' })
    }
  })

  it('answers wrong methods with 405 and an Allow header', async () => {
    const emulator = await start()
    const cases: Array<[string, string, string]> = [
      // /event/{x}: GET, PUT and DELETE manage the event with id x (the SDK's path family), POST fires for app x.
      ['PATCH', '/api/v2/public/event/hubspot', 'GET, PUT, DELETE, POST'],
      ['DELETE', '/api/v2/public/application/event', 'GET, POST'],
      ['POST', '/api/v2/public/application/event/abc', 'GET, PUT, DELETE'],
      ['PATCH', '/api/v2/public/workflow', 'GET'],
      ['DELETE', '/_emulator/fires', 'GET'],
    ]
    for (const [method, path, allow] of cases) {
      const answer = await call(emulator, method, path)
      expect(answer.status).toBe(405)
      expect(answer.headers.allow).toBe(allow)
      expect(answer.json).toMatchObject({
        status_code: 405,
        http_error_type: 'METHOD_NOT_ALLOWED',
        message: `${method} is not allowed on ${path} (allowed: ${allow})`,
      })
    }
  })

  it('tolerates a trailing slash', async () => {
    const emulator = await start()
    expect((await call(emulator, 'GET', '/api/v2/public/application/event/')).status).toBe(200)
  })

  it('answers malformed JSON with 400 INVALID_JSON on every body route', async () => {
    const emulator = await start()
    const headers = { 'content-type': 'application/json', linked_account_id: 'a' }
    for (const [method, path] of ROUTES.filter(([m, p]) => (m === 'POST' || m === 'PUT') && !p.includes('reset'))) {
      const answer = await call(emulator, method, path, { body: '{"event": "x",', headers })
      expect(answer.status).toBe(400)
      expect(answer.json).toMatchObject({
        status_code: 400,
        http_error_type: 'BAD_REQUEST',
        message: expect.stringMatching(/^Request body is not valid JSON: /),
      })
    }
  })

  it('answers a non-JSON content type with 415', async () => {
    const emulator = await start()
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
      const answer = await call(emulator, 'POST', '/api/v2/public/application/event', {
        body: '{"name":"x","response":"{}"}',
        headers: type === undefined ? {} : { 'content-type': type },
      })
      expect(answer.status).toBe(415)
      expect(answer.json).toMatchObject({ status_code: 415, http_error_type: 'UNSUPPORTED_MEDIA_TYPE', error: 'UNSUPPORTED_MEDIA_TYPE' })
    }
    const accepted = await call(emulator, 'POST', '/api/v2/public/application/event', {
      body: '{"name":"x","response":"{}"}',
      headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
    })
    expect(accepted.status).toBe(200)
  })

  it('answers bodies over the limit with 413, declared or streamed, and keeps serving', async () => {
    const emulator = await start({ maxBodyBytes: 1000 })
    await createEvent(emulator, 'E', {})
    const big = JSON.stringify({ event: 'E', payload: { blob: 'x'.repeat(5000) } })
    const declared = await call(emulator, 'POST', '/api/v2/public/event', {
      body: big,
      headers: { 'content-type': 'application/json', linked_account_id: 'a' },
    })
    expect(declared.status).toBe(413)
    expect(declared.json).toEqual({
      status_code: 413,
      http_error_type: 'PAYLOAD_TOO_LARGE',
      error_code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is larger than the limit of 1000 bytes',
    })
    // Chunked, so the size is only known while reading.
    const chunked = await rawRequest(
      emulator.url,
      `POST /api/v2/public/event HTTP/1.1\r\nHost: x\r\nx-api-key: tk_test_key_123\r\nlinked_account_id: a\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /)
    expect(emulator.state.fires()).toEqual([])
    const small = await call(emulator, 'POST', '/api/v2/public/event', {
      body: { event: 'E', payload: {} },
      headers: { linked_account_id: 'a' },
    })
    expect(small.status).toBe(200)
  })

  it('refuses nesting deeper than it can store, in a body or in a sample, and keeps saving', async () => {
    const emulator = await start({ stateFile: 'state.json', cwd: tempDir() })
    await createEvent(emulator, 'E', {})
    let deep = '1'
    for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`
    const fired = await call(emulator, 'POST', '/api/v2/public/event', {
      body: `{"event":"E","payload":${deep}}`,
      headers: { 'content-type': 'application/json', linked_account_id: 'a' },
    })
    expect(fired.status).toBe(400)
    expect(fired.json).toMatchObject({ error_code: 'INVALID_REQUEST_BODY', message: 'Request body nests deeper than 512 levels' })
    const sample = await call(emulator, 'POST', '/api/v2/public/application/event', { body: { name: 'Deep', response: deep } })
    expect(sample.status).toBe(400)
    expect(sample.json).toMatchObject({ error: 'INVALID_REQUEST_BODY', message: 'response nests deeper than 512 levels' })
    let fine = '1'
    for (let i = 0; i < 100; i++) fine = `{"a":${fine}}`
    expect((await call(emulator, 'POST', '/api/v2/public/application/event', { body: { name: 'Nested', response: fine } })).status).toBe(
      200,
    )
    expect(
      (
        await call(emulator, 'POST', '/api/v2/public/event', {
          body: `{"event":"Nested","payload":${fine}}`,
          headers: { 'content-type': 'application/json', linked_account_id: 'a' },
        })
      ).status,
    ).toBe(200)
  })

  it('survives garbage on the wire and clients that hang up mid-body', async () => {
    const emulator = await start()
    const garbage = await rawRequest(emulator.url, 'NOT HTTP AT ALL\r\n\r\n')
    expect(garbage).toMatch(/^HTTP\/1\.1 400/)
    const { hostname, port } = new URL(emulator.url)
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          'POST /api/v2/public/application/event HTTP/1.1\r\nHost: x\r\nx-api-key: tk_test_key_123\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"na',
        )
        setTimeout(() => socket.destroy(), 50)
      })
      socket.on('close', () => resolve())
    })
    expect((await call(emulator, 'GET', '/api/v2/public/application/event')).status).toBe(200)
  })
})
