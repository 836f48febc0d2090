/**
 * The deep equality generated validators and in-process ajv use for enum, const and
 * uniqueItems: the same answers as ajv's fast-deep-equal on JSON, without calling anything
 * on the values and without recursion.
 */
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonEqual } from '../../src/runtime/json-equal.js'

const fastDeepEqual = createRequire(import.meta.url)('fast-deep-equal') as (a: unknown, b: unknown) => boolean
const json = fc.jsonValue({ maxDepth: 4 })

describe('jsonEqual', () => {
  it('agrees with fast-deep-equal on JSON values', () => {
    fc.assert(fc.property(json, json, (a, b) => jsonEqual(a, b) === fastDeepEqual(a, b)))
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
