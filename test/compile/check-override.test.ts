import { describe, expect, it } from 'vitest'
import { checkOverride, overrideConstrains } from '../../src/compile/check-override.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'

describe('overrideConstrains', () => {
  it('is false for overrides that only document', () => {
    const documenting: JsonValue[] = [
      {},
      { description: 'x' },
      { properties: { a: { description: 'x', examples: [1], 'x-owner': 'billing' }, b: { items: { title: 'Item' } } } },
      { $comment: 'why', properties: { c: { tsType: 'Date', deprecated: true, default: 3 } } },
    ]
    for (const override of documenting) expect(overrideConstrains(override), JSON.stringify(override)).toBe(false)
  })

  it('is true as soon as any keyword can change validity, or a null removes one', () => {
    const constraining: JsonValue[] = [
      { required: ['a'] },
      { properties: { a: { enum: [1] } } },
      { properties: { a: { items: { minimum: 0 } } } },
      { properties: { a: null } },
      { properties: { a: { format: null } } },
      { additionalProperties: true },
      { $ref: '#/$defs/x' },
      { anyOf: [{ description: 'only docs, but a union all the same' }] },
    ]
    for (const override of constraining) expect(overrideConstrains(override), JSON.stringify(override)).toBe(true)
  })
})

describe('checkOverride', () => {
  it('accepts every draft 2020-12 keyword and x- extensions', () => {
    const override: JsonSchema = {
      $defs: { money: { type: 'number', multipleOf: 0.01 } },
      properties: {
        a: { $ref: '#/$defs/money', 'x-unit': 'EUR' },
        b: { type: 'array', prefixItems: [{ const: 1 }], unevaluatedItems: false, contains: { minimum: 2 }, minContains: 1 },
        c: { if: { minLength: 1 }, then: { pattern: '^a' }, else: { not: { const: '' } } },
        d: { dependentRequired: { x: ['y'] }, dependentSchemas: { x: { required: ['z'] } }, propertyNames: { maxLength: 3 } },
      },
    }
    expect(checkOverride(override)).toEqual([])
  })

  it('looks through properties, lists and maps of schemas, but not into field names', () => {
    expect(
      checkOverride({
        properties: { descripton: { descripton: 'x' } },
        anyOf: [{ enun: [1] }],
        $defs: { x: { itmes: {} } },
      } as JsonSchema),
    ).toEqual([
      { pointer: '/properties/descripton/descripton', message: expect.stringContaining('did you mean "description"?') },
      { pointer: '/anyOf/0/enun', message: expect.stringContaining('did you mean "enum"?') },
      { pointer: '/$defs/x/itmes', message: expect.stringContaining('did you mean "items"?') },
    ])
  })
})
