/**
 * Compact validators (src/codegen/compact-validator.ts): what the emitted code looks like,
 * that names inside do not move when the schema changes elsewhere, which keywords fall back
 * to ajv, and, against ajv as the oracle, the same verdict and failing paths on fuzzed
 * schemas and payloads (modest counts here; compact-validator.full.test.ts runs the corpus
 * and more). Emitted code is compiled by the real tsc and imported (compact-support.ts).
 */
import fc from 'fast-check'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { emitCompactValidator } from '../../src/codegen/compact-validator.js'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { isDate, isDateTime, isEmail, isUri, isUuid } from '../../src/runtime/format-checks.js'
import type { PayloadValidator } from '../../src/runtime/payload-validation.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { fuzzSchema, payloadNear, type FuzzSchema } from './compact-arbitraries.js'
import { createOracle, loadCompactValidators, outcome } from './compact-support.js'

const emit = (schema: JsonSchema) => emitCompactValidator(schema, { exportName: 'validateOrder' })?.code

describe('emitted code', () => {
  it('is one line per check, named by payload path, with shared checks written once', () => {
    const { schema } = inferSchema(
      [
        {
          id: 'ord_1',
          placed_at: '2024-05-01T10:00:00Z',
          buyer: { email: 'a@b.co', name: 'Ann' },
          seller: { email: 'c@d.io', name: 'Bo' },
          lines: [{ sku: 'x', qty: 2 }],
          note: null,
          tags: ['a'],
        },
      ],
      { closedObjects: true },
    )
    expect(emit(schema)).toBe(
      [
        'export const validateOrder: PayloadValidator = compactValidator(OBJECT, () => {',
        '  const $: Check = (v, p, c) => {',
        '    let n = 0',
        '    n += c.prop(v, p, "id", v.id, REQUIRED | STRING)',
        '    n += c.prop(v, p, "placed_at", v.placed_at, REQUIRED | STRING | DATE_TIME)',
        '    n += c.prop(v, p, "buyer", v.buyer, REQUIRED | OBJECT, $buyer)',
        '    n += c.prop(v, p, "seller", v.seller, REQUIRED | OBJECT, $buyer)',
        '    n += c.prop(v, p, "lines", v.lines, REQUIRED | ARRAY, $lines)',
        '    n += c.prop(v, p, "note", v.note, REQUIRED)',
        '    n += c.prop(v, p, "tags", v.tags, REQUIRED | ARRAY, $tags)',
        '    if (n !== c.size(v)) c.closed(v, p, ["id", "placed_at", "buyer", "seller", "lines", "note", "tags"])',
        '  }',
        '  const $buyer: Check = (v, p, c) => {',
        '    let n = 0',
        '    n += c.prop(v, p, "email", v.email, REQUIRED | STRING)',
        '    n += c.prop(v, p, "name", v.name, REQUIRED | STRING)',
        '    if (n !== c.size(v)) c.closed(v, p, ["email", "name"])',
        '  }',
        '  const $lines: Check = (v, p, c) => c.items(v, p, OBJECT, $linesItem)',
        '  const $linesItem: Check = (v, p, c) => {',
        '    let n = 0',
        '    n += c.prop(v, p, "sku", v.sku, REQUIRED | STRING)',
        '    n += c.prop(v, p, "qty", v.qty, REQUIRED | INTEGER)',
        '    if (n !== c.size(v)) c.closed(v, p, ["sku", "qty"])',
        '  }',
        '  const $tags: Check = (v, p, c) => c.items(v, p, STRING)',
        '  return $',
        '})',
        '',
      ].join('\n'),
    )
  })

  it('keeps every other line when a field is added elsewhere (no renumbering)', () => {
    const before = inferSchema([{ a: { b: [{ c: 1 }] }, d: { e: 'x' } }], { closedObjects: true }).schema
    const after = inferSchema([{ z: { y: [{ x: 1 }] }, a: { b: [{ c: 1 }] }, d: { e: 'x' } }], { closedObjects: true }).schema
    const oldLines = new Set(emit(before)!.split('\n'))
    let fn = ''
    const changed: string[] = []
    for (const line of emit(after)!.split('\n')) {
      fn = /^ {2}const (\$\w*):/.exec(line)?.[1] ?? fn
      // The new field's own functions are new; everything else must be unchanged but the root's field list.
      if (!oldLines.has(line) && !fn.startsWith('$z')) changed.push(line.trim())
    }
    expect(changed).toEqual(['n += c.prop(v, p, "z", v.z, REQUIRED | OBJECT, $z)', 'if (n !== c.size(v)) c.closed(v, p, ["z", "a", "d"])'])
  })

  it('ignores annotations and x- extensions, as ajv does', () => {
    const plain = emit({ type: 'object', properties: { a: { type: 'string' } } })
    expect(
      emit({ type: 'object', title: 'T', 'x-owner': 'team', properties: { a: { type: 'string', description: 'd', examples: ['x'] } } }),
    ).toBe(plain)
  })

  it('answers undefined for keywords it does not cover, so the caller uses ajv', () => {
    const uncovered: JsonSchema[] = [
      { type: 'object', properties: { a: { $ref: '#/$defs/x' } }, $defs: { x: {} } },
      { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      { type: 'string', format: 'ipv4' },
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
      { type: 'array', items: { type: 'string' }, uniqueItems: true },
      { type: 'number', multipleOf: 2 },
      { type: 'string', pattern: '(?<=x' },
      { allOf: [{ type: 'string' }] },
      { type: 'string', properties: {} },
      { type: 'mystery' } as unknown as JsonSchema,
      { not: {} },
    ]
    for (const schema of uncovered) expect(emit(schema), JSON.stringify(schema)).toBeUndefined()
  })
})

/** ajv-formats' full check of `name` as a predicate (a RegExp, a function, or `{ validate }`). */
function ajvFormat(name: keyof typeof fullFormats): (text: string) => boolean {
  const format = fullFormats[name] as unknown
  const check = typeof format === 'object' && format !== null && 'validate' in format ? (format as { validate: unknown }).validate : format
  return check instanceof RegExp ? (text) => check.test(text) : (check as (text: string) => boolean)
}

describe('formats', () => {
  const dateLike = fc.oneof(
    fc.stringMatching(/^\d{4}-[01]\d-[0-3]\d([Tt \u00a0\nx][0-2]\d:[0-6]\d:[0-6]\d(\.\d{0,3})?([Zzt]|[+-][0-2]\d(:?[0-6]\d)?)?)?$/),
    fc.constantFrom(
      '2016-12-31T23:59:60Z',
      '2016-12-31T23:59:60.999Z',
      '2016-12-31T22:59:60-01:00',
      '2016-12-31T23:59:61Z',
      '2016-12-31t23:00:00z',
      '2024-06-30\u300023:00:00Z',
      '2024-06-30T23:00:00+0130',
      '2024-06-30T23:00:00+01:3',
      '2024-06-30T24:00:00Z',
      '2024-06-30T23:00:00.Z',
      '2024-02-29',
      '2023-02-29',
      '2000-02-29',
      '1900-02-29',
      '0000-01-01',
      '2024-06-30T23:00:00Z ',
      ' 2024-06-30T23:00:00Z',
    ),
    fc.string({ maxLength: 30 }),
  )

  it('date-time, date and uuid decide exactly as ajv-formats full formats', () => {
    fc.assert(
      fc.property(dateLike, (text) => {
        expect(isDateTime(text)).toBe(ajvFormat('date-time')(text))
        expect(isDate(text)).toBe(ajvFormat('date')(text))
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid().map((u) => `urn:uuid:${u}`),
          fc.uuid().map((u) => `URN:uuid:${u.toUpperCase()}`),
          // One character changed: to a hyphen, a hex digit, or something near one.
          fc
            .tuple(
              fc.uuid(),
              fc.oneof(fc.constantFrom(8, 13, 18, 23), fc.nat({ max: 35 })),
              fc.constantFrom('-', 'a', 'F', '_', 'g', 'G', '/', ':', ' '),
            )
            .map(([u, i, ch]) => `${u.slice(0, i)}${ch}${u.slice(i + 1)}`),
          fc.uuid().map((u) => u.replace(/a/g, 'g')),
          fc.string(),
        ),
        (text) => {
          expect(isUuid(text)).toBe((fullFormats.uuid as RegExp).test(text))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('email and uri never reject what ajv-formats accepts, and accept the real values it rejects (issue 10)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (text) => {
        if ((fullFormats.email as RegExp).test(text)) expect(isEmail(text)).toBe(true)
        if ((fullFormats.uri as (s: string) => boolean)(text)) expect(isUri(text)).toBe(true)
      }),
      { numRuns: 300 },
    )
    expect(isEmail('41898282+github-actions[bot]@users.noreply.github.com')).toBe(true)
    expect(isUri('https://github.com/o/r/compare/abc^...def')).toBe(true)
    expect(isEmail('not an email')).toBe(false)
    expect(isUri('no scheme here')).toBe(false)
  })
})

describe('against ajv as the oracle', () => {
  let cases: FuzzSchema[]
  let validators: Array<PayloadValidator | undefined>
  const oracle = createOracle()
  let oracles: PayloadValidator[]

  beforeAll(async () => {
    const prototypeCase = inferSchema([JSON.parse('{"__proto__":{"x":1},"constructor":"c","toString":2,"a":[{"hasOwnProperty":true}]}')])
    cases = [{ samples: [], schema: prototypeCase.schema }, ...fc.sample(fuzzSchema, { numRuns: 20, seed: 1101 })]
    validators = await loadCompactValidators(cases.map((c) => c.schema))
    oracles = cases.map((c) => oracle.compile(c.schema) as unknown as PayloadValidator)
  }, 120_000)

  it('covers nearly every schema inference and policy produce', () => {
    const covered = validators.filter((v) => v !== undefined).length
    // Edits can put object keywords (`required`) on a string; those, and only those, fall back.
    expect(covered / validators.length).toBeGreaterThan(0.85)
  })

  it('gives the same verdict and failing paths on fuzzed payloads', () => {
    const compared = fc
      .integer({ min: 0, max: cases.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), payloadNear((cases[i]!.samples[0] ?? {}) as JsonValue)))
    let valid = 0
    let invalid = 0
    fc.assert(
      fc.property(compared, ([i, payload]) => {
        const validator = validators[i]
        if (validator === undefined) return
        const expected = outcome(oracles[i]!, payload)
        expect(outcome(validator, payload), JSON.stringify({ schema: cases[i]!.schema, payload })).toEqual(expected)
        if (expected.valid) valid++
        else invalid++
      }),
      { numRuns: 250, seed: 1102 },
    )
    // Both verdicts were exercised, not only one.
    expect(Math.min(valid, invalid)).toBeGreaterThan(25)
  })

  it('names each failing path after deeper places were checked, escapes included', async () => {
    // Paths are kept as a list of keys overwritten while walking: a failure after a deeper
    // sibling subtree, or in a later array item, must not read a stale key.
    const { schema } = inferSchema([{ 'a/b': [{ deep: { 'x~y': [1] }, n: 1 }], after: 's', m: { k: { z: true } } }])
    const [validator] = await loadCompactValidators([schema])
    const payload = {
      'a/b': [
        { deep: { 'x~y': [1] }, n: 1 },
        { deep: { 'x~y': [2, 'no'] }, n: 'no' },
      ],
      after: 1,
      m: { k: { z: 0 } },
    }
    const expected = ['/a~1b/1/deep/x~0y/1', '/a~1b/1/n', '/after', '/m/k/z'].sort()
    expect(outcome(validator!, payload).paths).toEqual(expected)
    expect(outcome(oracle.compile(schema) as unknown as PayloadValidator, payload).paths).toEqual(expected)
  })

  it('treats prototype names as data: inherited members are neither read nor required', () => {
    const validator = validators[0]!
    const payloads: unknown[] = [
      JSON.parse('{"__proto__":{"x":1},"constructor":"c","toString":2,"a":[{"hasOwnProperty":true}]}'),
      JSON.parse('{"__proto__":{"x":"no"},"constructor":1,"toString":2,"a":[{}]}'),
      { a: [{ hasOwnProperty: true }] },
      Object.assign(Object.create({ constructor: 'c', toString: 2 }), { a: [] }),
      {},
    ]
    for (const payload of payloads) expect(outcome(validator, payload)).toEqual(outcome(oracles[0]!, payload))
    expect(outcome(validator, payloads[3]).paths).toContain('/constructor')
  })
})
