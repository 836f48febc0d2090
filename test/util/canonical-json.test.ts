/**
 * Laws of canonical JSON (src/sync/canonical-json.ts), over arbitrary values: equality is
 * exactly "same canonical text", the text is JSON.stringify's up to key order, and key order
 * never matters.
 */
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, canonicallyEqual } from '../../src/util/canonical-json.js'

const KEYS = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '1', '9', '10', '01', '4294967294', '4294967295'))
const anything = fc.anything({
  key: KEYS,
  withNullPrototype: true,
  withSparseArray: true,
  withDate: true,
  withBoxedValues: false,
  withMap: false,
  withSet: false,
})
const json = fc.jsonValue()

/** The same value with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, {
      value: reversed((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

describe('canonical JSON', () => {
  it('canonicallyEqual(a, b) is exactly canonicalJson(a) === canonicalJson(b)', () => {
    fc.assert(
      fc.property(anything, anything, (a, b) => canonicallyEqual(a, b) === (canonicalJson(a) === canonicalJson(b))),
      { numRuns: 3000 },
    )
    // Pairs that are often equal: a value and its JSON round trip (undefined members, -0, sparse arrays...).
    fc.assert(
      fc.property(anything, (a) => {
        const b: unknown = JSON.parse(JSON.stringify(a) ?? 'null')
        return canonicallyEqual(a, b) === (canonicalJson(a) === canonicalJson(b))
      }),
      { numRuns: 3000 },
    )
  })

  it('writes what JSON.stringify writes, up to key order, and ignores key order', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(isDeepStrictEqual(JSON.parse(canonicalJson(value)), JSON.parse(JSON.stringify(value)))).toBe(true)
        expect(canonicalJson(reversed(value))).toBe(canonicalJson(value))
        expect(canonicallyEqual(reversed(value), value)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('treats undefined members as absent, -0 as 0, and keeps __proto__ as a key', () => {
    expect(canonicallyEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true)
    expect(canonicallyEqual([undefined], [null])).toBe(true)
    expect(canonicallyEqual({ n: -0 }, { n: 0 })).toBe(true)
    expect(canonicallyEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(canonicallyEqual([1, 2], { 0: 1, 1: 2 })).toBe(false)
    const proto = JSON.parse('{"__proto__": {"x": 1}}') as unknown
    expect(canonicalJson(proto)).toBe('{"__proto__":{"x":1}}')
    expect(canonicallyEqual(proto, {})).toBe(false)
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 }, 10: 0, 9: 0 })).toBe('{"9":0,"10":0,"a":{"c":3,"d":2},"b":1}')
  })
})
