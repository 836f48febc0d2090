/**
 * The one keyword table, and the draft 2020-12 answers every walker now shares: `contentSchema`
 * holds a schema but only annotates; `definitions` (draft-07, described by the 2020-12
 * meta-schema as deprecated) is a map of schemas.
 */
import { describe, expect, it } from 'vitest'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { checkOverride, overrideConstrains } from '../../src/compile/check-override.js'
import { mirrorProtoFields, PROTO_PATTERN } from '../../src/compile/proto-fields.js'
import { validatorSchema } from '../../src/codegen/validator-schema.js'
import type { JsonSchema } from '../../src/types.js'
import { ANNOTATION_KEYWORDS, KNOWN_KEYWORDS, subschemasOf, subschemasUnder } from '../../src/util/schema-keywords.js'

describe('contentSchema', () => {
  it('is walked for keywords but never validates, as ajv (2020-12) treats it', () => {
    expect(subschemasUnder('contentSchema', { type: 'object' })).toEqual([{ schema: { type: 'object' }, keyword: 'contentSchema' }])
    expect(ANNOTATION_KEYWORDS.has('contentSchema')).toBe(true)
    const schema: JsonSchema = { type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'object' } }
    // ajv itself: a string that is not JSON of an object still passes.
    expect(new Ajv2020().compile(schema)('not json')).toBe(true)
    expect(validatorSchema(schema)).toEqual({ type: 'string' })
    expect(overrideConstrains({ properties: { a: { contentSchema: { required: ['x'] } } } })).toBe(false)
    expect(subschemasOf(schema, { applicatorsOnly: true })).toEqual([])
  })

  it('has its keywords checked like any subschema', () => {
    expect(checkOverride({ properties: { a: { contentSchema: { fromat: 'date' } } } } as JsonSchema)).toEqual([
      expect.objectContaining({ pointer: '/properties/a/contentSchema/fromat' }),
    ])
  })
})

describe('definitions', () => {
  it('is a map of schemas that walkers follow, though 2020-12 overrides are told to say $defs', () => {
    expect(subschemasUnder('definitions', { a: { type: 'string' } })).toEqual([
      { schema: { type: 'string' }, keyword: 'definitions', key: 'a' },
    ])
    expect(KNOWN_KEYWORDS.has('definitions')).toBe(false)
    expect(checkOverride({ definitions: { a: {} } } as JsonSchema)[0]?.message).toContain('$defs')
    // ajv 2020 resolves a $ref into it.
    const referring = { definitions: { a: { type: 'string' } }, $ref: '#/definitions/a' }
    expect(new Ajv2020().compile(referring)(1)).toBe(false)
    expect(validatorSchema({ definitions: { a: { type: 'string', description: 'x' } } })).toEqual({
      definitions: { a: { type: 'string' } },
    })
  })

  it('has a __proto__ field mirrored inside it, as under $defs', () => {
    const field: JsonSchema = { type: 'string' }
    const schema: JsonSchema = { definitions: { a: { type: 'object', properties: JSON.parse('{"__proto__": {}}') } } }
    ;(schema.definitions as Record<string, JsonSchema>).a!.properties!['__proto__'] = field
    mirrorProtoFields(schema)
    expect((schema.definitions as Record<string, JsonSchema>).a!.patternProperties).toEqual({ [PROTO_PATTERN]: field })
  })
})

describe('the table', () => {
  it('lists every subschema keyword under exactly one shape', () => {
    expect(subschemasUnder('allOf', [{}, true]).map((s) => s.key)).toEqual([0, 1])
    expect(subschemasUnder('properties', { b: {}, a: {} }).map((s) => s.key)).toEqual(['b', 'a'])
    expect(subschemasUnder('enum', [{}])).toEqual([])
    expect(subschemasUnder('properties', [{}])).toEqual([])
  })
})
