/**
 * The copy every fire makes for renames in expansion (issue 12): the old field carries the new
 * one's value, on nested paths and per array item, without touching the caller's payload.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { copyRenamedFields, withoutRenamedCopies, withRenamedCopies, type RenamedCopy } from '../../src/wire/renamed-copies.js'

/** A copy; by default the new shape keeps exactly the containers both paths share. */
function copy(newPath: string, oldPath: string, keptPrefix?: number): RenamedCopy {
  const [n, o] = [segments(newPath), segments(oldPath)]
  return { newPath: n, oldPath: o, keptPrefix: keptPrefix ?? sharedLength(n, o) }
}

function sharedLength(a: readonly string[], b: readonly string[]): number {
  let n = 0
  while (n < a.length - 1 && n < b.length - 1 && a[n] === b[n]) n++
  return n
}

/** `items[].sku` -> ['items', '[]', 'sku'] (test shorthand; keys have no dots or brackets). */
function segments(path: string): string[] {
  return path.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part]))
}

describe('copyRenamedFields: examples', () => {
  it('copies a top-level field and leaves the new one in place', () => {
    const payload = { given_name: 'Jane', email: 'j@x.io' }
    expect(copyRenamedFields(payload, [copy('given_name', 'first_name')])).toEqual({
      given_name: 'Jane',
      email: 'j@x.io',
      first_name: 'Jane',
    })
  })

  it('copies inside nested objects, creating the old parent when the new shape moved the field', () => {
    const payload = deepFreeze({ person: { name: { given: 'Jane' } }, address: { postcode: '69001', city: 'Lyon' } })
    const out = copyRenamedFields(payload, [copy('address.postcode', 'address.zip'), copy('person.name.given', 'contact.first_name')])
    expect(out).toEqual({
      person: { name: { given: 'Jane' } },
      address: { postcode: '69001', city: 'Lyon', zip: '69001' },
      contact: { first_name: 'Jane' },
    })
  })

  it('copies per array item, index for index, also into another array', () => {
    const payload = deepFreeze({ items: [{ code: 'MUG' }, { code: 'TEE', qty: 2 }, {}], lines: [{ tags: [{ v: 1 }, { v: 2 }] }] })
    const out = copyRenamedFields(payload, [copy('items[].code', 'items[].sku'), copy('lines[].tags[].v', 'rows[].labels[].value')])
    expect(out).toEqual({
      items: [{ code: 'MUG', sku: 'MUG' }, { code: 'TEE', qty: 2, sku: 'TEE' }, {}],
      lines: [{ tags: [{ v: 1 }, { v: 2 }] }],
      rows: [{ labels: [{ value: 1 }, { value: 2 }] }],
    })
  })

  it('starts an item the old array lacks as the container its path needs', () => {
    const out = copyRenamedFields({ lines: [{}, { code: 'B' }] }, [copy('lines[].code', 'items[].sku')])
    expect(out).toEqual({ lines: [{}, { code: 'B' }], items: [{}, { sku: 'B' }] })
  })

  it('never creates a container the new shape still has: an optional object the caller left out stays out', () => {
    // `address.zip` -> `postcode`, with `address` still an (optional) object of the event.
    const zip = copy('postcode', 'address.zip', 1)
    expect(copyRenamedFields({ postcode: '75001' }, [zip])).toEqual({ postcode: '75001' })
    expect(copyRenamedFields({ postcode: '75001', address: { city: 'Paris' } }, [zip])).toEqual({
      postcode: '75001',
      address: { city: 'Paris', zip: '75001' },
    })
    // Only the part the new shape no longer has is created: `contact` is kept, `address` is not.
    const deep = copy('zip', 'contact.address.zip', 1)
    expect(copyRenamedFields({ zip: '1' }, [deep])).toEqual({ zip: '1' })
    expect(copyRenamedFields({ zip: '1', contact: {} }, [deep])).toEqual({ zip: '1', contact: { address: { zip: '1' } } })
  })

  it('never adds items to an array the new shape still has', () => {
    // `items[].sku` -> `skus[].value`, with `items` still an array of the event.
    const sku = copy('skus[].value', 'items[].sku', 2)
    const payload = deepFreeze({ items: [{ qty: 1 }], skus: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] })
    expect(copyRenamedFields(payload, [sku])).toEqual({ items: [{ qty: 1, sku: 'A' }], skus: payload.skus })
    expect(copyRenamedFields({ skus: [{ value: 'A' }] }, [sku])).toEqual({ skus: [{ value: 'A' }] })
  })

  it('never invents a value, nor overwrites one it cannot descend into', () => {
    expect(copyRenamedFields({ email: 'x' }, [copy('given_name', 'first_name')])).toEqual({ email: 'x' })
    expect(copyRenamedFields({ given: 'J', contact: null }, [copy('given', 'contact.first')])).toEqual({ given: 'J', contact: null })
    expect(copyRenamedFields({ given: 'J', contact: 'text' }, [copy('given', 'contact.first')])).toEqual({ given: 'J', contact: 'text' })
    expect(copyRenamedFields({ lines: [{ c: 1 }], items: { not: 'an array' } }, [copy('lines[].c', 'items[].c')])).toEqual({
      lines: [{ c: 1 }],
      items: { not: 'an array' },
    })
    expect(copyRenamedFields([1], [copy('a', 'b')])).toEqual([1])
    expect(copyRenamedFields(null, [copy('a', 'b')])).toBeNull()
  })

  it('copies null as a value, and a field named __proto__ stays a field', () => {
    expect(copyRenamedFields({ phone: null }, [copy('phone', 'tel')])).toEqual({ phone: null, tel: null })
    const out = copyRenamedFields(JSON.parse('{"a": 1}'), [{ newPath: ['a'], oldPath: ['__proto__'], keptPrefix: 0 }]) as object
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(JSON.stringify(out)).toBe('{"a":1,"__proto__":1}')
  })

  it('withRenamedCopies returns the same arguments when there is nothing to copy, else new ones', () => {
    const args = { linkedAccountId: 'a', payload: { email: 'x' } }
    expect(withRenamedCopies(args, undefined)).toBe(args)
    expect(withRenamedCopies(args, [])).toBe(args)
    expect(withRenamedCopies(args, [copy('given', 'first')])).toBe(args)
    const moved = withRenamedCopies({ linkedAccountId: 'a', slug: 'hubspot', payload: { given: 'J' } }, [copy('given', 'first')])
    expect(moved).toEqual({ linkedAccountId: 'a', slug: 'hubspot', payload: { given: 'J', first: 'J' } })
  })
})

/** JSON payloads over a small key alphabet, so random paths often exist. */
const NEW_KEYS = ['a', 'b', 'c'] as const
const OLD_KEYS = ['x', 'y', 'z'] as const
const { value: jsonOverKeys } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NEW_KEYS), tie('value'), { maxKeys: 3 }),
  ),
}))
const payloadArb = fc.dictionary(fc.constantFrom(...NEW_KEYS), jsonOverKeys, { maxKeys: 3 })

/**
 * A copy whose paths share a prefix, then part: the old part uses keys the payload never has,
 * except that it may first go through a container the new shape still has (`via`, a key of the
 * payload: an optional object, or an array when `[]` follow it), which the copy must never create
 * nor lengthen.
 */
const copyArb = fc
  .record({
    prefix: fc.array(fc.oneof(fc.constantFrom(...NEW_KEYS), fc.constant('[]')), { maxLength: 2 }),
    arrays: fc.integer({ min: 0, max: 2 }),
    newKeys: fc.array(fc.constantFrom(...NEW_KEYS), { minLength: 1, maxLength: 3 }),
    via: fc.option(fc.constantFrom(...NEW_KEYS)),
    oldKeys: fc.array(fc.constantFrom(...OLD_KEYS), { minLength: 1, maxLength: 3 }),
  })
  // As compile requires: the new path does not lie inside the old one.
  .filter(({ newKeys, via }) => via !== newKeys[0] || newKeys.length > 1)
  .map(({ prefix, arrays, newKeys, via, oldKeys }): RenamedCopy => {
    // Each rest: keys, with `arrays` `[]` segments after its first key (same count on both sides).
    const rest = (keys: string[]): string[] => [keys[0]!, ...Array.from({ length: arrays }, () => '[]'), ...keys.slice(1)]
    const start = prefix[0] === '[]' ? ['a', ...prefix] : prefix
    const oldRest = via === null ? rest(oldKeys) : rest([via, ...oldKeys])
    const keptPrefix = start.length + (via === null ? 0 : 1 + arrays)
    return { newPath: [...start, ...rest(newKeys)], oldPath: [...start, ...oldRest], keptPrefix }
  })

/** A payload that has `path` (arrays of 0-3 items on the way), beside random other fields. */
function payloadAlong(path: readonly string[]): fc.Arbitrary<unknown> {
  if (path.length === 0) return jsonOverKeys
  const [head, ...rest] = path
  if (head === '[]') return fc.array(payloadAlong(rest), { maxLength: 3 })
  return fc
    .tuple(fc.dictionary(fc.constantFrom(...NEW_KEYS), jsonOverKeys, { maxKeys: 2 }), payloadAlong(rest))
    .map(([others, value]) => ({ ...others, [head!]: value }))
}

/** `a` and `b` merged: objects key by key, arrays item by item; elsewhere `a` wins. */
function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => merge(a[i], b[i]))
  if (!isObject(a) || !isObject(b)) return a === undefined ? b : a
  const out: Record<string, unknown> = { ...b }
  for (const [key, value] of Object.entries(a)) out[key] = merge(value, b[key])
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A payload (random, or built to have the copies' new paths, or both the new path and the old
 * path's kept containers) and copies over it, frozen deep so any write to it throws.
 */
const scenarioArb = fc.oneof(
  fc.tuple(payloadArb, fc.array(copyArb, { maxLength: 3 })),
  fc
    .array(copyArb, { minLength: 1, maxLength: 3 })
    .chain((copies) => fc.tuple(payloadAlong(copies[0]!.newPath) as fc.Arbitrary<Record<string, unknown>>, fc.constant(copies))),
  fc.array(copyArb, { minLength: 1, maxLength: 3 }).chain((copies) => {
    const { newPath, oldPath, keptPrefix } = copies[0]!
    const both = fc.tuple(payloadAlong(newPath), payloadAlong(oldPath.slice(0, keptPrefix))).map(([a, b]) => merge(a, b))
    return fc.tuple(both as fc.Arbitrary<Record<string, unknown>>, fc.constant(copies))
  }),
)

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

interface Hit {
  indices: number[]
  value: unknown
}

/** Every value at `path` in `node`, with the array index taken at each `[]`. */
function hits(node: unknown, path: readonly string[], indices: number[] = []): Hit[] {
  if (path.length === 0) return [{ indices, value: node }]
  const [head, ...rest] = path
  if (head === '[]') return Array.isArray(node) ? node.flatMap((item, i) => hits(item, rest, [...indices, i])) : []
  if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, head!)) return []
  return hits((node as Record<string, unknown>)[head!], rest, indices)
}

/** The value at `path` taking `indices` at each `[]`; `blocked` when something not a container is in the way. */
function at(node: unknown, path: readonly string[], indices: readonly number[]): { value: unknown } | 'blocked' | 'absent' {
  let current = node
  let used = 0
  for (const segment of path) {
    if (current === undefined) return 'absent'
    if (segment === '[]') {
      if (!Array.isArray(current)) return 'blocked'
      current = current[indices[used++]!]
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return 'blocked'
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined
    }
  }
  return current === undefined ? 'absent' : { value: current }
}

/** `value` without any key of `keys`, at any depth. */
function without(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys))
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (keys.has(k) ? [] : [[k, without(v, keys)]])))
}

describe('copyRenamedFields: properties', () => {
  it('the old path holds the new value wherever the new path has one, the kept containers are there, and nothing blocks the way', () => {
    fc.assert(
      fc.property(scenarioArb, ([payload, copies]) => {
        const c = copies[0]
        if (c === undefined) return
        const out = copyRenamedFields(deepFreeze(payload), [c])
        for (const hit of hits(payload, c.newPath)) {
          const before = at(payload, c.oldPath, hit.indices)
          if (before === 'blocked') continue
          // A kept container (object, or array item) the payload lacks: the copy is skipped, not invented.
          if (c.keptPrefix > 0 && at(payload, c.oldPath.slice(0, c.keptPrefix), hit.indices) === 'absent') {
            expect(at(out, c.oldPath, hit.indices)).toBe('absent')
            continue
          }
          expect(at(out, c.oldPath, hit.indices)).toEqual({ value: hit.value })
        }
      }),
      { numRuns: 400 },
    )
  })

  it("changes nothing else: without the old keys the result is the input, and the caller's payload is untouched", () => {
    fc.assert(
      fc.property(scenarioArb, ([payload, copies]) => {
        const snapshot = structuredClone(payload)
        const out = copyRenamedFields(deepFreeze(payload), copies)
        expect(payload).toEqual(snapshot)
        expect(without(out, new Set(OLD_KEYS))).toEqual(payload)
      }),
      { numRuns: 400 },
    )
  })

  it('withoutRenamedCopies gives back the payload as the caller wrote it', () => {
    fc.assert(
      fc.property(scenarioArb, ([payload, copies]) => {
        const frozen = deepFreeze(payload)
        expect(withoutRenamedCopies(copyRenamedFields(frozen, copies), copies)).toEqual(payload)
        expect(withoutRenamedCopies(frozen, copies)).toBe(frozen)
      }),
      { numRuns: 300 },
    )
  })

  it('writes inside a copied field before copying it (a counterexample the property found)', () => {
    // x was renamed to b, and b.x and b.y to b.a: x must get b with both of its old fields.
    const copies: RenamedCopy[] = [
      { newPath: ['b', 'a'], oldPath: ['b', 'x'], keptPrefix: 1 },
      { newPath: ['b'], oldPath: ['x'], keptPrefix: 0 },
      { newPath: ['b', 'a'], oldPath: ['b', 'y'], keptPrefix: 1 },
    ]
    const once = copyRenamedFields({ b: { a: false } }, copies)
    expect(once).toEqual({ b: { a: false, x: false, y: false }, x: { a: false, x: false, y: false } })
    expect(copyRenamedFields(once, copies)).toEqual(once)
  })

  it('is idempotent: copying again changes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, ([payload, copies]) => {
        const once = copyRenamedFields(payload, copies)
        expect(copyRenamedFields(once, copies)).toEqual(once)
      }),
      { numRuns: 300 },
    )
  })
})
