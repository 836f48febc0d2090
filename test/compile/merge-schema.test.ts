import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergePatch, mergeSchema } from '../../src/compile/merge-schema.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'

describe('mergeSchema', () => {
  const inferred: JsonSchema = {
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email' },
      stage: { type: 'string' },
      address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    },
    required: ['email', 'stage', 'address'],
    additionalProperties: false,
  }

  it('merges objects key by key, recursively', () => {
    const merged = mergeSchema(inferred, {
      properties: { email: { description: 'Primary e-mail' }, address: { properties: { city: { minLength: 1 } } } },
    })
    expect(merged.properties!.email).toEqual({ type: 'string', format: 'email', description: 'Primary e-mail' })
    expect(merged.properties!.address!.properties!.city).toEqual({ type: 'string', minLength: 1 })
    expect(merged.properties!.address!.required).toEqual(['city'])
  })

  it('replaces arrays and plain values instead of merging them', () => {
    const merged = mergeSchema(inferred, {
      required: ['email'],
      properties: { stage: { type: ['string', 'null'], enum: ['lead', 'won', null] } },
    })
    expect(merged.required).toEqual(['email'])
    expect(merged.properties!.stage).toEqual({ type: ['string', 'null'], enum: ['lead', 'won', null] })
  })

  it('removes a keyword given as null, and adds new properties at the end', () => {
    const merged = mergeSchema(inferred, { properties: { email: { format: null }, phone: { type: 'string' } } } as unknown as JsonSchema)
    expect(merged.properties!.email).toEqual({ type: 'string' })
    expect(Object.keys(merged.properties!)).toEqual(['email', 'stage', 'address', 'phone'])
  })

  it('never modifies its inputs', () => {
    const before = JSON.stringify(inferred)
    const override: JsonSchema = { properties: { email: { description: 'x' } }, required: ['email'] }
    const overrideBefore = JSON.stringify(override)
    const merged = mergeSchema(inferred, override)
    merged.properties!.email!.description = 'changed'
    ;(merged.required as string[]).push('x')
    expect(JSON.stringify(inferred)).toBe(before)
    expect(JSON.stringify(override)).toBe(overrideBefore)
  })

  it('keeps __proto__, constructor and prototype as ordinary keys', () => {
    const override = JSON.parse(
      '{"properties":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"__proto__":{"polluted":true}}',
    ) as JsonSchema
    const merged = mergeSchema({ type: 'object', properties: {} }, override)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(merged.properties)).toBe(Object.prototype)
    expect(Object.keys(merged.properties!)).toEqual(['__proto__', 'constructor'])
    expect(JSON.stringify(merged)).toBe(
      '{"type":"object","properties":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"__proto__":{"polluted":true}}',
    )
    // Merging into an existing own __proto__ key merges, it does not replace the prototype.
    const twice = mergeSchema(merged, JSON.parse('{"properties":{"__proto__":{"also":1}}}') as JsonSchema)
    expect(Object.getOwnPropertyDescriptor(twice.properties, '__proto__')?.value).toEqual({ polluted: true, also: 1 })
  })

  it('follows RFC 7396 (JSON Merge Patch) laws', () => {
    const json = fc.jsonValue() as fc.Arbitrary<JsonValue>
    const object = fc.dictionary(fc.string(), json) as fc.Arbitrary<Record<string, JsonValue>>
    fc.assert(
      fc.property(json, (target) => {
        // An empty patch keeps a target object as it is.
        const merged = mergePatch(target, {})
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) expect(merged).toEqual(target)
      }),
    )
    fc.assert(
      fc.property(object, object, (target, patch) => {
        const merged = mergePatch(target, patch) as Record<string, JsonValue>
        for (const key of Object.keys(patch)) {
          if (patch[key] === null) expect(Object.hasOwn(merged, key)).toBe(false)
          else expect(Object.hasOwn(merged, key)).toBe(true)
        }
        // Applying a patch twice is applying it once.
        expect(mergePatch(merged, patch)).toEqual(merged)
      }),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
