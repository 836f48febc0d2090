/**
 * Redaction keeps what inference reads: the JSON type of every value (integer vs
 * fraction), the exact set of formats the inferrer sees in every string, keys and array
 * lengths; so a redacted payload infers the same schema as the real one, on generated
 * payloads (the corpus: redact-corpus.full.test.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { ALL_FORMATS, matchFormats } from '../../src/infer/string-formats.js'
import { redactPayload, restoreValue, standInString } from '../../src/learn/redact-payload.js'
import type { JsonObject } from '../../src/types.js'

const OPTIONS = { formats: true, closedObjects: true }

const text = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.uuid(),
  fc.emailAddress(),
  fc.webUrl({ withQueryParameters: true }),
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('urn:uuid:3F2504E0-4F89-41D3-9A0C-0305E82C3301', 'mailto:a@b.co', 'type:bug', ''),
)
const { payload } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('payload'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }),
  payload: fc.dictionary(fc.constantFrom('id', 'email', 'at', '__proto__', 'a/b', 'n'), tie('value'), { maxKeys: 5 }),
}))

describe('redactPayload', () => {
  it('gives every string stand-in exactly the formats of the value it replaces', () => {
    for (const value of [
      'plain',
      '2024-05-01T10:00:00Z',
      '2024-05-01',
      'jane@example.com',
      'https://x.io/a?b',
      'urn:uuid:3F2504E0-4F89-41D3-9A0C-0305E82C3301',
      'mailto:a@b.co',
    ]) {
      const standIn = standInString(value)
      expect(standIn, value).toBeDefined()
      expect(standIn).not.toBe(value)
      expect(matchFormats(standIn!, ALL_FORMATS), value).toBe(matchFormats(value, ALL_FORMATS))
    }
  })

  it('keeps types, formats, keys and lengths: the redacted payload infers the same schema (fast-check)', () => {
    fc.assert(
      fc.property(payload, (real) => {
        const { value, kept } = redactPayload(real as JsonObject)
        expect(inferSchema([value], OPTIONS)).toEqual(inferSchema([real as JsonObject], OPTIONS))
        for (const pointer of kept) expect(pointer.startsWith('/')).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('replaces integers by 0, fractions by 0.5, booleans by false, and keeps null', () => {
    expect(redactPayload({ a: 42, b: 1.25, c: true, d: null, e: [1, 'x'] }).value).toEqual({
      a: 0,
      b: 0.5,
      c: false,
      d: null,
      e: [0, 'redacted'],
    })
  })

  it('keeps a __proto__ field as data', () => {
    const real = JSON.parse('{"__proto__": {"x": "secret"}}') as JsonObject
    const { value } = redactPayload(real)
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__'])
  })
})

describe('restoreValue', () => {
  it('puts back the real subtree at a pointer and nothing else', () => {
    const real: JsonObject = { a: { b: 'x', c: 'y' }, list: ['p', 'q'] }
    const redacted = redactPayload(real).value
    expect(restoreValue(redacted, real, '/a/b')).toEqual({ a: { b: 'x', c: 'redacted' }, list: ['redacted', 'redacted'] })
    expect(restoreValue(redacted, real, '/list/1')).toEqual({ a: { b: 'redacted', c: 'redacted' }, list: ['redacted', 'q'] })
    expect(restoreValue(redacted, real, '/missing')).toEqual(redacted)
    expect(redacted).toEqual({ a: { b: 'redacted', c: 'redacted' }, list: ['redacted', 'redacted'] })
  })
})
