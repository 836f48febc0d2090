import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../src/definitions/parse-yaml.js'

function errors(text: string): string[] {
  return parseYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.severity}: ${p.message}`)
}

describe('parseYaml', () => {
  it('builds JSON and locates every node, map entries at their key', () => {
    const parsed = parseYaml('name: x\nsample:\n  a: 1\n  list:\n    - { b: true }\n    - null\n')
    expect(parsed.value).toEqual({ name: 'x', sample: { a: 1, list: [{ b: true }, null] } })
    expect(parsed.locations).toEqual({
      '': { line: 1, column: 1 },
      '/name': { line: 1, column: 1 },
      '/sample': { line: 2, column: 1 },
      '/sample/a': { line: 3, column: 3 },
      '/sample/list': { line: 4, column: 3 },
      '/sample/list/0': { line: 5, column: 7 },
      '/sample/list/0/b': { line: 5, column: 9 },
      '/sample/list/1': { line: 6, column: 7 },
    })
    expect(parsed.problems).toEqual([])
  })

  it('escapes keys in pointers', () => {
    const parsed = parseYaml('"a/b": 1\n"c~d": 2\n')
    expect(Object.keys(parsed.locations)).toEqual(['', '/a~1b', '/c~0d'])
  })

  it('reports tabs used for indentation at the tab', () => {
    expect(errors('sample:\n  a: 1\n\tb: 2\n')).toEqual(['3:1 error: tab character used for indentation; YAML indentation must use spaces'])
    // A tab after a colon is only whitespace.
    expect(errors('name:\tx\n')).toEqual([])
  })

  it('reports one tab as one root error and hides the cascade it causes below it', () => {
    const text = 'name: x\nsample:\n  a: 1\n\tb: 2\n  c: 3\n  d:\n    e: 4\n  f: 5\n'
    const problems = errors(text)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(
      /^4:1 error: tab character used for indentation; YAML indentation must use spaces \(\d+ later YAML errors? in this document/,
    )
    // Every tab is still its own root error.
    expect(errors('sample:\n\ta: 1\n\tb: 2\n')).toEqual([
      '2:1 error: tab character used for indentation; YAML indentation must use spaces',
      '3:1 error: tab character used for indentation; YAML indentation must use spaces',
    ])
    // An error before the tab is independent of it and stays.
    const both = errors('a: [1\nsample:\n  x: 1\n\ty: 2\n  z: 3\n')
    expect(both).toHaveLength(2)
    expect(both[0]).toMatch(/^2:1 error: invalid YAML: flow sequence/)
    expect(both[1]).toMatch(/^4:1 error: tab character/)
  })

  it('reports duplicate keys at the second one, naming the first', () => {
    expect(errors('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n')).toEqual([
      '4:3 error: duplicate key "c"; it is already set at line 3, column 3: keep one of the two',
      '5:1 error: duplicate key "a"; it is already set at line 1, column 1: keep one of the two',
    ])
  })

  it('rejects keys that are not strings, and accepts them quoted', () => {
    expect(errors('1: a\ntrue: b\n~: c\n[x]: d\n"2": e\n')).toEqual([
      '1:1 error: expected a string key, got the number 1; quote it ("1") to use it as text',
      '2:1 error: expected a string key, got the boolean true; quote it ("true") to use it as text',
      '3:1 error: expected a string key, got an empty (null) key; quote it ("~") to use it as text',
      '4:1 error: expected a string key, got a map or list (complex key); keys must be plain text',
    ])
  })

  it('stops an alias bomb at the alias that crosses the bound', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    }
    const parsed = parseYaml(`${levels.join('\n')}\n`)
    expect(parsed.value).toBeUndefined()
    expect(errors(`${levels.join('\n')}\n`)).toEqual([
      '4:36 error: aliases expand to more than 10000 nodes (an alias bomb?); expected anchors and aliases to be used sparingly',
    ])
  })

  it('lets ordinary anchors, aliases and merge keys through, explicit keys winning', () => {
    const parsed = parseYaml('base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  y: 3\nlist: [*b]\n')
    expect(parsed.value).toEqual({ base: { x: 1, y: 2 }, other: { y: 3, x: 1 }, list: [{ x: 1, y: 2 }] })
    // Merged and aliased content is located where the alias is used; own keys keep their place.
    expect(parsed.locations['/other/x']).toEqual({ line: 5, column: 7 })
    expect(parsed.locations['/other/y']).toEqual({ line: 6, column: 3 })
    expect(parsed.locations['/list/0/y']).toEqual({ line: 7, column: 8 })
  })

  it('bounds the aliased node count', () => {
    // Each *a expands to 4 nodes (the list and its three items).
    expect(parseYaml('a: &a [1, 2, 3]\nb: [*a, *a]\n', { maxAliasedNodes: 8 }).problems).toEqual([])
    expect(parseYaml('a: &a [1, 2, 3]\nb: [*a, *a]\n', { maxAliasedNodes: 7 }).problems).toMatchObject([{ line: 2, column: 9 }])
  })

  it('rejects unknown and self-referencing aliases', () => {
    expect(errors('a: *nope\n')).toEqual(['1:4 error: unknown alias *nope; expected an anchor &nope defined earlier in the file'])
    expect(errors('a: &a\n  self: *a\n')).toEqual([
      '2:9 error: alias *a refers to a map or list that contains it; JSON cannot hold a cycle',
    ])
  })

  it('rejects values JSON cannot hold', () => {
    expect(errors('a: .inf\nb: -.Inf\nc: .nan\nd: !!binary aGk=\n')).toEqual([
      '1:4 error: .inf is not a JSON number; expected a finite number, or quote it to keep it as text',
      '2:4 error: -.Inf is not a JSON number; expected a finite number, or quote it to keep it as text',
      '3:4 error: .nan is not a JSON number; expected a finite number, or quote it to keep it as text',
      '4:13 error: expected a JSON value (text, number, true/false or null), got binary data (!!binary)',
    ])
  })

  it('keeps YAML 1.2 plain scalars as JSON would (dates stay text)', () => {
    expect(parseYaml('d: 2024-05-01\nt: 2024-05-01T10:00:00Z\nh: 0x1F\nyes: yes\n').value).toEqual({
      d: '2024-05-01',
      t: '2024-05-01T10:00:00Z',
      h: 31,
      yes: 'yes',
    })
  })

  it('reports a second document, and empty input', () => {
    expect(errors('a: 1\n---\nb: 2\n')).toEqual([
      '2:1 error: a second YAML document starts here; expected exactly one document (one event) per file',
    ])
    expect(parseYaml('').empty).toBe(true)
    expect(parseYaml('# only a comment\n\n').empty).toBe(true)
    expect(parseYaml('---\n').empty).toBe(true)
    expect(parseYaml('null\n')).toMatchObject({ empty: false, value: null })
  })

  it('reports syntax errors with their position and builds nothing', () => {
    const parsed = parseYaml('a: [1, 2\nb: 3\n')
    expect(parsed.value).toBeUndefined()
    expect(parsed.problems).toHaveLength(1)
    expect(parsed.problems[0]).toMatchObject({ line: 2, column: 1, severity: 'error' })
    expect(parsed.problems[0]!.message).toMatch(/^invalid YAML: /)
  })

  it('bounds nesting depth, also for hostile input the parser itself cannot take', () => {
    expect(errors(`a: ${'['.repeat(70)}${']'.repeat(70)}\n`)[0]).toMatch(/nested more than 64 levels deep/)
    const parsed = parseYaml('['.repeat(200_000) + ']'.repeat(200_000))
    expect(parsed.value).toBeUndefined()
    expect(parsed.problems[0]?.message).toBe('nested too deeply to parse; expected a flatter structure')
  })

  it('keeps __proto__ and constructor as data without touching any prototype', () => {
    const parsed = parseYaml('__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\n')
    const value = parsed.value as Record<string, unknown>
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
  })

  it('surfaces unresolved tags as warnings and keeps the text', () => {
    const parsed = parseYaml('a: !custom hello\n')
    expect(parsed.value).toEqual({ a: 'hello' })
    expect(parsed.problems).toEqual([{ line: 1, column: 4, severity: 'warning', message: 'unresolved tag: !custom' }])
  })
})

describe('numbers written with a decimal point', () => {
  it('records the pointer of every whole number written as a decimal, through aliases and merge keys', () => {
    const parsed = parseYaml(
      'base: &base { price: 5.0, qty: 2 }\nitem:\n  <<: *base\n  qty: 3.0\nover:\n  <<: *base\n  price: 5\nlist: [1, 2.0, 2.5, "3.0"]\nbig: 1.5e3\nrate: &r 7.00\nagain: *r\n',
    )
    expect(parsed.problems).toEqual([])
    // 2.5 is fractional anyway; "3.0" is text; `over.price` is written 5 and wins over the merged 5.0.
    expect([...parsed.decimals].sort()).toEqual(['/again', '/base/price', '/big', '/item/price', '/item/qty', '/list/1', '/rate'])
  })
})
