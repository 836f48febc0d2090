/**
 * Renames in expansion at compile (issue 12): which `renames` entries are expanded, the copies
 * they give, and the schema that carries both names. The law that ties it together: the payload
 * a helper sends (the runtime's copy of the sample) validates against the schema sync pushes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { expandSchema, wireForm } from '../../src/compile/rename-expansion.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import { copyRenamedFields } from '../../src/wire/renamed-copies.js'
import { formatPath, parsePath } from '../../src/util/field-path.js'
import type { CompiledEvent, EventDefinition, JsonObject, JsonSchema } from '../../src/types.js'

import { loadAjv } from '../../src/util/load-ajv.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

const CONTACT = `name: New Contact Created
sample:
  given_name: Jane
  contact: { address: { postcode: "69001" } }
  items:
    - { code: MUG }
    - { code: TEE }
`

async function compile(
  text: string,
  expandRenames?: boolean,
  closedObjects = false,
): Promise<{ event: CompiledEvent; warnings: string[] }> {
  const parsed = await parseEventFile(text, 'events/contact.yaml')
  expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([])
  const result = await compileDefinitions([parsed.definition!], { ...DEFAULT_INFER_OPTIONS, closedObjects }, { expandRenames })
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return { event: result.events[0]!, warnings: result.diagnostics.map(formatDiagnostic) }
}

async function valid(schema: JsonSchema, payload: unknown): Promise<boolean> {
  const ajv = await loadAjv()
  const { $id: _id, ...rest } = schema
  return ajv.validate(rest, payload) as boolean
}

describe('renames in expansion: which entries, which copies', () => {
  it('expands every acknowledged rename by default: top level, nested, per array item', async () => {
    const { event, warnings } = await compile(
      `${CONTACT}renames:\n  first_name: given_name\n  contact.address.zip: contact.address.postcode\n  items[].sku: items[].code\n`,
    )
    expect(warnings).toEqual([])
    expect(event.renameCopies).toEqual([
      { from: 'first_name', newPath: ['given_name'], oldPath: ['first_name'], keptPrefix: 0 },
      { from: 'contact.address.zip', newPath: ['contact', 'address', 'postcode'], oldPath: ['contact', 'address', 'zip'], keptPrefix: 2 },
      { from: 'items[].sku', newPath: ['items', '[]', 'code'], oldPath: ['items', '[]', 'sku'], keptPrefix: 2 },
    ])
    const sent = copyRenamedFields(event.definition.sample, event.renameCopies!)
    expect(sent).toEqual({
      given_name: 'Jane',
      contact: { address: { postcode: '69001', zip: '69001' } },
      items: [
        { code: 'MUG', sku: 'MUG' },
        { code: 'TEE', sku: 'TEE' },
      ],
      first_name: 'Jane',
    })
    // Refold's schema and the validators alike: the old names allowed, never required, so a
    // payload without its copies (the outbox, a direct client.fire) passes too.
    const pushed = wireForm(event).schema
    expect(pushed).toEqual(expandSchema(event.schema, event.renameCopies!))
    expect(pushed.required).toEqual(['given_name', 'contact', 'items'])
    expect(pushed.properties!.first_name).toEqual(event.schema.properties!.given_name)
    expect(await valid(pushed, sent)).toBe(true)
    expect(await valid(pushed, event.definition.sample)).toBe(true)
    // The compiled schema itself (types, schemas/) is untouched.
    expect(event.schema.properties!.first_name).toBeUndefined()
  })

  it('a copy never creates an object or item the new shape still has: the payloads the event allows stay valid', async () => {
    // `address` is still an optional object (with a required `city`); the zip moved to the root.
    const { event } = await compile(
      'name: Moved\nsample: { postcode: "75001", address: { city: Paris }, items: [{ qty: 1 }], skus: [{ value: A }] }\n' +
        'inference: { optional: [address] }\nrenames:\n  address.zip: postcode\n  items[].sku: skus[].value\n',
    )
    expect(event.renameCopies!.map((c) => [c.from, c.keptPrefix])).toEqual([
      ['address.zip', 1],
      ['items[].sku', 2],
    ])
    const checked = expandSchema(event.schema, event.renameCopies!)
    const withoutAddress = copyRenamedFields({ postcode: '75001', items: [{ qty: 1 }], skus: [{ value: 'A' }] }, event.renameCopies!)
    expect(withoutAddress).toEqual({ postcode: '75001', items: [{ qty: 1, sku: 'A' }], skus: [{ value: 'A' }] })
    expect(await valid(checked, withoutAddress)).toBe(true)
    const moreSkus = copyRenamedFields(
      { postcode: '1', address: { city: 'Lyon' }, items: [{ qty: 1 }], skus: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] },
      event.renameCopies!,
    )
    expect(moreSkus).toMatchObject({ address: { city: 'Lyon', zip: '1' }, items: [{ qty: 1, sku: 'A' }] })
  })

  it('Refold never requires an old name a valid payload may lack (its new field under an optional object)', async () => {
    const { event } = await compile(
      'name: Moved\nsample: { contact: { given_name: Jane }, email: j@x.io }\ninference: { optional: [contact] }\nrenames:\n  first_name: contact.given_name\n',
    )
    const pushed = wireForm(event).schema
    const withoutContact = copyRenamedFields({ email: 'j@x.io' }, event.renameCopies!)
    expect(await valid(pushed, withoutContact)).toBe(true)
    expect(await valid(pushed, copyRenamedFields(event.definition.sample, event.renameCopies!))).toBe(true)
  })

  it('closed objects accept the copies in the expanded schemas only', async () => {
    const { event } = await compile(`${CONTACT}renames:\n  items[].sku: items[].code\n`, true, true)
    const sent = copyRenamedFields(event.definition.sample, event.renameCopies!)
    expect(await valid(event.schema, sent)).toBe(false)
    expect(await valid(expandSchema(event.schema, event.renameCopies!), sent)).toBe(true)
  })

  it('an old field named __proto__ is validated and accepted by closed objects (ajv skips properties.__proto__)', async () => {
    const { event } = await compile(
      'name: Proto\nsample: { given_name: Jane, contact: { zip: "1" } }\nrenames:\n  __proto__: given_name\n  contact.__proto__: contact.zip\n',
      true,
      true,
    )
    expect(event.renameCopies!.map((c) => c.oldPath)).toEqual([['__proto__'], ['contact', '__proto__']])
    const sent = copyRenamedFields(event.definition.sample, event.renameCopies!)
    expect(JSON.stringify(sent)).toBe('{"given_name":"Jane","contact":{"zip":"1","__proto__":"1"},"__proto__":"Jane"}')
    const expanded = expandSchema(event.schema, event.renameCopies!)
    expect(await valid(expanded, sent)).toBe(true)
    // Validated, not merely allowed: the copy has the new field's type.
    expect(await valid(expanded, JSON.parse('{"given_name":"Jane","contact":{"zip":"1"},"__proto__":1}'))).toBe(false)
  })

  it('`expand: false` on an entry, or the project setting, renames without a copy; `expand: true` wins over the setting', async () => {
    const contracted = await compile(`${CONTACT}renames:\n  first_name: { to: given_name, expand: false }\n  items[].sku: items[].code\n`)
    expect(contracted.event.definition.renames).toEqual({ first_name: 'given_name', 'items[].sku': 'items[].code' })
    expect(contracted.event.definition.expandRenames).toEqual({ first_name: false })
    expect(contracted.event.renameCopies!.map((c) => c.from)).toEqual(['items[].sku'])
    const off = await compile(
      `${CONTACT}renames:\n  first_name: given_name\n  items[].sku:\n    to: items[].code\n    expand: true\n`,
      false,
    )
    expect(off.event.renameCopies!.map((c) => c.from)).toEqual(['items[].sku'])
    const none = await compile(`${CONTACT}renames:\n  first_name: given_name\n`, false)
    expect(none.event.renameCopies).toBeUndefined()
  })

  it('needs no copy while the old field is still in the sample, and warns at the entry when none can be made', async () => {
    const still = await compile(
      `${CONTACT.replace('given_name: Jane', 'given_name: Jane\n  first_name: Jane')}renames:\n  first_name: given_name\n`,
    )
    expect(still.event.renameCopies).toBeUndefined()
    const mismatch = await compile(`${CONTACT}renames:\n  sku: items[].code\n`)
    expect(mismatch.event.renameCopies).toBeUndefined()
    expect(mismatch.warnings).toEqual([
      'events/contact.yaml:9:3: warning: renames: "sku" -> "items[].code" cannot be expanded (the old and new paths must go through the same number of arrays (`[]`)), so the old name is not sent; add `expand: false` to the entry to rename without expansion',
    ])
  })
})

/** Samples over a small key alphabet with nested objects and arrays of objects. */
const KEYS = ['a', 'b', 'c'] as const
const { node } = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()),
    fc.array(tie('object'), { minLength: 1, maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { minKeys: 1, maxKeys: 3 }),
}))

/** Every field path of `value` as segments (`[]` for the items of an array). */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.length === 0 ? [] : fieldPaths(value[0], [...prefix, '[]'])
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, [...prefix, key])])
}

/** `value` without the field at `path` (in every item on the way). */
function omit(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (head === '[]') return Array.isArray(value) ? value.map((item) => omit(item, rest)) : value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  if (rest.length === 0) return Object.fromEntries(Object.entries(value).filter(([key]) => key !== head))
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, key === head ? omit(child, rest) : child]))
}

describe('renames in expansion: property', () => {
  it('what a helper sends validates against what sync pushes and the validator, for any field renamed anywhere, optional fields left out or not', async () => {
    const ajv = await loadAjv()
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...KEYS), node, { minKeys: 1, maxKeys: 3 }),
        fc.nat(),
        fc.constantFrom('x', 'y'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat()),
        async (sample, pick, oldKey, closedObjects, atRoot, optionalPicks) => {
          const paths = fieldPaths(sample)
          const newPath = paths[pick % paths.length]!
          // The old field sits beside the new one (same arrays on the way), or at the root when
          // no array is on the way, under a key no sample has.
          const root = atRoot && !newPath.includes('[]')
          const oldPath = root ? [oldKey] : [...newPath.slice(0, -1), oldKey]
          const optional = [...new Set(optionalPicks.map((i) => formatPath(paths[i % paths.length]!)))]
          const definition: EventDefinition = {
            name: 'Renamed',
            identifier: 'Renamed',
            file: 'events/renamed.yaml',
            sample: sample as JsonObject,
            examples: [],
            renames: { [formatPath(oldPath)]: formatPath(newPath) },
            allowBreaking: [],
            locations: {},
            inference: { optional },
          }
          const { events, diagnostics } = await compileDefinitions([definition], { ...DEFAULT_INFER_OPTIONS, closedObjects })
          expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([])
          const event = events[0]!
          expect(event.renameCopies).toHaveLength(1)
          const { $id: _a, ...pushed } = wireForm(event).schema
          const { $id: _b, ...checked } = expandSchema(event.schema, event.renameCopies!)
          // The sample, and every payload with some of its optional fields left out.
          const payloads = [
            sample,
            ...optional.map((path) => omit(sample, parsePath(path))),
            optional.reduce<unknown>((p, path) => omit(p, parsePath(path)), sample),
          ]
          for (const payload of payloads) {
            expect(ajv.validate(checked, payload), JSON.stringify([payload, ajv.errors])).toBe(true)
            const sent = copyRenamedFields(payload, event.renameCopies!)
            expect(ajv.validate(pushed, sent), JSON.stringify([sent, ajv.errors])).toBe(true)
            expect(ajv.validate(checked, sent), JSON.stringify([sent, ajv.errors])).toBe(true)
            // A fire that bypasses the copies (the outbox, a direct client.fire) matches Refold's schema too.
            expect(ajv.validate(pushed, payload), JSON.stringify([payload, ajv.errors])).toBe(true)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
