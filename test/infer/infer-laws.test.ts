/**
 * The laws of inference, checked on generated payloads (fast-check): every sample
 * validates against its schema; the same input gives the same bytes; a list twice over
 * gives the same schema as once; adding a sample never rejects an earlier one. Plus
 * the format checks agreeing with ajv-formats on arbitrary strings.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { ALL_FORMATS, formatName, matchFormats } from '../../src/infer/string-formats.js'
import { isFullDate, scanDateTime } from '../../src/infer/date-scan.js'
import { scanUri } from '../../src/infer/uri-scan.js'
import type { InferOptions, JsonObject, JsonValue } from '../../src/types.js'
import { compileValidator, createAjv } from './validator.js'

/** Keys that break naive code (prototype names, pointer escapes) next to ordinary ones. */
const key = fc.oneof(
  fc.constantFrom('id', 'name', 'email', 'created_at', 'items', '__proto__', 'constructor', 'toString', 'a/b', 'c~d', '*', ''),
  fc.string({ maxLength: 6 }),
)

/** Strings that match each format, near misses, and arbitrary text. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.uuid(),
  fc.emailAddress(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom(
    '2023-02-29',
    '2024-02-29',
    '2024-01-31T10:00:00',
    '2024-01-31 10:00:00+01:00',
    '2016-12-31T23:59:60Z',
    'type:bug',
    'mailto:a@b.co',
    'urn:uuid:3F2504E0-4F89-41D3-9A0C-0305E82C3301',
    '',
  ),
)

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}))

/** Payloads are objects; several of them, often sharing fields so merging is exercised. */
const samples = fc.array(fc.dictionary(key, value as fc.Arbitrary<JsonValue>, { maxKeys: 6 }), { minLength: 1, maxLength: 5 })
const options = fc.record({ formats: fc.boolean(), closedObjects: fc.boolean() })

/** Round-tripped through JSON: an equal but distinct input (JSON.parse keeps `__proto__` as data). */
function copy<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T
}

const runs = { numRuns: 300 }

describe('inference laws', () => {
  it('every sample validates against the schema inferred from its list', () => {
    fc.assert(
      fc.property(samples, options, (xs: JsonObject[], opts: InferOptions) => {
        const check = compileValidator(inferSchema(xs, opts).schema)
        for (const x of xs) expect(check(x)).toEqual([])
      }),
      runs,
    )
  })

  it('any JSON value, not only objects, validates against its own schema', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue() as fc.Arbitrary<JsonValue>, { minLength: 1, maxLength: 4 }), (xs) => {
        const check = compileValidator(inferSchema(xs).schema)
        for (const x of xs) expect(check(x)).toEqual([])
      }),
      runs,
    )
  })

  it('is deterministic: same input, and an equal copy of it, give the same bytes', () => {
    fc.assert(
      fc.property(samples, options, (xs: JsonObject[], opts: InferOptions) => {
        const first = JSON.stringify(inferSchema(xs, opts))
        expect(JSON.stringify(inferSchema(xs, opts))).toBe(first)
        expect(JSON.stringify(inferSchema(copy(xs), opts))).toBe(first)
      }),
      runs,
    )
  })

  it('gives the same schema and warnings for a list twice over as for the list once', () => {
    fc.assert(
      fc.property(samples, options, (xs: JsonObject[], opts: InferOptions) => {
        expect(JSON.stringify(inferSchema([...xs, ...xs], opts))).toBe(JSON.stringify(inferSchema(xs, opts)))
      }),
      runs,
    )
  })

  it('never rejects an earlier sample when another is added, wherever it goes', () => {
    fc.assert(
      fc.property(
        samples,
        fc.dictionary(key, value as fc.Arbitrary<JsonValue>, { maxKeys: 6 }),
        fc.nat(),
        options,
        (xs: JsonObject[], extra, at, opts: InferOptions) => {
          const position = at % (xs.length + 1)
          const widened = [...xs.slice(0, position), extra, ...xs.slice(position)]
          const check = compileValidator(inferSchema(widened, opts).schema)
          for (const x of xs) expect(check(x)).toEqual([])
        },
      ),
      runs,
    )
  })

  it('orders top-level properties and required by first appearance', () => {
    fc.assert(
      fc.property(samples, (xs: JsonObject[]) => {
        const seen = new Set<string>()
        for (const x of xs) for (const k of Object.keys(x)) seen.add(k)
        const { schema } = inferSchema(xs)
        // JavaScript lists integer-like keys ("0", "42") first in any object, so only the
        // other keys can keep their order in `properties`; `required` is an array and keeps all.
        const named = (keys: string[]) => keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k))
        expect(named(Object.keys(schema.properties ?? {}))).toEqual(named([...seen]))
        expect(schema.required ?? []).toEqual([...seen].filter((k) => xs.every((x) => Object.hasOwn(x, k))))
      }),
      runs,
    )
  })
})

describe('format checks agree with ajv-formats', () => {
  const ajv = createAjv()
  const validators = new Map(
    ['uuid', 'date-time', 'date', 'email', 'uri'].map((name) => [name, ajv.compile({ type: 'string', format: name })]),
  )

  it('claims a format only for strings ajv accepts in that format', () => {
    fc.assert(
      fc.property(text, fc.string({ unit: 'binary', maxLength: 40 }), (a, b) => {
        for (const candidate of [a, b]) {
          for (let bit = 1; bit <= ALL_FORMATS; bit <<= 1) {
            const name = formatName(matchFormats(candidate, ALL_FORMATS) & bit)
            if (name !== undefined) expect(validators.get(name)?.(candidate), `${name}: ${candidate}`).toBe(true)
          }
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('settles a uri exactly as ajv-formats does whenever the quick scan decides', () => {
    const uri = validators.get('uri')
    const noise = fc.constantFrom(...'{}[]@%:/?#&=+;~ é"<>|\\^`09aZ'.split(''))
    const urlish = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['https', 'http', 'ftp', 'git+ssh'] }),
      fc
        .tuple(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.array(fc.tuple(fc.nat(), noise), { maxLength: 3 }))
        .map(([url, edits]) =>
          edits.reduce((text, [at, char]) => text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1)), url),
        ),
    )
    let decided = 0
    fc.assert(
      fc.property(urlish, (candidate) => {
        const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(candidate)
        fc.pre(scheme !== null)
        const settled = scanUri(candidate, (scheme?.[0].length ?? 0) - 1)
        if (settled !== undefined) {
          decided++
          expect(settled, candidate).toBe(uri?.(candidate))
        }
      }),
      { numRuns: 3000 },
    )
    expect(decided).toBeGreaterThan(1000)
  })

  it('checks date exactly as ajv-formats, and settles date-time only where ajv-formats agrees', () => {
    const date = validators.get('date')
    const dateTime = validators.get('date-time')
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'))
    const fields = fc.record({
      year: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      month: two(13),
      day: two(32),
      hour: two(25),
      minute: two(61),
      second: two(61),
      fraction: fc.constantFrom('', '.5', '.123456', '.'),
      separator: fc.constantFrom('T', 't', ' ', '_'),
      zone: fc.constantFrom('Z', 'z', '', '+01:00', '-05:30', '+24:00', '+01:60', '+0100', '+01'),
    })
    const generated = fields.map(
      (f) => `${f.year}-${f.month}-${f.day}${f.separator}${f.hour}:${f.minute}:${f.second}${f.fraction}${f.zone}`,
    )
    const mutated = fc
      .tuple(generated, fc.nat(), fc.constantFrom(...'0123456789-:T+Z. x'.split('')))
      .map(([text, at, char]) => text.slice(0, at % text.length) + char + text.slice((at % text.length) + 1))
    const iso = fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString())
    const candidates = fc.oneof(
      generated,
      mutated,
      iso,
      iso.map((text) => text.slice(0, 10)),
      fc.string({ maxLength: 12 }),
    )
    let settled = 0
    fc.assert(
      fc.property(candidates, (candidate) => {
        expect(isFullDate(candidate), candidate).toBe(date?.(candidate))
        if (scanDateTime(candidate) === true) {
          settled++
          expect(dateTime?.(candidate), candidate).toBe(true)
        }
      }),
      { numRuns: 5000 },
    )
    expect(settled).toBeGreaterThan(500)
  })

  it('recognises generated values of every format', () => {
    const generated: Array<[string, fc.Arbitrary<string>]> = [
      ['uuid', fc.uuid()],
      ['email', fc.emailAddress()],
      ['uri', fc.webUrl({ withQueryParameters: true, withFragments: true })],
      [
        'date-time',
        fc
          .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
          .map((d) => d.toISOString()),
      ],
    ]
    for (const [name, arbitrary] of generated) {
      fc.assert(
        fc.property(arbitrary, (candidate) => {
          // Only where ajv agrees: fast-check's generators are not bound to ajv-formats' rules.
          fc.pre(validators.get(name)?.(candidate) === true)
          expect(formatName(matchFormats(candidate, ALL_FORMATS)), candidate).toBe(name)
        }),
        { numRuns: 500 },
      )
    }
  })
})
