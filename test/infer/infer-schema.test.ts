import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { compileValidator, validationErrors } from './validator.js'

/** Infer, and check every sample validates: each rule below also keeps that law. */
function infer(samples: JsonValue[], options?: Parameters<typeof inferSchema>[1]) {
  const result = inferSchema(samples, options)
  const check = compileValidator(result.schema)
  for (const sample of samples) expect(check(sample)).toEqual([])
  return result
}

function field(schema: JsonSchema, ...keys: string[]): JsonSchema {
  let current = schema
  for (const key of keys) {
    const next = key === '*' ? current.items : current.properties?.[key]
    if (next === undefined) throw new Error(`no ${key} in ${JSON.stringify(current)}`)
    current = next
  }
  return current
}

describe('types', () => {
  it('infers each primitive type', () => {
    const { schema, warnings } = infer([{ s: 'x', i: 3, n: 1.5, b: true }])
    expect(schema).toEqual({
      type: 'object',
      properties: { s: { type: 'string' }, i: { type: 'integer' }, n: { type: 'number' }, b: { type: 'boolean' } },
      required: ['s', 'i', 'n', 'b'],
    })
    expect(warnings).toEqual([])
  })

  it('widens integer with number to number, in either order', () => {
    expect(field(infer([{ a: 1 }, { a: 2.5 }]).schema, 'a')).toEqual({ type: 'number' })
    expect(field(infer([{ a: 2.5 }, { a: 1 }]).schema, 'a')).toEqual({ type: 'number' })
    expect(field(infer([{ a: 0 }, { a: -7 }, { a: 1e21 }]).schema, 'a')).toEqual({ type: 'integer' })
  })

  it('infers non-object roots too', () => {
    expect(infer(['a', 'b']).schema).toEqual({ type: 'string' })
    expect(infer([[1, 2], []]).schema).toEqual({ type: 'array', items: { type: 'integer' } })
  })

  it('gives an empty schema and no warning for no samples', () => {
    expect(inferSchema([])).toEqual({ schema: {}, warnings: [], policyProblems: [] })
  })
})

describe('required and optional', () => {
  it('requires a field present in every sample, null included', () => {
    const { schema } = infer([
      { id: 1, name: 'a', note: null },
      { id: 2, note: 'x' },
    ])
    expect(schema.required).toEqual(['id', 'note'])
    expect(Object.keys(schema.properties ?? {})).toEqual(['id', 'name', 'note'])
  })

  it('computes required over the occurrences of a nested object', () => {
    const { schema } = infer([{ customer: { id: 1, vip: true } }, { customer: { id: 2 } }, { other: 1 }])
    expect(schema.required).toBeUndefined()
    expect(field(schema, 'customer').required).toEqual(['id'])
  })

  it('computes required over every element of every array', () => {
    const { schema } = infer([{ lines: [{ sku: 'a', qty: 1 }, { sku: 'b' }] }, { lines: [{ sku: 'c', qty: 2, gift: true }] }])
    expect(field(schema, 'lines', '*')).toMatchObject({ required: ['sku'] })
    expect(Object.keys(field(schema, 'lines', '*').properties ?? {})).toEqual(['sku', 'qty', 'gift'])
  })

  it('treats an undefined property as absent, as JSON.stringify does', () => {
    const { schema } = infer([{ a: 1, b: 2 }, { a: 1, b: undefined } as unknown as JsonValue])
    expect(schema.required).toEqual(['a'])
    expect(field(schema, 'b')).toEqual({ type: 'integer' })
  })
})

describe('nullability', () => {
  it('makes a primitive seen with null nullable, null last', () => {
    expect(field(infer([{ a: null }, { a: 'x' }]).schema, 'a')).toEqual({ type: ['string', 'null'] })
    expect(field(infer([{ a: 1 }, { a: null }, { a: 0.5 }]).schema, 'a')).toEqual({ type: ['number', 'null'] })
  })

  it('keeps a nullable object flat with a type list', () => {
    const { schema } = infer([{ address: null }, { address: { city: 'Oslo' } }])
    expect(field(schema, 'address')).toEqual({
      type: ['object', 'null'],
      properties: { city: { type: 'string' } },
      required: ['city'],
    })
    expect(validationErrors(schema, { address: { city: 1 } })).not.toEqual([])
  })

  it('keeps a nullable array flat with a type list', () => {
    const { schema } = infer([{ tags: ['a'] }, { tags: null }])
    expect(field(schema, 'tags')).toEqual({ type: ['array', 'null'], items: { type: 'string' } })
  })

  it('leaves a field null in every sample unknown, with a warning', () => {
    const { schema, warnings } = infer([
      { company: null, name: 'a' },
      { company: null, name: 'b' },
    ])
    expect(field(schema, 'company')).toEqual({})
    expect(schema.required).toEqual(['company', 'name'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ kind: 'unknown-type', path: '/company' })
    expect(warnings[0]?.message).toContain('`company` is null in every sample')
    expect(warnings[0]?.message).toContain('add an example'.replace('add', 'Add'))
    expect(warnings[0]?.message).toContain('`schema: { properties: { company: { type: [string, "null"] } } }`')
    // Unknown accepts whatever a later payload brings.
    expect(validationErrors(schema, { company: { any: ['thing'] }, name: 'c' })).toEqual([])
  })

  it('names an all-null place inside arrays with *', () => {
    const { warnings } = infer([{ items: [{ note: null }, { note: null }] }])
    expect(warnings.map((w) => [w.kind, w.path])).toEqual([['unknown-type', '/items/*/note']])
    expect(warnings[0]?.message).toContain('`items[].note`')
  })
})

describe('arrays', () => {
  it('merges items across all elements of all samples', () => {
    const { schema } = infer([{ v: [1, 2] }, { v: ['x'] }, { v: [3.5, null] }])
    expect(field(schema, 'v')).toEqual({ type: 'array', items: { type: ['string', 'number', 'null'] } })
  })

  it('merges nested arrays level by level', () => {
    const { schema } = infer([{ m: [[1], [2.5]] }, { m: [[], ['x']] }])
    expect(field(schema, 'm')).toEqual({ type: 'array', items: { type: 'array', items: { type: ['string', 'number'] } } })
  })

  it('leaves items of an always-empty array unknown, with a warning using * for array paths', () => {
    const { schema, warnings } = infer([{ items: [{ tags: [] }] }, { items: [{ tags: [] }, { tags: [] }] }])
    expect(field(schema, 'items', '*', 'tags')).toEqual({ type: 'array', items: {} })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ kind: 'empty-array', path: '/items/*/tags' })
    expect(warnings[0]?.message).toContain('`items[].tags` is an empty array in every sample')
    expect(warnings[0]?.message).toContain('{ properties: { items: { items: { properties: { tags: { items: { type: string } } } } } } }')
  })

  it('does not warn when one sample fills the array', () => {
    expect(infer([{ tags: [] }, { tags: ['a'] }]).warnings).toEqual([])
  })
})

describe('unions', () => {
  it('lists primitive types in a fixed order, whatever the sample order', () => {
    const forward = infer([{ a: 'x' }, { a: 1 }, { a: true }, { a: null }]).schema
    const backward = infer([{ a: null }, { a: true }, { a: 1 }, { a: 'x' }]).schema
    expect(field(forward, 'a')).toEqual({ type: ['string', 'integer', 'boolean', 'null'] })
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward))
  })

  it('uses anyOf once objects or arrays mix with other types', () => {
    const { schema } = infer([{ a: { x: 1 } }, { a: 'text' }, { a: [1] }, { a: null }])
    expect(field(schema, 'a')).toEqual({
      anyOf: [
        { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] },
        { type: 'array', items: { type: 'integer' } },
        { type: ['string', 'null'] },
      ],
    })
  })

  it('keeps null as its own branch beside an object and an array', () => {
    const { schema } = infer([{ a: {} }, { a: [] }, { a: null }])
    expect(field(schema, 'a').anyOf?.map((branch) => branch.type)).toEqual(['object', 'array', 'null'])
  })

  it('merges objects at one place into one object schema, not a union', () => {
    const { schema } = infer([{ a: { x: 1 } }, { a: { y: 'z' } }])
    expect(field(schema, 'a')).toEqual({
      type: 'object',
      properties: { x: { type: 'integer' }, y: { type: 'string' } },
    })
  })
})

describe('string formats', () => {
  const cases: Array<[string, string[]]> = [
    ['date-time', ['2024-01-31T10:00:00Z', '2024-02-29t23:59:59.123+01:00', '2024-01-31 10:00:00-05:30']],
    ['date', ['2024-01-31', '2024-02-29', '1999-12-31']],
    ['email', ['jane@example.com', 'first.last+tag@sub.example.co.uk']],
    ['uri', ['https://example.com/a?b=c#d', 'mailto:jane@example.com', 'urn:isbn:0451450523', 'ftp://host']],
    ['uuid', ['3f2504e0-4f89-41d3-9a0c-0305e82c3301', 'urn:uuid:3F2504E0-4F89-41D3-9A0C-0305E82C3301']],
  ]
  const every = { formats: ['uuid', 'date-time', 'date', 'email', 'uri'] as const }
  for (const [format, values] of cases) {
    it(`infers ${format} when every value matches and the policy lists it`, () => {
      const { schema } = infer(
        values.map((value) => ({ v: value })),
        { formats: [...every.formats] },
      )
      expect(field(schema, 'v')).toEqual({ type: 'string', format })
    })
    it(`drops ${format} when one value does not match`, () => {
      const { schema } = infer([...values.map((value) => ({ v: value })), { v: 'plain text' }], { formats: [...every.formats] })
      expect(field(schema, 'v')).toEqual({ type: 'string' })
    })
  }

  it('infers only date-time, date and uuid by default: validators disagree about email and uri', () => {
    const samples = cases.flatMap(([, values]) => values.map((value, index) => ({ [`v${index}`]: value })))
    const byDefault = cases.map(([format, values]) => [format, field(infer(values.map((value) => ({ v: value }))).schema, 'v').format])
    expect(byDefault).toEqual([
      ['date-time', 'date-time'],
      ['date', 'date'],
      ['email', undefined],
      ['uri', undefined],
      ['uuid', 'uuid'],
    ])
    expect(infer(samples, { formats: true }).schema).toEqual(infer(samples).schema)
    // Real values ajv-formats rejects are never claimed as email or uri unless asked for.
    const github = {
      author: '41898282+github-actions[bot]@users.noreply.github.com',
      compare: 'https://github.com/o/r/compare/a1b2c3^...d4e5f6',
    }
    expect(JSON.stringify(infer([github, github]).schema)).not.toContain('format')
    expect(field(infer([{ v: 'jane@example.com' }], { formats: ['email'] }).schema, 'v').format).toBe('email')
    expect(field(infer([{ v: '2024-01-31' }], { formats: ['email'] }).schema, 'v').format).toBeUndefined()
  })

  it('claims no format ajv-formats would reject', () => {
    const rejected = [
      '2023-02-29', // not a leap year
      '2024-13-01',
      '2024-01-31T10:00:00', // full date-time needs a zone
      '2024-01-31T24:00:00Z',
      'type:bug', // a URI by RFC 3986, but not claimed: see string-formats.ts
      'jane@', // no domain
      '3f2504e0-4f89-41d3-9a0c-0305e82c330', // one digit short
      '',
    ]
    for (const value of rejected)
      expect(field(infer([{ v: value }], { formats: [...every.formats] }).schema, 'v')).toEqual({ type: 'string' })
  })

  it('keeps the format beside other types: it applies to strings only', () => {
    const { schema } = infer([{ v: '2024-01-31' }, { v: 7 }, { v: null }])
    expect(field(schema, 'v')).toEqual({ type: ['string', 'integer', 'null'], format: 'date' })
  })

  it('infers no format with formats: false', () => {
    const { schema } = infer([{ v: 'jane@example.com', w: '2024-01-31' }], { formats: false })
    expect(JSON.stringify(schema)).not.toContain('format')
  })

  it('never guesses an enum, however repetitive the values', () => {
    const samples = Array.from({ length: 50 }, (_, index) => ({ status: index % 2 === 0 ? 'open' : 'closed', level: 1 }))
    const text = JSON.stringify(infer(samples).schema)
    expect(text).not.toMatch(/"(enum|const)"/)
  })
})

describe('closed objects', () => {
  it('closes every object with closedObjects: true, nested and in arrays', () => {
    const { schema } = infer([{ a: { b: { c: 1 } }, list: [{ d: 1 }] }], { closedObjects: true })
    expect(schema.additionalProperties).toBe(false)
    expect(field(schema, 'a', 'b').additionalProperties).toBe(false)
    expect(field(schema, 'list', '*').additionalProperties).toBe(false)
    expect(validationErrors(schema, { a: { b: { c: 1, typo: 2 } }, list: [] })).toEqual(['/a/b: must NOT have additional properties'])
  })

  it('leaves objects open by default and with closedObjects: false: real payloads carry extra fields', () => {
    for (const options of [undefined, { closedObjects: false }]) {
      const { schema, warnings } = infer([{ a: { b: 1 }, meta: {} }], options)
      expect(JSON.stringify(schema)).not.toContain('additionalProperties')
      expect(warnings).toEqual([])
      expect(validationErrors(schema, { a: { b: 1, more: true }, meta: { x: 1 }, installation: { id: 1 } })).toEqual([])
    }
  })

  it('warns about an always-empty object, which closed admits no field', () => {
    const { schema, warnings } = infer([{ metadata: {} }, { metadata: {} }], { closedObjects: true })
    expect(field(schema, 'metadata')).toEqual({ type: 'object', properties: {}, additionalProperties: false })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ kind: 'unknown-type', path: '/metadata' })
    expect(warnings[0]?.message).toContain('`metadata` is an empty object in every sample')
  })
})

describe('order and determinism', () => {
  it('orders properties and required by first appearance across samples', () => {
    const { schema } = infer([
      { b: 1, a: { y: 1, x: 1 } },
      { c: 1, a: { z: 1, x: 1 }, b: 2, d: 1 },
    ])
    expect(Object.keys(schema.properties ?? {})).toEqual(['b', 'a', 'c', 'd'])
    expect(schema.required).toEqual(['b', 'a'])
    expect(Object.keys(field(schema, 'a').properties ?? {})).toEqual(['y', 'x', 'z'])
    expect(field(schema, 'a').required).toEqual(['x'])
  })

  it('follows document order through arrays and across samples', () => {
    const { schema } = infer([{ l: [{ p: 1 }, { q: 1, p: 1 }] }, { l: [{ r: 1 }] }])
    expect(Object.keys(field(schema, 'l', '*').properties ?? {})).toEqual(['p', 'q', 'r'])
  })

  it('gives the same bytes for the same input, warnings included', () => {
    const samples: JsonValue[] = [
      { id: 1, at: '2024-01-31T10:00:00Z', tags: [], who: null, nested: { a: [{ b: 1 }, { c: 'x' }] } },
      { id: 2.5, at: '2024-02-01T10:00:00Z', tags: [], who: null, nested: null },
    ]
    const first = JSON.stringify(inferSchema(samples))
    expect(JSON.stringify(inferSchema(JSON.parse(JSON.stringify(samples)) as JsonValue[]))).toBe(first)
    expect(JSON.stringify(inferSchema(samples))).toBe(first)
  })

  it('lists warnings in document order', () => {
    const { warnings } = inferSchema([{ z: null, a: { tags: [], note: null }, m: {} }], { closedObjects: true })
    expect(warnings.map((w) => w.path)).toEqual(['/z', '/a/tags', '/a/note', '/m'])
  })

  it('does not change its input', () => {
    const samples: JsonValue[] = [{ a: [1, { b: null }], c: { d: 'x' } }]
    const before = JSON.stringify(samples)
    inferSchema(samples)
    expect(JSON.stringify(samples)).toBe(before)
  })
})

describe('keys and values that are not plain', () => {
  it('handles __proto__, constructor and friends as plain data without prototype pollution', () => {
    const samples = JSON.parse(
      '[{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1, "hasOwnProperty": null},' +
        ' {"__proto__": {"polluted": false}, "constructor": "d", "toString": 2, "hasOwnProperty": false}]',
    ) as JsonValue[]
    const { schema } = infer(samples, { closedObjects: true })
    const properties = schema.properties ?? {}
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype)
    expect(Object.keys(properties)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({
      type: 'object',
      properties: { polluted: { type: 'boolean' } },
      required: ['polluted'],
      additionalProperties: false,
    })
    expect(schema.required).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(JSON.stringify(schema)).toContain('"__proto__":{"type":"object"')
    // ajv ignores `properties.__proto__`; the pattern makes it validate that value.
    expect(schema.patternProperties).toEqual({ '^__proto__$': Object.getOwnPropertyDescriptor(properties, '__proto__')?.value })
    const withBadProto = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "toString": 1, "hasOwnProperty": null}')
    expect(validationErrors(schema, withBadProto as JsonValue)).toEqual(['/__proto__/polluted: must be boolean'])
    // The closed schema still refuses a key the samples never had.
    const withExtra = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1, "hasOwnProperty": null, "valueOf": 1}',
    )
    expect(validationErrors(schema, withExtra as JsonValue)).toEqual(['(root): must NOT have additional properties'])
  })

  it('escapes keys in warning paths as JSON Pointer tokens', () => {
    const { warnings } = inferSchema([{ 'a/b': { 'c~d': null }, 'first name': [] }])
    expect(warnings.map((w) => w.path)).toEqual(['/a~1b/c~0d', '/first name'])
    expect(warnings[0]?.message).toContain('`["a/b"]["c~d"]`')
    expect(warnings[0]?.message).toContain('{ properties: { "a/b": { properties: { "c~d": {')
  })

  it('accepts null-prototype objects', () => {
    const sample = Object.assign(Object.create(null) as Record<string, JsonValue>, { a: 1 })
    expect(infer([sample]).schema.required).toEqual(['a'])
  })

  it('rejects values that are not JSON, naming where they are', () => {
    expect(() => inferSchema([{ a: [{ b: 1n }] } as unknown as JsonValue])).toThrow(
      new TypeError('inferSchema: bigint at /a/*/b is not a JSON value'),
    )
    expect(() => inferSchema([{ when: new Date(0) } as unknown as JsonValue])).toThrow(/a Date at \/when is not a JSON value/)
    expect(() => inferSchema([{ list: [undefined] } as unknown as JsonValue])).toThrow(/undefined at \/list\/\* is not/)
  })
})

describe('warning messages', () => {
  it('shows no override example for deep paths or inside anyOf unions', () => {
    const deep = inferSchema([{ a: { b: { c: { d: { e: null } } } } }]).warnings[0]
    expect(deep?.message).toMatch(/`schema` override\.$/)
    const inUnion = inferSchema([{ a: { x: null } }, { a: 'text' }]).warnings[0]
    expect(inUnion?.path).toBe('/a/x')
    expect(inUnion?.message).toMatch(/`schema` override\.$/)
  })

  it('shows override examples that are valid YAML for the event file and reach the field', () => {
    const { warnings } = inferSchema([{ 'a b': { tags: [], list: [{ x: null }] }, meta: {} }], { closedObjects: true })
    expect(warnings.map((w) => w.path)).toEqual(['/a b/tags', '/a b/list/*/x', '/meta'])
    const overrides = warnings.map((w) => {
      const example = /`(schema: .*)`\.$/.exec(w.message)?.[1]
      if (example === undefined) throw new Error(`no example in: ${w.message}`)
      return (parseYaml(example) as { schema: JsonSchema }).schema
    })
    expect(overrides[0]?.properties?.['a b']?.properties?.['tags']).toEqual({ items: { type: 'string' } })
    expect(overrides[1]?.properties?.['a b']?.properties?.['list']?.items?.properties?.['x']).toEqual({ type: ['string', 'null'] })
    expect(overrides[2]?.properties?.['meta']).toEqual({ additionalProperties: { type: 'string' } })
  })

  it('shows an override example that follows nullable objects', () => {
    const warning = inferSchema([{ a: { x: null } }, { a: null }]).warnings[0]
    expect(warning?.message).toContain('`schema: { properties: { a: { properties: { x: { type: [string, "null"] } } } } }`')
  })
})
