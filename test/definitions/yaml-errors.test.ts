import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseYaml } from '../../src/definitions/parse-yaml.js'
import { findMisfit } from '../../src/definitions/yaml-errors.js'

const messages = (text: string): string[] => parseYaml(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`)

describe('YAML indentation errors', () => {
  it('blames the over-indented line, not the key above it, once, with the indentation expected', () => {
    expect(messages('name: A\nsample:\n  a: 1\n   b: 2\n')).toEqual([
      '4:4 invalid YAML: line 4 is indented more than `a:` on line 3 above it, which already has a value; expected 2 spaces, as `a:`, or a key ending with ":" above it to nest under',
    ])
  })

  it('says where a list item at the column of keys belongs', () => {
    const [only, ...rest] = messages('name: A\nsample:\n  a: 1\n  tags:\n    - x\n  - y\n')
    expect(rest).toEqual([])
    expect(only).toMatch(/^6:3 invalid YAML: line 6 is a list item at the column of the keys \(`tags:` on line 4\); .*4 spaces as `- x`/)
  })

  it('offers both neighbouring levels for a line between them', () => {
    expect(messages('sample:\n  customer:\n    id: 1\n   name: Jane\n')).toEqual([
      '4:4 invalid YAML: line 4 is indented 3 spaces, which lines up with no entry above it; expected 2 spaces, as `customer:` on line 2, or 4 spaces, as `id:` on line 3',
    ])
  })

  it('reports one error for a line the parser fails on several times', () => {
    const found = messages('name: A\ninference:\n  nullable: [ownr.id, itms[].x, owner.nme]\n')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^3:\d+ invalid YAML: /)
  })

  it('blames an indented first line rather than every line below it', () => {
    expect(messages(' name: A\nsample:\n  a: 1\n')).toEqual([
      '1:2 invalid YAML: line 1 is indented 1 space, but line 2 below it starts at 0 spaces; expected the top-level keys at one column, 0 spaces',
    ])
  })

  it('rewords errors it cannot pin on one line instead of passing the parser text through', () => {
    expect(messages('a: 1\nfoo\n')).toEqual([
      '2:1 invalid YAML: this line has no ":" after its key; expected "key: value", or "- item" in a list',
    ])
  })

  it('finds no misfit in valid YAML: the project event files and any JSON value yaml writes', () => {
    const folder = new URL('../../events/', import.meta.url).pathname
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.yaml'))) {
      expect(findMisfit(readFileSync(join(folder, name), 'utf8')), name).toBeUndefined()
    }
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { minKeys: 1 }), (value) => {
        // Narrow lines: long texts fold over several lines, plain and quoted.
        for (const text of [stringify(value), stringify(value, { lineWidth: 24, minContentWidth: 8 })]) {
          expect(findMisfit(text), text).toBeUndefined()
        }
      }),
      { numRuns: 300 },
    )
  })

  it('finds no misfit in valid YAML with flow collections spread over lines', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { minKeys: 1 }), (value) => {
        const text = stringify({ sample: value, other: 1 }, { flowCollectionPadding: true, lineWidth: 24, collectionStyle: 'flow' })
        expect(findMisfit(text), text).toBeUndefined()
      }),
      { numRuns: 300 },
    )
  })
})
