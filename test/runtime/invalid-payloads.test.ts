/**
 * Issue 10: a payload its definition rejects is never dropped by default. Against the real
 * emulator on loopback: the default mode (`warn`) delivers the fire and reports the mismatch
 * (paths and kinds, never values) to `onInvalid` or, without a hook, as a process warning once
 * per event and path; `REFOLD_VALIDATE` overrides the default; a failing hook cannot break a fire.
 */
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import {
  createClient,
  getDefaultClient,
  PayloadValidationError,
  RefoldConfigurationError,
  setDefaultClient,
  type ClientOptions,
  type InvalidPayloadReport,
  type PayloadValidator,
  type RefoldClient,
} from '../../src/runtime/index.js'
import { kindAt } from '../../src/runtime/invalid-payload-report.js'
import { TEST_KEY } from './support/fake-clock.js'
import { warningsDuring } from '../support/warnings.js'

const EVENT = 'Order Placed'
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }))
const validateOrder = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['order_id', 'email', 'subtotal', 'customer', 'items'],
  properties: {
    order_id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    subtotal: { type: 'integer' },
    note: { type: ['string', 'null'] },
    customer: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
    items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
  },
}) as PayloadValidator

const valid = { order_id: 'o-1', email: 'jane@example.com', subtotal: 100, customer: { name: 'Jane' }, items: [{ sku: 'a' }] }
/** Mismatches of the kinds real traffic has: null for a value, a decimal for an integer, a missing field, an extra field. */
const invalid = { order_id: null, email: 'jane@example.com', subtotal: 99.95, customer: {}, items: [{ sku: 7 }], coupon: 'SAVE-10' }

let emulator: RunningEmulator
const clients: RefoldClient[] = []

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, stateFile: null, apiKey: TEST_KEY })
  const created = await fetch(`${emulator.url}/api/v2/public/application/event`, {
    method: 'POST',
    headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name: EVENT, response: JSON.stringify(valid) }),
  })
  expect(created.status).toBe(200)
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await fetch(`${emulator.url}/_emulator/reset?scope=history`, { method: 'POST', headers: { 'x-api-key': TEST_KEY } })
})

afterAll(async () => {
  await emulator?.close()
})

/** A client of the emulator; `env` stands for the process environment (REFOLD_VALIDATE). */
function client(options: ClientOptions = {}, env: Record<string, string> = {}): RefoldClient {
  const made = createClient({ apiKey: TEST_KEY, baseUrl: emulator.url, env, ...options })
  clients.push(made)
  return made
}

const fire = (c: RefoldClient, payload: unknown, event = EVENT) => c.fire({ event, linkedAccountId: 'acct_1', payload }, validateOrder)
const firedPayloads = () => emulator.state.fires().map((f) => f.payload)

describe('the default mode is warn: send, then report', () => {
  it('delivers an invalid payload and hands onInvalid a structured report without values', async () => {
    const reports: InvalidPayloadReport[] = []
    const refold = client({ onInvalid: (report) => void reports.push(report) })
    const result = await fire(refold, invalid)
    expect(result.status).toBe(200)
    expect(firedPayloads()).toEqual([invalid])
    expect(reports).toHaveLength(1)
    const [report] = reports
    expect(report?.event).toBe(EVENT)
    expect(report?.sent).toBe(true)
    expect([...(report?.issues ?? [])].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: '/coupon', expected: 'additionalProperties: false', actual: 'string' },
      { path: '/customer/name', expected: 'required', actual: 'missing' },
      { path: '/items/0/sku', expected: 'string', actual: 'integer' },
      { path: '/order_id', expected: 'string', actual: 'null' },
      { path: '/subtotal', expected: 'integer', actual: 'number' },
    ])
    expect(report?.message).toContain('it was sent anyway')
    expect(report?.message).not.toContain('nothing was sent')
    // Never the values: a report is made to be logged.
    for (const value of ['SAVE-10', '99.95', 'jane@example.com']) expect(JSON.stringify(report)).not.toContain(value)
  })

  it('calls the hook before the payload is sent, with the payload itself beside the report', async () => {
    const seen: Array<{ firesSoFar: number; payload: unknown }> = []
    const refold = client({
      onInvalid: (_report, context) => void seen.push({ firesSoFar: firedPayloads().length, payload: context.payload }),
    })
    await fire(refold, invalid)
    expect(seen).toEqual([{ firesSoFar: 0, payload: invalid }])
    expect(firedPayloads()).toEqual([invalid])
  })

  it('sends a valid payload without reporting anything', async () => {
    const reports: InvalidPayloadReport[] = []
    const refold = client({ onInvalid: (report) => void reports.push(report) })
    const warnings = await warningsDuring(() => fire(refold, valid))
    expect(firedPayloads()).toEqual([valid])
    expect(reports).toEqual([])
    expect(warnings).toEqual([])
  })

  it('without a hook, warns once per event and path (array indexes are one path), never with values', async () => {
    const refold = client()
    const seen = await warningsDuring(async () => {
      await fire(refold, invalid)
      await fire(refold, invalid) // the same paths: silent
      await fire(refold, { ...valid, items: [{ sku: 1 }, { sku: 2 }, { sku: 3 }] }) // /items/*/sku was reported
      await fire(refold, { ...valid, note: 5 }) // a new path of the same event
      // The same path of another event is new; the emulator does not know it, so Refold's answer rejects the fire.
      await expect(fire(refold, { ...valid, note: 5 }, 'Other Event')).rejects.toMatchObject({ status: 404 })
    })
    expect(seen.map((w) => w.code)).toEqual(['REFOLD_INVALID_PAYLOAD', 'REFOLD_INVALID_PAYLOAD', 'REFOLD_INVALID_PAYLOAD'])
    expect(seen[0]?.message).toContain(`Payload for event "${EVENT}" does not match its definition; it was sent anyway`)
    expect(seen[0]?.message).toContain('/subtotal: expected integer, got number')
    expect(seen[0]?.message).toContain('/customer/name: expected required, got missing')
    expect(seen[1]?.message).toContain('/note: expected string | null, got integer')
    expect(seen[1]?.message).not.toContain('/subtotal')
    expect(seen[2]?.message).toContain('Payload for event "Other Event"')
    for (const warning of seen) expect(warning.message).not.toMatch(/SAVE-10|99\.95/)
    expect(firedPayloads()).toHaveLength(4)
  })

  it('a payload JSON cannot hold is refused before any report, so "sent: true" always means sent', async () => {
    const reports: InvalidPayloadReport[] = []
    const refold = client({ onInvalid: (report) => void reports.push(report) })
    const error = await fire(refold, { ...invalid, subtotal: 10n }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect((error as PayloadValidationError).issues[0]?.keyword).toBe('json')
    expect(reports).toEqual([])
    expect(firedPayloads()).toEqual([])
  })

  it('a throwing or rejecting hook cannot break the fire, and is reported once', async () => {
    let calls = 0
    const throwing = client({
      onInvalid: () => {
        calls++
        throw new Error('hook broke')
      },
    })
    const rejecting = client({ onInvalid: async () => Promise.reject(new TypeError('async hook broke')) })
    const warnings = await warningsDuring(async () => {
      await expect(fire(throwing, invalid)).resolves.toMatchObject({ status: 200 })
      await expect(fire(throwing, invalid)).resolves.toMatchObject({ status: 200 })
      await expect(fire(rejecting, invalid)).resolves.toMatchObject({ status: 200 })
      await expect(fire(rejecting, invalid)).resolves.toMatchObject({ status: 200 })
    })
    expect(calls).toBe(2)
    expect(firedPayloads()).toHaveLength(4)
    expect(warnings.map((w) => [w.code, w.message.match(/\((.*?)\)/)?.[1]])).toEqual([
      ['REFOLD_ON_INVALID_FAILED', 'Error: hook broke'],
      ['REFOLD_ON_INVALID_FAILED', 'TypeError: async hook broke'],
    ])
  })
})

describe("validate: 'error' and 'off'", () => {
  it("'error' refuses the payload, sends nothing, and still reports it to onInvalid (sent: false)", async () => {
    const reports: InvalidPayloadReport[] = []
    const refold = client({ validate: 'error', onInvalid: (report) => void reports.push(report) })
    const error = await fire(refold, invalid).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect((error as Error).message).toContain('nothing was sent')
    expect(firedPayloads()).toEqual([])
    expect(reports.map((r) => [r.sent, r.issues.length])).toEqual([[false, 5]])
    expect(reports[0]?.message).toContain('nothing was sent')
  })

  it("'error' without a hook emits no warning: the rejection is the report", async () => {
    const refold = client({ validate: 'error' })
    const warnings = await warningsDuring(() => fire(refold, invalid).catch(() => undefined))
    expect(warnings).toEqual([])
  })

  it("'off' runs no validator and sends", async () => {
    let calls = 0
    const refold = client({ validate: 'off' })
    await refold.fire({ event: EVENT, linkedAccountId: 'a', payload: invalid }, () => {
      calls++
      return false
    })
    expect(calls).toBe(0)
    expect(firedPayloads()).toEqual([invalid])
  })
})

describe('REFOLD_VALIDATE', () => {
  it('overrides the default: error refuses, off sends without validating, warn sends', async () => {
    await expect(fire(client({}, { REFOLD_VALIDATE: 'error' }), invalid)).rejects.toBeInstanceOf(PayloadValidationError)
    expect(firedPayloads()).toEqual([])
    await fire(client({}, { REFOLD_VALIDATE: ' off ' }), invalid)
    await fire(client({ onInvalid: () => undefined }, { REFOLD_VALIDATE: 'warn' }), invalid)
    expect(firedPayloads()).toHaveLength(2)
  })

  it('an explicit validate option wins over it', async () => {
    await fire(client({ validate: 'warn', onInvalid: () => undefined }, { REFOLD_VALIDATE: 'error' }), invalid)
    expect(firedPayloads()).toHaveLength(1)
  })

  it('an unknown value makes every fire reject with a clear configuration error, never createClient', async () => {
    const refold = client({}, { REFOLD_VALIDATE: 'strict' })
    for (const payload of [valid, invalid]) {
      const error = await fire(refold, payload).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RefoldConfigurationError)
      expect(error).toMatchObject({ problem: 'invalid_validate_mode' })
      expect((error as Error).message).toBe(
        'REFOLD_VALIDATE must be error, warn or off, got "strict"; unset it for the default (warn: send and report mismatches)',
      )
    }
    expect(firedPayloads()).toEqual([])
  })

  it('is read by the default client, which generated helpers fall back to', async () => {
    const names = ['REFOLD_API_KEY', 'REFOLD_BASE_URL', 'REFOLD_VALIDATE'] as const
    const saved = names.map((name) => [name, process.env[name]] as const)
    Object.assign(process.env, { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: emulator.url, REFOLD_VALIDATE: 'error' })
    setDefaultClient(undefined)
    try {
      const strict = getDefaultClient()
      await expect(fire(strict, invalid)).rejects.toBeInstanceOf(PayloadValidationError)
      await strict.close()
      delete process.env.REFOLD_VALIDATE
      const lenient = getDefaultClient()
      expect(lenient).not.toBe(strict)
      const warnings = await warningsDuring(() => fire(lenient, invalid))
      expect(warnings.map((w) => w.code)).toEqual(['REFOLD_INVALID_PAYLOAD'])
      await lenient.close()
    } finally {
      // Restored key by key: replacing process.env would detach it from the real environment.
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      setDefaultClient(undefined)
    }
    expect(firedPayloads()).toEqual([invalid])
  })
})

describe('kindAt', () => {
  it('reads own properties only: a key named __proto__ is data, inherited names are missing', () => {
    const payload = JSON.parse('{"__proto__": {"x": 1.5}, "list": [null, true]}') as unknown
    expect(kindAt(payload, '/__proto__/x')).toBe('number')
    expect(kindAt(payload, '/list/0')).toBe('null')
    expect(kindAt(payload, '/list/1')).toBe('boolean')
    expect(kindAt(payload, '/list/2')).toBe('missing')
    expect(kindAt(payload, '/toString')).toBe('missing')
    expect(kindAt({ 'a/b': { '~': 'x' } }, '/a~1b/~0')).toBe('string')
    expect(kindAt([1], '')).toBe('array')
  })
})
