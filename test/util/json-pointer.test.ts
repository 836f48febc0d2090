import { describe, expect, it } from 'vitest'
import { appendPointer, escapeToken, splitPointer, valueAtPointer } from '../../src/util/json-pointer.js'

describe('the one pointer escape', () => {
  it('escapes ~ before / and round-trips through splitPointer', () => {
    for (const name of ['plain', 'a/b', 'a~b', '~1', '/~0/', '']) {
      expect(splitPointer(appendPointer('', name))).toEqual([name])
    }
    expect(escapeToken('~1')).toBe('~01')
    expect(escapeToken(3)).toBe('3')
  })
})

describe('valueAtPointer', () => {
  const payload = { a: [{ 'b/c': null }], constructor: undefined }
  it('reads own properties and array indexes', () => {
    expect(valueAtPointer(payload, '/a/0/b~1c')).toEqual({ found: true, value: null })
    expect(valueAtPointer(payload, '')).toEqual({ found: true, value: payload })
  })
  it('finds nothing on the prototype, past the end, or at a non-index of an array', () => {
    expect(valueAtPointer({}, '/constructor')).toEqual({ found: false })
    expect(valueAtPointer({}, '/toString')).toEqual({ found: false })
    expect(valueAtPointer(payload, '/a/1')).toEqual({ found: false })
    expect(valueAtPointer(payload, '/a/length')).toEqual({ found: false })
    expect(valueAtPointer(payload, '/a/0/b~1c/d')).toEqual({ found: false })
  })
})
