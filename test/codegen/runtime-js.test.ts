/**
 * Generated code at run time, the way users run it: `generated/` compiled by `tsc` as
 * emitted (no `allowJs`: every module is TypeScript), the validator modules imported from
 * disk by a real `node` process (real ESM resolution through package.json "exports"), and
 * the helpers called from plain JavaScript against a real HTTP server on loopback: a wrong
 * payload, with `validate: 'error'`, rejects with PayloadValidationError naming the path and
 * sends nothing; a right one is posted as Refold documents.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { compileSpecs, runProcess, strictTsconfig, tempProject, TSC, writeTree, type EventSpec } from './support.js'

const CONTACT: EventSpec = {
  name: 'New Contact Created',
  apps: ['hubspot'],
  sample: { first_name: 'Jane', email: 'jane@example.com', signed_up_at: '2024-05-01T10:00:00Z', tags: ['vip'] },
  // Objects are open and `email` is not inferred by default (issue 10); this event closes its
  // root and asks for the format in its override, which the validators must enforce.
  schema: {
    properties: {
      first_name: { minLength: 1 },
      email: { format: 'email' },
      tags: { uniqueItems: true, items: { enum: ['vip', 'trial'] } },
    },
    additionalProperties: false,
  },
}
const ORDER: EventSpec = {
  name: 'Order Placed',
  sample: { order_id: 'ord_1', total: 9.5, customer: { id: 'cus_1', website: 'https://example.com' } },
  schema: { properties: { customer: { properties: { website: { format: 'uri' } } } } },
  // The generic fireEvent must derive the key from the payload as the event's own helper does.
  idempotencyKey: 'order_id',
}

// An optional field named like an Object.prototype member: must be read from the payload only.
const PROFILE: EventSpec = {
  name: 'Profile Updated',
  sample: { id: 'u1', constructor: 'Jane' },
  examples: [{ id: 'u2' }],
}

interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

describe('generated code at run time', () => {
  let project: string
  let server: Server
  let baseUrl: string
  const received: Received[] = []

  beforeAll(async () => {
    project = tempProject()
    const files = await generateFiles(await compileSpecs(CONTACT, ORDER, PROFILE))
    writeTree(project, Object.fromEntries(files.map((file) => [`generated/${file.path}`, file.contents])))
    // A user's build: tsc compiles generated/ into build/, nothing copied by hand.
    writeFileSync(
      join(project, 'tsconfig.emit.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext', noEmit: false, rootDir: 'generated', outDir: 'build' }, [
        'generated/index.mts',
      ]),
    )
    const build = await runProcess(TSC, ['-p', 'tsconfig.emit.json'], { cwd: project })
    expect(build.stdout + build.stderr).toBe('')
    server = createServer((request, response) => {
      let body = ''
      request.setEncoding('utf8')
      request.on('data', (chunk: string) => (body += chunk))
      request.on('end', () => {
        received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Webhook Fired Success"}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('imports each compiled validator module from disk, with formats, enums and uniqueness working', async () => {
    writeFileSync(
      join(project, 'check-validators.mjs'),
      `import { validateNewContactCreated } from './build/events/new-contact-created.validate.mjs'
import { validateOrderPlaced } from './build/events/order-placed.validate.mjs'
import { validateProfileUpdated } from './build/events/profile-updated.validate.mjs'
const results = []
const check = (validator, payload) => {
  const ok = validator(payload)
  results.push({ ok, errors: (validator.errors ?? []).map((e) => [e.instancePath, e.keyword]) })
}
check(validateNewContactCreated, { first_name: 'Jane', email: 'jane@example.com', signed_up_at: '2024-05-01T10:00:00Z', tags: ['vip'] })
check(validateNewContactCreated, { first_name: '', email: 'not-an-email', signed_up_at: 'yesterday', tags: ['vip', 'vip', 'gold'], extra: 1 })
check(validateOrderPlaced, { order_id: 'o', total: 1, customer: { id: 'c', website: 'https://x.io/a?b=c' } })
check(validateOrderPlaced, { order_id: 'o', total: '1', customer: { id: 'c', website: 'not a uri' } })
check(validateProfileUpdated, { id: 'u3' })
check(validateProfileUpdated, { id: 'u3', constructor: 7 })
process.stdout.write(JSON.stringify(results))
`,
    )
    const result = await runProcess(process.execPath, ['check-validators.mjs'], { cwd: project })
    expect(result.stderr).toBe('')
    const results = JSON.parse(result.stdout) as { ok: boolean; errors: [string, string][] }[]
    expect(results[0]).toEqual({ ok: true, errors: [] })
    expect(results[1]!.ok).toBe(false)
    expect(results[1]!.errors).toEqual(
      expect.arrayContaining([
        ['', 'additionalProperties'],
        ['/first_name', 'minLength'],
        ['/email', 'format'],
        ['/signed_up_at', 'format'],
        ['/tags/2', 'enum'],
        ['/tags', 'uniqueItems'],
      ]),
    )
    expect(results[2]).toEqual({ ok: true, errors: [] })
    expect(results[3]!.errors).toEqual(
      expect.arrayContaining([
        ['/total', 'type'],
        ['/customer/website', 'format'],
      ]),
    )
    expect(results[4]).toEqual({ ok: true, errors: [] })
    expect(results[5]!.errors).toEqual([['/constructor', 'type']])
  })

  it('from JavaScript: a wrong payload rejects with PayloadValidationError naming each path, and nothing is sent', async () => {
    writeFileSync(
      join(project, 'fire.mjs'),
      `import { fireNewContactCreated, fireEvent } from './build/index.mjs'
import { createClient, PayloadValidationError } from 'refold-events/runtime'
const client = createClient({ baseUrl: process.env.TEST_BASE_URL, apiKey: 'tk_test_key', retry: false, validate: 'error' })
const out = {}
try {
  await fireNewContactCreated({ linkedAccountId: 'acct_1', payload: { first_name: 'Jane', email: 42, tags: ['nope'], emial: 'x' } }, client)
  out.wrong = 'sent'
} catch (error) {
  out.wrong = { isPayloadValidationError: error instanceof PayloadValidationError, paths: error.issues.map((i) => i.path), message: error.message }
}
try {
  await fireEvent('No Such Event', { linkedAccountId: 'acct_1', payload: {} }, client)
} catch (error) {
  out.unknown = error.name + ': ' + error.message
}
out.right = await fireNewContactCreated({ linkedAccountId: 'acct_1', slug: 'hubspot', payload: { first_name: 'Jane', email: 'jane@example.com', signed_up_at: '2024-05-01T10:00:00Z', tags: ['vip'] }, idempotencyKey: 'idem-1' }, client)
out.generic = await fireEvent('Order Placed', { linkedAccountId: 'acct_2', payload: { order_id: 'o', total: 1, customer: { id: 'c', website: 'https://x.io' } } }, client)
await client.close()
process.stdout.write(JSON.stringify(out))
`,
    )
    received.length = 0
    const result = await runProcess(process.execPath, ['fire.mjs'], { cwd: project, env: { ...process.env, TEST_BASE_URL: baseUrl } })
    expect(result.stderr).toBe('')
    const out = JSON.parse(result.stdout) as {
      wrong: { isPayloadValidationError: boolean; paths: string[]; message: string }
      unknown: string
      right: { status: number; message: string }
      generic: { status: number }
    }
    expect(out.wrong.isPayloadValidationError).toBe(true)
    expect(out.wrong.paths).toEqual(expect.arrayContaining(['/email', '/signed_up_at', '/tags/0', '/emial']))
    expect(out.wrong.message).toContain('/email')
    expect(out.unknown).toBe('TypeError: Unknown Refold event "No Such Event": not one of eventNames')
    expect(out.right).toMatchObject({ status: 200, message: 'Webhook Fired Success' })
    expect(out.generic.status).toBe(200)
    // Only the two valid fires reached the server.
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v2/public/event/hubspot', 'POST /api/v2/public/event/trigger'])
    expect(received[0]!.headers).toMatchObject({ 'x-api-key': 'tk_test_key', linked_account_id: 'acct_1', 'idempotency-key': 'idem-1' })
    expect(JSON.parse(received[0]!.body)).toEqual({
      event: 'New Contact Created',
      payload: { first_name: 'Jane', email: 'jane@example.com', signed_up_at: '2024-05-01T10:00:00Z', tags: ['vip'] },
    })
    expect(JSON.parse(received[1]!.body)).toMatchObject({ event: 'Order Placed' })
    expect(received[1]!.headers['idempotency-key']).toBe('o')
  })

  it("importing one event's module loads its own validator and no other event's code", async () => {
    // Only this event's two modules are left: any import of another event's module would fail.
    const only = join(project, 'only-order')
    mkdirSync(join(only, 'events'), { recursive: true })
    for (const name of ['order-placed.mjs', 'order-placed.validate.mjs'])
      copyFileSync(join(project, 'build/events', name), join(only, 'events', name))
    writeFileSync(
      join(project, 'fire-one.mjs'),
      `import { fireOrderPlaced } from './only-order/events/order-placed.mjs'
import { createClient } from 'refold-events/runtime'
const client = createClient({ baseUrl: process.env.TEST_BASE_URL, apiKey: 'tk_test_key', retry: false, validate: 'error' })
const out = {}
out.wrong = await fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 1 } }, client).catch((error) => error.issues.map((i) => i.path))
out.right = (await fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 'o', total: 1, customer: { id: 'c', website: 'https://x.io' } } }, client)).status
await client.close()
process.stdout.write(JSON.stringify(out))
`,
    )
    received.length = 0
    const result = await runProcess(process.execPath, ['fire-one.mjs'], { cwd: project, env: { ...process.env, TEST_BASE_URL: baseUrl } })
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({ wrong: expect.arrayContaining(['/order_id', '/total', '/customer']), right: 200 })
    expect(received).toHaveLength(1)
  })
})
