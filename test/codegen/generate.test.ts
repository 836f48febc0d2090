/**
 * The pure generator: which files come out, what they are named, how types are named,
 * that user text never becomes code, and that the output depends on nothing but the input.
 */
import { describe, expect, it } from 'vitest'
import { carriesBanner, GENERATED_BANNER } from '../../src/codegen/banner.js'
import { generateFiles, type GeneratedFile } from '../../src/codegen/generate.js'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { CompiledEvent } from '../../src/types.js'
import { compileSpecs, type EventSpec } from './support.js'

const ORDER: EventSpec = {
  name: 'Order Placed',
  description: 'A customer placed an order.',
  apps: ['shopify'],
  sample: {
    order_id: 'ord_1',
    line_items: [{ sku: 'MUG', quantity: 2 }],
    customer: { email: 'jane@example.com', address: { city: 'Paris' } },
    billing_address: null,
    categories: [{ id: 1 }],
    placed_at: '2024-05-08T07:45:31Z',
  },
  examples: [
    {
      order_id: 'ord_2',
      line_items: [],
      customer: { email: 'bob@example.com', address: { city: 'Bonn' } },
      billing_address: { city: 'Bonn' },
      categories: [],
      placed_at: '2024-05-09T07:45:31Z',
    },
  ],
  schema: { properties: { order_id: { description: 'Shop order id.' } } },
}

const CONTACT: EventSpec = {
  name: 'New Contact Created',
  sample: { email: 'jane@example.com', first_name: 'Jane' },
}

function file(files: GeneratedFile[], path: string): string {
  const found = files.find((f) => f.path === path)
  if (found === undefined) throw new Error(`no ${path} among ${files.map((f) => f.path).join(', ')}`)
  return found.contents
}

describe('generateFiles', () => {
  it('produces index.mts and, per event, its module, its validator module and its schema file, sorted by path', async () => {
    const files = await generateFiles(await compileSpecs(ORDER, CONTACT))
    expect(files.map((f) => f.path)).toEqual([
      'events/new-contact-created.mts',
      'events/new-contact-created.validate.mts',
      'events/order-placed.mts',
      'events/order-placed.validate.mts',
      'index.mts',
      'schemas/new-contact-created.schema.json',
      'schemas/order-placed.schema.json',
    ])
    for (const f of files) expect(carriesBanner(f.path, f.contents), f.path).toBe(true)
    for (const f of files.filter((f) => !f.path.endsWith('.json'))) expect(f.contents.startsWith(`${GENERATED_BANNER}\n`)).toBe(true)
  })

  it('names nested types after the event and the path, singular for array items', async () => {
    const files = await generateFiles(await compileSpecs(ORDER))
    const index = file(files, 'events/order-placed.mts')
    const declared = [...index.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1])
    expect(declared).toEqual([
      'OrderPlacedPayload',
      'OrderPlacedLineItem',
      'OrderPlacedCustomer',
      'OrderPlacedCustomerAddress',
      'OrderPlacedBillingAddress',
      'OrderPlacedCategory',
      'OrderPlacedFireArgs',
    ])
    expect([...file(files, 'index.mts').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1])).toEqual([
      'RefoldEventMap',
      'RefoldFireArgsMap',
      'RefoldEventName',
    ])
    // A nullable object is the named type `| null`, not an alias hiding the null.
    expect(index).toContain('billing_address: (OrderPlacedBillingAddress | null)')
    expect(index).toContain('line_items: OrderPlacedLineItem[]')
    expect(index).not.toMatch(/Purple|Fluffy|Tentacled/)
  })

  it('names array items from their array when the singular is a property path of its own', async () => {
    const events = await compileSpecs({
      name: 'GitHub Issues',
      sample: { issue: { assignee: { login: 'a', id: 1 }, assignees: [{ login: 'a', id: 1 }], labels: [{ name: 'bug' }] } },
    })
    const files = await generateFiles(events)
    expect(files.map((f) => f.path)).toContain('events/github-issues.mts')
    const module = file(files, 'events/github-issues.mts')
    expect(module).toContain('assignee: GitHubIssuesIssueAssignee\n')
    expect(module).toContain('assignees: GitHubIssuesIssueAssigneesItem[]')
    // No clash, so the plain singular stays.
    expect(module).toContain('labels: GitHubIssuesIssueLabel[]')
    expect(module).not.toMatch(/GitHubIssuesIssueAssignee2/)
  })

  it('documents fields with their description and a sample value, and the helper with the event description', async () => {
    const index = file(await generateFiles(await compileSpecs(ORDER)), 'events/order-placed.mts')
    expect(index).toContain('   * Shop order id.\n   *\n   * @example "ord_1"\n   */\n  order_id: string')
    expect(index).toContain('   * Format: `date-time`.\n   *\n   * @example "2024-05-08T07:45:31Z"\n   */\n  placed_at: string')
    expect(index).toMatch(/\/\*\*\n \* A customer placed an order\.\n \*\n \* Fires the Refold event "Order Placed"/)
    expect(index).toContain('export type OrderPlacedFireArgs = FireArgs<OrderPlacedPayload, "shopify">')
    expect(index).toContain('return client.fire(withEvent(args, "Order Placed"), validateOrderPlaced)')
    expect(index).toContain('import { validateOrderPlaced } from "./order-placed.validate.mjs"')
  })

  it('names a payload too long for the @example with the right article', async () => {
    const big = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${i}`, i]))
    const files = await generateFiles(await compileSpecs({ name: 'Order Placed', sample: big }, { name: 'Deal Won', sample: big }))
    expect(file(files, 'events/order-placed.mts')).toContain('  payload, // an OrderPlacedPayload\n')
    expect(file(files, 'events/deal-won.mts')).toContain('  payload, // a DealWonPayload\n')
  })

  it('types slug as string when the event lists no apps', async () => {
    const index = file(await generateFiles(await compileSpecs(CONTACT)), 'events/new-contact-created.mts')
    expect(index).toContain('export type NewContactCreatedFireArgs = FireArgs<NewContactCreatedPayload, string>')
  })

  it('keeps nested names unique within an event module, and independent of other events', async () => {
    const order = { name: 'Order', sample: { placed_payload: { a: 1 }, fire_args: { b: 2 }, a_b: { c: { d: 1 } }, a: { b_c: { d: 2 } } } }
    const files = await generateFiles(await compileSpecs(order, { name: 'Order Placed', sample: { x: 1 } }))
    const module = file(files, 'events/order.mts')
    const declared = [...module.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1])
    expect(new Set(declared).size).toBe(declared.length)
    // Its own args type is taken; the other event's payload type is not this module's concern.
    expect(module).toContain('placed_payload: OrderPlacedPayload\n')
    expect(module).toContain('fire_args: OrderFireArgs2')
    expect(declared).toContain('OrderABC')
    expect(declared).toContain('OrderABC2')
    // Alone, the event's module is the same bytes.
    expect(file(await generateFiles(await compileSpecs(order)), 'events/order.mts')).toBe(module)
    // The index settles the name both modules export in favour of the event whose payload it is.
    expect(file(files, 'index.mts')).toContain('export type { OrderPlacedPayload } from "./events/order-placed.mjs"')
  })

  it('escapes user text: names and keys become string literals, descriptions cannot close a comment', async () => {
    const events = await compileSpecs({
      name: 'Evil "name" `x` */ \\',
      description: 'ends the comment */ export const pwned = 1 /*',
      sample: { 'a"b': 1, '*/': 'x */ y', 'new\nline': true },
      schema: { properties: { 'a"b': { description: '*/ injected() /*' } } },
    })
    const files = await generateFiles(events)
    const index = files
      .filter((f) => f.path.endsWith('.mts') && !f.path.endsWith('.validate.mts'))
      .map((f) => f.contents)
      .join('\n')
    expect(index).not.toContain('*/ export const pwned')
    expect(index).not.toContain('*/ injected()')
    expect(index).toContain('withEvent(args, "Evil \\"name\\" `x` */ \\\\")')
    expect(index).toContain('"a\\"b": number')
    expect(index).toContain('"new\\nline": boolean')
    // Every comment opened is closed exactly where the generator closes it.
    const outsideStrings = index.replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    const opens = outsideStrings.match(/\/\*\*/g)?.length ?? 0
    const closes = outsideStrings.match(/\*\//g)?.length ?? 0
    expect(closes).toBe(opens)
  })

  it('escapes U+2028 and U+2029, which end a line comment in JavaScript', async () => {
    const event = hand({ name: 'Line\u2028sep\u2029para', identifier: 'LineSepPara' })
    const files = await generateFiles([event])
    for (const f of files.filter((f) => f.path.endsWith('.mts'))) expect(f.contents, f.path).not.toMatch(/[\u2028\u2029]/)
    expect(file(files, 'index.mts')).toContain('"Line\\u2028sep\\u2029para": LineSepParaPayload')
  })

  it('ignores schema keywords that would paste text into types (tsType, tsEnumNames) or rename them (title, $id)', async () => {
    const event = hand({
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          a: { type: 'string', tsType: 'string; export const pwned = 1; type X = string' },
          b: { type: 'string', enum: ['x', 'y'], tsEnumNames: ['X', 'Y'] },
          c: { type: 'object', title: 'Purple', $id: 'Fluffy', properties: { d: { type: 'number' } } },
        },
      },
    })
    const index = file(await generateFiles([event]), 'events/hand-made.mts')
    expect(index).not.toContain('pwned')
    expect(index).not.toContain('enum ')
    expect(index).toContain('b?: ("x" | "y")')
    expect(index).toContain('c?: HandMadeC')
    expect(index).not.toMatch(/Purple|Fluffy/)
  })

  it('never meets an event whose helper would be the generic fireEvent(): compile refuses it at its name', async () => {
    const definition = {
      ...(await compileSpecs(CONTACT))[0]!.definition,
      name: 'event',
      identifier: 'Event',
      locations: { '/name': { line: 2, column: 7 } },
    }
    const result = await compileDefinitions([definition], DEFAULT_INFER_OPTIONS)
    expect(result.events).toEqual([])
    expect(result.diagnostics).toMatchObject([{ file: definition.file, line: 2, column: 7, severity: 'error' }])
    expect(result.diagnostics[0]!.message).toContain('would generate `fireEvent()`')
  })

  it('writes each schema file with the banner as a leading $comment, then the compiled schema', async () => {
    const [event] = await compileSpecs(CONTACT)
    const text = file(await generateFiles([event!]), 'schemas/new-contact-created.schema.json')
    expect(text.startsWith('{\n  "$comment": "Code generated by refold-events. DO NOT EDIT.",\n  "$schema"')).toBe(true)
    expect(text.endsWith('}\n')).toBe(true)
    const { $comment, ...schema } = JSON.parse(text) as Record<string, unknown>
    expect($comment).toBe('Code generated by refold-events. DO NOT EDIT.')
    expect(schema).toEqual(event!.schema)
  })

  it('emits each validator as a TypeScript ES module importing only refold-events: compact, or ajv for keywords compact does not cover', async () => {
    const TAGGED: EventSpec = { name: 'Tagged', sample: { tags: ['a'] }, schema: { properties: { tags: { uniqueItems: true } } } }
    const files = await generateFiles(await compileSpecs(ORDER, TAGGED))
    const compact = file(files, 'events/order-placed.validate.mts')
    expect(compact).toMatch(/^import \{ [\w, ]+ \} from "refold-events\/runtime"$/m)
    expect(compact).toMatch(/^export const validateOrderPlaced: PayloadValidator = compactValidator\(OBJECT, \(\) => \{$/m)
    const ajv = file(files, 'events/tagged.validate.mts')
    // Both kinds skip the user's type check; the export's annotation is its type.
    for (const module of [compact, ajv]) expect(module.startsWith(`${GENERATED_BANNER}\n// @ts-nocheck\n`)).toBe(true)
    expect(ajv).not.toMatch(/\brequire\(/)
    expect(ajv).not.toContain('"use strict"')
    for (const module of [compact, ajv]) expect(module).not.toMatch(/ from "(?!refold-events\/)/)
    expect(ajv).toMatch(/^export const validateTagged: PayloadValidator = validate\d+;$/m)
    for (const module of [compact, ajv]) expect(module.match(/^export /gm)).toHaveLength(1)
  })

  it('gives each event files that depend on that event alone', async () => {
    const alone = await generateFiles(await compileSpecs(ORDER))
    const together = await generateFiles(
      await compileSpecs(CONTACT, ORDER, { name: 'Aardvark', sample: { customer: { email: 'a@b.co', n: 1 } } }),
    )
    for (const path of ['events/order-placed.mts', 'events/order-placed.validate.mts', 'schemas/order-placed.schema.json']) {
      expect(file(together, path), path).toBe(file(alone, path))
    }
  })

  it('is deterministic: the same bytes twice, and whatever the input order', async () => {
    const events = await compileSpecs(ORDER, CONTACT, { name: 'zeta', sample: { z: [1, 2.5] } })
    const first = await generateFiles(events)
    const second = await generateFiles([...events].reverse())
    expect(second).toEqual(first)
    expect(await generateFiles(await compileSpecs(ORDER, CONTACT, { name: 'zeta', sample: { z: [1, 2.5] } }))).toEqual(first)
  })

  it('generates a usable module for a project without events', async () => {
    const files = await generateFiles([])
    expect(files.map((f) => f.path)).toEqual(['index.mts'])
    const index = file(files, 'index.mts')
    expect(index).toContain('export interface RefoldEventMap {\n}')
    expect(index).not.toContain('from "./events/')
  })
})

/** A compiled event built by hand, for input the loader would refuse. */
function hand(overrides: { name?: string; identifier?: string; schema?: CompiledEvent['schema'] }): CompiledEvent {
  return {
    definition: {
      name: overrides.name ?? 'Hand Made',
      identifier: overrides.identifier ?? 'HandMade',
      file: 'events/hand-made.yaml',
      sample: {},
      examples: [],
      renames: {},
      allowBreaking: [],
      locations: {},
    },
    schema: overrides.schema ?? { type: 'object', properties: {} },
    fileName: 'hand-made',
  }
}

describe('validatorModule (where a compact validator plugs in)', () => {
  it('wraps validator code and its imports into a module that carries the banner, then @ts-nocheck', async () => {
    const { validatorModule } = await import('../../src/codegen/event-validator.js')
    const text = validatorModule({
      code: 'export const validateX: PayloadValidator = (data) => typeof data === "object"\n',
      imports: { from: 'refold-events/runtime', values: [], types: ['PayloadValidator'] },
    })
    expect(text).toBe(
      `${GENERATED_BANNER}\n// @ts-nocheck\nimport type { PayloadValidator } from "refold-events/runtime"\n\nexport const validateX: PayloadValidator = (data) => typeof data === "object"\n`,
    )
    expect(carriesBanner('events/x.validate.mts', text)).toBe(true)
  })
})
