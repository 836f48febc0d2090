import { describe, expect, it } from 'vitest'
import { exceedsDepth } from '../../src/util/json-depth.js'

/** `levels` objects or arrays nested in one another, innermost empty. */
function nested(levels: number, kind: 'object' | 'array'): unknown {
  let value: unknown = kind === 'object' ? {} : []
  for (let i = 1; i < levels; i++) value = kind === 'object' ? { a: value } : [1, value]
  return value
}

describe('exceedsDepth', () => {
  it('counts {} and [] as one level, scalars as none', () => {
    expect(exceedsDepth({}, 1)).toBe(false)
    expect(exceedsDepth({}, 0)).toBe(true)
    expect(exceedsDepth([], 0)).toBe(true)
    expect(exceedsDepth('text', 0)).toBe(false)
    expect(exceedsDepth(null, 0)).toBe(false)
  })

  it('is exact at the limit, through objects and arrays', () => {
    for (const kind of ['object', 'array'] as const) {
      expect(exceedsDepth(nested(64, kind), 64)).toBe(false)
      expect(exceedsDepth(nested(65, kind), 64)).toBe(true)
    }
    expect(exceedsDepth({ a: [{ b: [] }], c: 1 }, 4)).toBe(false)
    expect(exceedsDepth({ a: [{ b: [{}] }], c: 1 }, 4)).toBe(true)
  })

  it('finds the deep branch among shallow ones, and reads an own __proto__ field', () => {
    const wide = { x: 1, y: [1, 2], z: { deep: nested(10, 'object') } }
    expect(exceedsDepth(wide, 12)).toBe(false)
    expect(exceedsDepth(wide, 11)).toBe(true)
    const proto = JSON.parse('{"__proto__": {"a": {"b": {}}}}') as unknown
    expect(exceedsDepth(proto, 3)).toBe(true)
    expect(exceedsDepth(proto, 4)).toBe(false)
  })

  it('does not overflow the call stack on a value far deeper than the stack allows', () => {
    expect(exceedsDepth(nested(100_000, 'object'), 400)).toBe(true)
    expect(exceedsDepth(nested(100_000, 'array'), 100_000)).toBe(false)
  })
})
