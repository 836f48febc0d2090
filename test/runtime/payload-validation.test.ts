/**
 * `validate: 'error' | 'warn' | 'off'` with a real ajv validator (compiled here, in the test:
 * the runtime itself never imports ajv), and the argument checks that run before anything is
 * sent. (The default mode, REFOLD_VALIDATE and the reports against the emulator are in
 * invalid-payloads.test.ts.)
 */
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createClient,
  PayloadValidationError,
  RefoldConfigurationError,
  type ClientOptions,
  type PayloadValidator,
  type InvalidPayloadReport,
  type RefoldClient,
} from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'
import { fired, startServer, type TestServer } from './support/http-server.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }))
const validateContact = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['first_name', 'email', 'address'],
  properties: {
    first_name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    'a/b~c': { type: 'integer' },
    address: {
      type: 'object',
      additionalProperties: false,
      required: ['zip'],
      properties: { zip: { type: 'string' }, city: { type: 'string' } },
    },
  },
}) as PayloadValidator

const valid = { first_name: 'Jane', email: 'jane@example.com', address: { zip: '10115' } }

let server: TestServer
let client: RefoldClient

afterEach(async () => {
  await client?.close()
  await server?.close()
})

async function setup(options: ClientOptions = {}): Promise<void> {
  server = await startServer((_r, res) => fired(res))
  client = createClient({ apiKey: TEST_KEY, baseUrl: server.url, ...options })
}

const fire = (payload: unknown, validator: PayloadValidator = validateContact) =>
  client.fire({ event: 'New Contact Created', linkedAccountId: 'acct_1', payload }, validator)

describe("validate: 'error'", () => {
  it('sends a valid payload', async () => {
    await setup({ validate: 'error' })
    await fire(valid)
    expect(server.requests).toHaveLength(1)
  })

  it('lists every failing path and sends nothing', async () => {
    await setup({ validate: 'error' })
    const payload = { email: 'not-an-email', nickname: 'JJ', 'a/b~c': 'x', address: { zip: 10115, extra: true } }
    const error = (await fire(payload).catch((e: unknown) => e)) as PayloadValidationError
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error.event).toBe('New Contact Created')
    expect(error.attempts).toBe(0)
    const found = error.issues.map((issue) => `${issue.path} ${issue.message}`).sort()
    expect(found).toEqual(
      [
        '/first_name is required',
        '/nickname is not a field of this event (misspelled, or missing from its schema?)',
        '/email must match format "email"',
        '/a~1b~0c must be integer',
        '/address/zip must be string',
        '/address/extra is not a field of this event (misspelled, or missing from its schema?)',
      ].sort(),
    )
    for (const issue of error.issues) expect(error.message).toContain(`${issue.path}: ${issue.message}`)
    // Values are not echoed (payloads carry personal data); paths are.
    expect(error.message).not.toContain('not-an-email')
    expect(server.requests).toHaveLength(0)
  })

  it('says a value rejected by its type was null', async () => {
    await setup({ validate: 'error' })
    const error = (await fire({ ...valid, first_name: null, address: { zip: null } }).catch((e: unknown) => e)) as PayloadValidationError
    const found = error.issues.map((issue) => `${issue.path} ${issue.message}`).sort()
    expect(found).toEqual(['/address/zip must be string, got null', '/first_name must be string, got null'])
    expect(server.requests).toHaveLength(0)
  })

  it('says something useful when a validator fails without errors', async () => {
    await setup({ validate: 'error' })
    const error = (await fire({}, () => false).catch((e: unknown) => e)) as PayloadValidationError
    expect(error.issues).toEqual([{ path: '', message: 'does not match the event schema', keyword: 'schema', params: {} }])
    expect(error.message).toContain('(payload): does not match the event schema')
  })

  it('turns a payload JSON cannot hold into a PayloadValidationError', async () => {
    await setup()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const payload of [{ n: 10n }, cyclic]) {
      await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload })).rejects.toBeInstanceOf(PayloadValidationError)
    }
    expect(server.requests).toHaveLength(0)
  })
})

describe("validate: 'warn' and 'off'", () => {
  it("'warn' reports every invalid payload to onInvalid and sends it anyway", async () => {
    const reports: InvalidPayloadReport[] = []
    await setup({ validate: 'warn', onInvalid: (report) => void reports.push(report) })
    await fire({ ...valid, email: 'nope' })
    await fire({ ...valid, email: 'nope' })
    expect(server.requests).toHaveLength(2)
    expect(reports).toHaveLength(2)
    expect(reports[0]).toMatchObject({
      event: 'New Contact Created',
      sent: true,
      issues: [{ path: '/email', expected: 'format: email', actual: 'string' }],
    })
    expect(reports[0]?.message).toContain('it was sent anyway')
    expect(reports[0]?.message).not.toContain('nothing was sent')
  })

  it("'warn' without onInvalid emits a process warning once per event and path", async () => {
    await setup({ validate: 'warn' })
    const seen: Error[] = []
    const listener = (warning: Error): void => {
      seen.push(warning)
    }
    process.on('warning', listener)
    try {
      await fire({ ...valid, email: 'nope' })
      await fire({ ...valid, email: 'nope' })
      await client.fire({ event: 'Other Event', linkedAccountId: 'a', payload: {} }, () => false)
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', listener)
    }
    expect(seen.map((w) => (w as Error & { code?: string }).code)).toEqual(['REFOLD_INVALID_PAYLOAD', 'REFOLD_INVALID_PAYLOAD'])
    expect(seen[0]?.message).toContain('/email: expected format: email, got string')
    expect(seen[0]?.message).not.toContain('nope')
    expect(server.requests).toHaveLength(3)
  })

  it("'off' does not run the validator", async () => {
    let calls = 0
    await setup({ validate: 'off' })
    await fire({ anything: true }, () => {
      calls++
      return false
    })
    expect(calls).toBe(0)
    expect(server.requests).toHaveLength(1)
  })

  it('rejects an unknown validate mode and an onInvalid that is not a function', () => {
    expect(() => createClient({ validate: 'strict' as never })).toThrow(/validate must be/)
    expect(() => createClient({ onInvalid: 'log' as never })).toThrow('onInvalid must be a function, got string')
  })
})

describe('fire arguments', () => {
  it.each([
    ['an empty event name', { event: '', linkedAccountId: 'a', payload: {} }, /event must be/],
    ['a missing linkedAccountId', { event: 'E', payload: {} }, /linkedAccountId must be/],
    ['a linkedAccountId with a line break', { event: 'E', linkedAccountId: 'a\r\nx-evil: 1', payload: {} }, /linkedAccountId contains/],
    ['a linkedAccountId beyond Latin-1', { event: 'E', linkedAccountId: '山田', payload: {} }, /linkedAccountId contains/],
    ['an empty slug', { event: 'E', linkedAccountId: 'a', slug: '', payload: {} }, /slug must be/],
    ['a numeric configId', { event: 'E', linkedAccountId: 'a', configId: 7, payload: {} }, /configId must be/],
    [
      'an idempotency key with a newline',
      { event: 'E', linkedAccountId: 'a', idempotencyKey: 'k\n', payload: {} },
      /idempotencyKey contains/,
    ],
  ])('rejects %s before sending', async (_label, args, message) => {
    await setup()
    const error = await client.fire(args as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefoldConfigurationError)
    expect(error).toMatchObject({ problem: 'invalid_argument' })
    expect((error as Error).message).toMatch(message)
    expect(server.requests).toHaveLength(0)
  })

  it('accepts a Latin-1 linked account id', async () => {
    await setup()
    await client.fire({ event: 'E', linkedAccountId: 'müller@example.de', payload: {} })
    // Node decodes header bytes as Latin-1, so the value arrives unchanged.
    expect(server.requests[0]?.headers['linked_account_id']).toBe('müller@example.de')
  })

  it('rejects fires after close', async () => {
    await setup()
    await client.close()
    await expect(client.fire({ event: 'E', linkedAccountId: 'a', payload: {} })).rejects.toMatchObject({ problem: 'client_closed' })
  })
})
