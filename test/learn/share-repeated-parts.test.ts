/**
 * Sharing repeated parts of new examples: every form keeps the data (the same JSON), and the
 * form the caller falls back to keeps the yaml package's default alias budget where the most
 * compact one does not.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Document, parse } from 'yaml'
import { SHARING_MODES, shareRepeatedParts } from '../../src/learn/share-repeated-parts.js'
import type { JsonObject } from '../../src/types.js'

const user = { login: 'redacted', id: 0, url: 'https://example.com/', site_admin: false, type: 'redacted' }

function render(examples: JsonObject[]): string {
  return new Document(examples, { aliasDuplicateObjects: true, anchorPrefix: 'learned' }).toString({ lineWidth: 0 })
}

describe('shareRepeatedParts', () => {
  it('keeps the data in every form (fast-check)', () => {
    const part = fc.constantFrom<JsonObject>(user, { ...user, id: 1 }, { list: [user, user], n: null, text: 'x'.repeat(70) }, { small: 1 })
    const example = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', '__proto__'),
      fc.oneof(part, fc.array(part, { maxLength: 3 }), fc.integer()),
      { maxKeys: 4 },
    )
    fc.assert(
      fc.property(fc.array(example, { minLength: 1, maxLength: 4 }), (examples) => {
        for (const sharing of SHARING_MODES) {
          const shared = shareRepeatedParts(examples as JsonObject[], sharing)
          expect(JSON.stringify(shared)).toBe(JSON.stringify(examples))
          expect(JSON.stringify(parse(render(shared), { maxAliasCount: -1 }))).toBe(JSON.stringify(examples))
        }
      }),
      { numRuns: 60 },
    )
  })

  it('aliases a repeated parent whole with nothing aliased inside it (maximal), within the default alias budget', () => {
    const parent = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`u${i}`, user]))
    const examples: JsonObject[] = Array.from({ length: 10 }, (_, i) => ({ id: i, parent, sender: user }))
    // Every repeated part aliased: the parent's aliases each cost its inner aliases, past 100.
    expect(() => parse(render(shareRepeatedParts(examples, 'nested')))).toThrow(/Excessive alias count/)
    const text = render(shareRepeatedParts(examples, 'maximal'))
    expect(JSON.stringify(parse(text))).toBe(JSON.stringify(examples))
    expect(text.match(/\*learned/g)?.length).toBeGreaterThanOrEqual(18)
    expect(text.length).toBeLessThan(render(JSON.parse(JSON.stringify(examples)) as JsonObject[]).length / 5)
  })

  it('leaves parts under 64 characters of JSON written out', () => {
    const small = { a: 1, b: 'x' }
    expect(render(shareRepeatedParts([{ small }, { small }], 'nested'))).not.toContain('*')
  })
})
