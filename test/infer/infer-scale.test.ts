/**
 * Inference on extreme shapes: nesting far deeper than the call stack allows for
 * recursion, and very wide arrays. No timing assertions (the machine is shared); the
 * point is that these finish with the right schema instead of overflowing. Deep schemas
 * are checked with loops: even `JSON.stringify` overflows at these depths.
 */
import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { MAX_DEPTH } from '../../src/infer/sample-shape.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { validationErrors } from './validator.js'

const DEPTH = 10_000
const WIDTH = 100_000

function nestedObjects(depth: number, leaf: JsonValue): JsonValue {
  let value: JsonValue = leaf
  for (let level = 0; level < depth; level++) value = { child: value }
  return value
}

function nestedArrays(depth: number, leaf: JsonValue): JsonValue {
  let value: JsonValue = leaf
  for (let level = 0; level < depth; level++) value = [value]
  return value
}

describe('deep nesting', () => {
  it(`infers a ${DEPTH}-level object chain without recursion`, () => {
    const { schema, warnings } = inferSchema([nestedObjects(DEPTH, 1), nestedObjects(DEPTH, 'x')], { closedObjects: true })
    // The text-or-number leaf is noted; too deep for an override example.
    expect(warnings.map((w) => [w.kind, w.override])).toEqual([['mixed-types', undefined]])
    let current: JsonSchema = schema
    for (let level = 0; level < DEPTH; level++) {
      expect(current.type).toBe('object')
      expect(current.required).toEqual(['child'])
      expect(current.additionalProperties).toBe(false)
      current = current.properties?.['child'] as JsonSchema
    }
    expect(current).toEqual({ type: ['string', 'integer'] })
  })

  it(`infers a ${DEPTH}-level array chain and names its empty bottom with *`, () => {
    const { schema, warnings } = inferSchema([{ grid: nestedArrays(DEPTH, []) }])
    let current = schema.properties?.['grid'] as JsonSchema
    for (let level = 0; level < DEPTH; level++) {
      expect(current.type).toBe('array')
      current = current.items as JsonSchema
    }
    expect(current).toEqual({ type: 'array', items: {} })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.kind).toBe('empty-array')
    expect(warnings[0]?.path).toBe(`/grid${'/*'.repeat(DEPTH)}`)
  })

  it('stops at a cyclic value with an error instead of running out of memory', () => {
    const cyclic: Record<string, unknown> = { id: 1 }
    cyclic['self'] = { again: cyclic }
    expect(() => inferSchema([cyclic as JsonValue])).toThrow(
      new TypeError(
        `inferSchema: the value at /self/again/self/again/self/again/self/again/... is nested more than ${MAX_DEPTH} levels deep; is it cyclic?`,
      ),
    )
    const list: unknown[] = []
    list.push(list)
    expect(() => inferSchema([{ list } as unknown as JsonValue])).toThrow(/is nested more than 100000 levels deep; is it cyclic\?/)
  })

  it('accepts a value shared by several places (as YAML aliases make them)', () => {
    const address = { city: 'Oslo' }
    const { schema } = inferSchema([{ billing: address, shipping: address, history: [address, address] }])
    expect(schema.properties?.['shipping']).toEqual(schema.properties?.['billing'])
    expect(schema.properties?.['history']?.items).toEqual(schema.properties?.['billing'])
  })

  it('reports a non-JSON value at the bottom of a deep chain with its path', () => {
    const deep = nestedObjects(DEPTH, 1n as unknown as JsonValue)
    expect(() => inferSchema([deep])).toThrow(`bigint at ${'/child'.repeat(DEPTH)} is not a JSON value`)
  })
})

describe('wide arrays', () => {
  it(`merges ${WIDTH} objects into one item schema`, () => {
    const lines = Array.from({ length: WIDTH }, (_, index) => ({
      sku: `SKU-${index}`,
      quantity: index % 7,
      price: index % 3 === 0 ? 9.5 : 10,
      ...(index % 2 === 0 ? { note: null } : { note: 'gift' }),
      ...(index === WIDTH - 1 ? { last: true } : {}),
    }))
    const sample = { lines }
    const { schema, warnings } = inferSchema([sample])
    expect(warnings).toEqual([])
    expect(schema.properties?.['lines']).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string' },
          quantity: { type: 'integer' },
          price: { type: 'number' },
          note: { type: ['string', 'null'] },
          last: { type: 'boolean' },
        },
        required: ['sku', 'quantity', 'price', 'note'],
      },
    })
    expect(validationErrors(schema, sample)).toEqual([])
  })

  it(`checks the format of all ${WIDTH} strings, and drops it for the one that fails`, () => {
    const start = Date.UTC(2020, 0, 1)
    const stamps = Array.from({ length: WIDTH }, (_, index) => new Date(start + index * 60_000).toISOString())
    expect(inferSchema([{ at: stamps }]).schema.properties?.['at']).toEqual({
      type: 'array',
      items: { type: 'string', format: 'date-time' },
    })
    stamps[WIDTH - 1] = '2020-01-01T00:00:00' // no zone: not a full date-time
    expect(inferSchema([{ at: stamps }]).schema.properties?.['at']).toEqual({ type: 'array', items: { type: 'string' } })
  })
})
