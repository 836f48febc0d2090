/**
 * The representation choices of inference, checked with the code generator's view of
 * them (json-schema-to-typescript): nullable objects and arrays read as `X | null`,
 * unknown places as `unknown`, so generated types accept what the validator accepts.
 */
import { compile } from 'json-schema-to-typescript'
import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { JsonObject, JsonSchema } from '../../src/types.js'

async function typeOf(schema: JsonSchema): Promise<string> {
  const source = await compile({ ...schema, title: 'Payload' }, 'Payload', {
    format: false,
    bannerComment: '',
    additionalProperties: false,
  })
  return source.replace(/\s+/g, ' ').trim()
}

describe('inferred schemas as TypeScript', () => {
  it('prints a nullable object and a nullable array as X | null', async () => {
    const { schema } = inferSchema([
      { address: { city: 'Oslo' }, tags: ['a'] },
      { address: null, tags: null },
    ])
    expect(await typeOf(schema)).toBe('export interface Payload { address: ({ city: string } | null) tags: (string[] | null) }')
  })

  it('prints unknown places as unknown, which null and later values are assignable to', async () => {
    const { schema } = inferSchema([{ company: null, tags: [] }])
    expect(await typeOf(schema)).toBe('export interface Payload { company: unknown tags: unknown[] }')
  })

  it('prints unions, optional fields and a __proto__ field as plain members', async () => {
    const sample = JSON.parse('{"__proto__": 1, "id": 1, "ref": "x"}') as JsonObject
    const { schema } = inferSchema([sample, { id: 'b', ref: { n: 1 } }])
    const source = await typeOf(schema)
    expect(source).toContain('__proto__?: number')
    // The `patternProperties` that lets ajv validate `__proto__` also reaches the printer
    // as an index signature; code generation drops that pattern before printing types.
    expect(source).toContain('via the `patternProperty` "^__proto__$"')
    expect(source).toContain('id: (string | number)')
    expect(source).toContain('ref: ({ n: number } | string)')
  })
})
