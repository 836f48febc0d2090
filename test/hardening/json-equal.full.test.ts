/**
 * The deep equality generated validators and in-process ajv use for enum, const and
 * uniqueItems: equal exactly when the JSON texts with sorted keys are equal, without calling
 * anything on the values and without recursion. (ajv's own fast-deep-equal is no oracle: it
 * throws on data with a field named valueOf or toString, which is why jsonEqual exists.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonEqual } from '../../src/util/json-equal.js'

const json = fc.jsonValue({ maxDepth: 4 })

/** JSON text with keys sorted: one text per JSON value. Reads own properties only (`__proto__` too). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const fields = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(Object.getOwnPropertyDescriptor(value, key)!.value)}`)
    return `{${fields.join(',')}}`
  }
  return JSON.stringify(value)
}

describe('jsonEqual', () => {
  it('agrees with comparing JSON texts with sorted keys', () => {
    fc.assert(fc.property(json, json, (a, b) => jsonEqual(a, b) === (canonical(a) === canonical(b))))
    // Unrelated random values are rarely equal: also compare values built to be close.
    fc.assert(
      fc.property(json, fc.jsonValue({ maxDepth: 1 }), (a, b) => {
        const near = { k: a, v: b, valueOf: a }
        const other = { valueOf: a, v: b, k: a }
        return jsonEqual(near, other) && jsonEqual([a, b], [b, a]) === (canonical(a) === canonical(b))
      }),
    )
    fc.assert(fc.property(json, (a) => jsonEqual(a, structuredClone(a))))
  })

  it('compares fields named toString, valueOf and __proto__ as data', () => {
    expect(jsonEqual({ toString: null }, { toString: null })).toBe(true)
    expect(jsonEqual({ valueOf: 1 }, { valueOf: 2 })).toBe(false)
    expect(jsonEqual(JSON.parse('{"__proto__": {"a": 1}}'), JSON.parse('{"__proto__": {"a": 1}}'))).toBe(true)
    expect(jsonEqual(JSON.parse('{"__proto__": {"a": 1}}'), {})).toBe(false)
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false)
    expect(jsonEqual([1, [2]], [1, [2]])).toBe(true)
    expect(jsonEqual([1], { 0: 1 })).toBe(false)
  })

  it('handles nesting far deeper than the call stack', () => {
    const deep = (): unknown => {
      let value: unknown = 1
      for (let i = 0; i < 100_000; i++) value = { a: [value] }
      return value
    }
    expect(jsonEqual(deep(), deep())).toBe(true)
  })
})
