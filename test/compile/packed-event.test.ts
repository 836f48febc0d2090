/**
 * A packed event (what generate holds between compile and generating it) unpacks to the event
 * it was made from: every own property, in order, with its exact value (`-0`, a `__proto__`
 * field, values absent or undefined), sharing nothing with the original, and generating the same
 * files. The law is checked on arbitrary payloads too.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadEventGenerator } from '../../src/codegen/generate.js'
import { compileDefinitions, compileEvent } from '../../src/compile/compile-project.js'
import { packEvent, unpackEvent } from '../../src/compile/packed-event.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { CompiledEvent, EventDefinition, JsonObject, JsonValue } from '../../src/types.js'

/** Everything a compiled event can carry: renames in expansion, previous names, decimals, an override. */
const EVENT_FILE = `name: Customer Renamed
description: "A customer was renamed (caf\\u00e9, a lone \\ud800 surrogate)."
apps: [hubspot, shopify]
previousNames: [Customer Updated]
idempotencyKey: customer.id
renames:
  customer.first_name: customer.given_name
sample:
  customer: { id: cus_1, given_name: Jane, __proto__: { nested: true }, tags: [a, b] }
  amount: 10.00
  negative_zero: -0.0
  created_at: 2024-05-08T07:45:31Z
  note: null
examples:
  - customer: { id: cus_2, given_name: Bob, __proto__: { nested: false }, tags: [] }
    amount: 3
    negative_zero: 0
    created_at: "2024-05-09T07:45:31Z"
    note: hi
schema:
  properties:
    amount: { minimum: 0, description: In euros }
`

async function compiledFile(): Promise<CompiledEvent> {
  const parsed = await parseEventFile(EVENT_FILE, 'events/customer-renamed.yaml')
  expect(parsed.diagnostics).toEqual([])
  const result = await compileEvent(parsed.definition!, DEFAULT_INFER_OPTIONS)
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return result.event!
}

/**
 * The same data: at every level the same prototype and the same own keys in the same order, and
 * leaves the same by Object.is (`-0` is not `0`). toStrictEqual would ignore key order, and it
 * compares an own `constructor` field as the object's class.
 */
function expectSameEvent(actual: CompiledEvent, expected: CompiledEvent): void {
  expect(actual).toEqual(expected)
  const differences: string[] = []
  const compare = (a: unknown, b: unknown, path: string): void => {
    if (typeof b !== 'object' || b === null) {
      if (!Object.is(a, b)) differences.push(`${path}: ${String(a)} instead of ${String(b)}`)
      return
    }
    if (typeof a !== 'object' || a === null) return void differences.push(`${path}: not an object`)
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) differences.push(`${path}: another prototype`)
    const keys = Reflect.ownKeys(b)
    if (JSON.stringify(Reflect.ownKeys(a).map(String)) !== JSON.stringify(keys.map(String)))
      differences.push(`${path}: other keys or order`)
    for (const key of keys)
      compare((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], `${path}/${String(key)}`)
  }
  compare(actual, expected, '')
  expect(differences).toEqual([])
}

describe('packEvent / unpackEvent', () => {
  it('unpacks to an event equal to the one packed, in every own property and its order', async () => {
    const event = await compiledFile()
    // The file exercises what JSON text would not carry through.
    expect(event.renameCopies).toHaveLength(1)
    expect(Object.is(event.definition.sample.negative_zero, -0)).toBe(true)
    expect(Object.hasOwn(event.definition.sample.customer as JsonObject, '__proto__')).toBe(true)
    expect(event.definition.decimals).toContain('/sample/amount')
    const packed = packEvent(event)
    expect(packed.name).toBe('Customer Renamed')
    expect(packed.fileName).toBe('customer-renamed')
    const unpacked = unpackEvent(packed)
    expect(unpacked).not.toBe(event)
    expectSameEvent(unpacked, event)
    expect(Object.is(unpacked.definition.sample.negative_zero, -0)).toBe(true)
    expect(Object.getPrototypeOf(unpacked.definition.sample.customer)).toBe(Object.prototype)
    // Unpacked again, the same event: the bytes are not consumed.
    expectSameEvent(unpackEvent(packed), event)
  })

  it('keeps an own property whose value is undefined, and a value two places share', async () => {
    const event = await compiledFile()
    const shared: JsonObject = { shared: true }
    const odd = {
      ...event,
      definition: { ...event.definition, model: undefined, sample: { a: shared, b: shared } },
    } as unknown as CompiledEvent
    const unpacked = unpackEvent(packEvent(odd))
    expect(Object.hasOwn(unpacked.definition, 'model')).toBe(true)
    expectSameEvent(unpacked, odd)
    expect(unpacked.definition.sample.a).toBe(unpacked.definition.sample.b)
  })

  it('holds its own bytes and two strings, nothing of the event it was made from', async () => {
    const event = await compiledFile()
    const before = structuredClone(event)
    const packed = packEvent(event)
    expect(Object.keys(packed).sort()).toEqual(['bytes', 'fileName', 'name'])
    expect(packed.bytes).toBeInstanceOf(Uint8Array)
    // Changing the original afterwards changes nothing unpacked.
    event.schema.title = 'Changed'
    ;(event.definition.sample.customer as JsonObject).id = 'changed'
    event.definition.examples.length = 0
    expectSameEvent(unpackEvent(packed), before)
  })

  it('generates the same files from the unpacked event as from the event', async () => {
    const event = await compiledFile()
    const generator = await loadEventGenerator()
    const direct = await generator.generate(event)
    const viaPacked = await generator.generate(unpackEvent(packEvent(event)))
    expect(viaPacked).toEqual(direct)
  })

  it('round-trips compiled events of arbitrary payloads', async () => {
    const key = fc.oneof(fc.constantFrom('id', '__proto__', 'constructor', 'toString', 'a/b', 'c~d', '', 'é'), fc.string({ maxLength: 5 }))
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { maxDepth: 3, depthSize: 'small' },
        fc.string({ maxLength: 8, unit: 'binary' }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(
          key.filter((k) => !k.includes('.')),
          tie('value'),
          { maxKeys: 4, noNullPrototype: true },
        ),
      ),
    }))
    const payload = fc.dictionary(
      key.filter((k) => !k.includes('.')),
      value as fc.Arbitrary<JsonValue>,
      // Loaded definitions are plain objects (parse-yaml.ts); a packed object comes back as one.
      { maxKeys: 5, noNullPrototype: true },
    )
    await fc.assert(
      fc.asyncProperty(payload, fc.array(payload, { maxLength: 2 }), async (sample, examples) => {
        const definition: EventDefinition = {
          name: 'Arbitrary Event',
          identifier: 'ArbitraryEvent',
          file: 'events/arbitrary.yaml',
          sample,
          examples,
          renames: {},
          allowBreaking: [],
          locations: {},
        }
        const { events } = await compileDefinitions([definition], DEFAULT_INFER_OPTIONS)
        for (const event of events) expectSameEvent(unpackEvent(packEvent(event)), event)
      }),
      { numRuns: 60 },
    )
  })
})
