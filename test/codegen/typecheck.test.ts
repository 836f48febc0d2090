/**
 * Generated code under the real TypeScript compiler (`tsc`, TypeScript 7), in a throwaway
 * project that imports `refold-events` like a user's would: correct calls compile, and each
 * `@ts-expect-error` line proves a mistake is a compile error (an unused directive is itself
 * an error, so a mistake that slipped through fails the run). Strict, with
 * `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess`, under both `nodenext` and
 * `bundler` resolution.
 */
import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { GENERATED_BANNER } from '../../src/codegen/banner.js'
import { generateFiles, type GeneratedFile } from '../../src/codegen/generate.js'
import {
  compileSpecs,
  REPO_ROOT,
  RESOLUTION_MODES,
  runProcess,
  strictTsconfig,
  tempProject,
  TSC,
  writeTree,
  type EventSpec,
} from './support.js'

const CONTACT: EventSpec = {
  name: 'New Contact Created',
  description: 'A contact was created in our CRM.',
  apps: ['hubspot', 'salesforce'],
  sample: { first_name: 'Jane', email: 'jane@example.com', company: null, tags: ['vip'] },
  examples: [{ first_name: 'Bob', email: 'bob@example.com', company: 'Acme', tags: [], nickname: 'bobby' }],
  schema: { properties: { email: { format: 'email', description: 'Primary e-mail */ never closes the comment' } } },
  previousNames: ['Contact Created'],
}

const ORDER: EventSpec = {
  name: 'order.placed',
  sample: {
    order_id: 'ord_1',
    line_items: [{ sku: 'MUG', quantity: 2, unit_price: 14.5 }],
    shipping_address: { city: 'Paris', country: 'FR' },
    billing_address: null,
    status: 'paid',
  },
  examples: [
    {
      order_id: 'ord_2',
      line_items: [{ sku: 'TEE', quantity: 1, unit_price: 22, discount_code: 'SPRING' }],
      shipping_address: { city: 'Berlin', country: 'DE' },
      billing_address: { city: 'Bonn', country: 'DE' },
      status: 'refunded',
    },
  ],
  schema: { properties: { status: { enum: ['paid', 'refunded'] } } },
}

/** Its `placed.line_items[]` type is also called `OrderPlacedLineItem`: the index must export order.placed's. */
const ORDER_SHORT: EventSpec = { name: 'Order', sample: { placed: { line_items: [{ code: 7 }] } } }

/** Names and descriptions that would break naive string pasting. */
const HOSTILE: EventSpec = {
  name: 'Quote "double" `tick` \'single\' */ end \\ back',
  description: 'Closes */ the comment and starts /* another; ends with a backslash \\',
  apps: ['google-sheets'],
  sample: { 'key with "quotes"': 'v', 'line\nbreak': 1, '*/': true },
}

const USAGE = `import { createClient, type FireResult } from 'refold-events/runtime'
import { startRelay } from 'refold-events/outbox'
import {
  eventNames,
  eventPreviousNames,
  fireEvent,
  fireNewContactCreated,
  fireOrderPlaced,
  payloadValidators,
  type NewContactCreatedPayload,
  type OrderPlacedBillingAddress,
  type OrderPlacedLineItem,
  type OrderPlacedShippingAddress,
  type RefoldEventMap,
  type RefoldEventName,
} from './generated/index.mjs'
import { fireNewContactCreated as fireContactAlone } from './generated/events/new-contact-created.mjs'

const client = createClient({ apiKey: 'tk_test', baseUrl: 'http://127.0.0.1:9' })

// Correct calls compile.
const contact: NewContactCreatedPayload = { first_name: 'Jane', email: 'jane@example.com', company: null, tags: ['vip'] }
const fired: Promise<FireResult> = fireNewContactCreated({ linkedAccountId: 'acct_1', slug: 'hubspot', payload: contact }, client)
void fireNewContactCreated({ linkedAccountId: 'acct_1', payload: { ...contact, nickname: 'jj' }, idempotencyKey: 'k1' })
const line: OrderPlacedLineItem = { sku: 'MUG', quantity: 2, unit_price: 14.5 }
const shipping: OrderPlacedShippingAddress = { city: 'Paris', country: 'FR' }
const billing: OrderPlacedBillingAddress | null = null
void fireOrderPlaced({ linkedAccountId: 'acct_1', slug: 'anything', payload: { order_id: 'o', line_items: [line], shipping_address: shipping, billing_address: billing, status: 'paid' } }, client)
void fireEvent('New Contact Created', { linkedAccountId: 'acct_1', slug: 'salesforce', payload: contact }, client)
void fireEvent('order.placed', { linkedAccountId: 'acct_1', payload: { order_id: 'o', line_items: [], shipping_address: shipping, billing_address: null, status: 'refunded' } })
const first: 'New Contact Created' = eventNames[0]
// One event's own module works alone.
const alone: typeof fireNewContactCreated = fireContactAlone
void alone
const every: readonly RefoldEventName[] = eventNames
const mapped: RefoldEventMap['order.placed']['line_items'][number] = line
const check: boolean = payloadValidators['order.placed'](mapped)
// The outbox relay takes the previous names as generated.
const previous: Parameters<typeof startRelay>[0]['previousNames'] = eventPreviousNames
const contactPrevious: readonly string[] | undefined = eventPreviousNames['New Contact Created']
void previous, contactPrevious
void [fired, first, every, check]

// Mistakes are compile errors.
// @ts-expect-error a misspelled field
void fireNewContactCreated({ linkedAccountId: 'a', payload: { first_name: 'J', email: 'j@x.io', company: null, tags: [], nicknam: 'j' } })
// @ts-expect-error a misspelled field inside a nested object (the schema is open, the type is exact)
void fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 'o', line_items: [], shipping_address: { city: 'Paris', countyr: 'FR' }, billing_address: null, status: 'paid' } })
// @ts-expect-error a misspelled field in an array item
void fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 'o', line_items: [{ sku: 'M', quantity: 1, unit_price: 1, discount_cod: 'X' }], shipping_address: shipping, billing_address: null, status: 'paid' } })
// @ts-expect-error a missing required field (email)
void fireNewContactCreated({ linkedAccountId: 'a', payload: { first_name: 'J', company: null, tags: [] } })
// @ts-expect-error a wrong type
void fireNewContactCreated({ linkedAccountId: 'a', payload: { first_name: 'J', email: 42, company: null, tags: [] } })
// @ts-expect-error a wrong type deep inside (quantity is a number)
void fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 'o', line_items: [{ sku: 'M', quantity: '2', unit_price: 1 }], shipping_address: shipping, billing_address: null, status: 'paid' } })
// @ts-expect-error a value outside an enum
void fireOrderPlaced({ linkedAccountId: 'a', payload: { order_id: 'o', line_items: [], shipping_address: shipping, billing_address: null, status: 'lost' } })
// @ts-expect-error a wrong slug (not one of the event's apps)
void fireNewContactCreated({ linkedAccountId: 'a', slug: 'pipedrive', payload: contact })
// @ts-expect-error an unknown event name
void fireEvent('New Contact Create', { linkedAccountId: 'a', payload: contact })
// @ts-expect-error the payload of another event
void fireEvent('order.placed', { linkedAccountId: 'a', payload: contact })
// @ts-expect-error a wrong slug through fireEvent
void fireEvent('New Contact Created', { linkedAccountId: 'a', slug: 'pipedrive', payload: contact })
// @ts-expect-error the linked account is required
void fireNewContactCreated({ payload: contact })
`

describe('generated code under tsc', () => {
  let project: string
  let files: GeneratedFile[]

  beforeAll(async () => {
    project = tempProject()
    files = await generateFiles(await compileSpecs(CONTACT, ORDER, ORDER_SHORT, HOSTILE))
    writeTree(project, Object.fromEntries(files.map((file) => [`generated/${file.path}`, file.contents])))
    writeFileSync(join(project, 'usage.ts'), USAGE)
  })

  it('types stay exact although the schemas validators and Refold get are open (issue 10)', async () => {
    const events = await compileSpecs(CONTACT, ORDER)
    for (const event of events) expect(JSON.stringify(event.schema)).not.toContain('additionalProperties')
    const files = await generateFiles(events)
    const code = files.filter((file) => file.path.endsWith('.mts')).map((file) => file.contents)
    expect(code.length).toBeGreaterThan(0)
    expect(code.join('\n')).not.toMatch(/\[k: string\]/)
    // An override that opens an object on purpose keeps its index signature; a closed one stays closed.
    const open = await compileSpecs({
      name: 'Meta Changed',
      sample: { meta: { a: 1 }, fixed: { b: 1 } },
      schema: { properties: { meta: { additionalProperties: true } } },
      inference: { closedObjects: true },
    })
    const openCode = (await generateFiles(open))
      .filter((file) => file.path.endsWith('.mts'))
      .map((file) => file.contents)
      .join('\n')
    expect(openCode.match(/\[k: string\]: unknown/g)).toHaveLength(1)
    expect(open[0]!.schema.properties!['fixed']!.additionalProperties).toBe(false)
  })

  for (const [mode, settings] of Object.entries(RESOLUTION_MODES)) {
    it(`compiles correct calls and rejects each mistake (moduleResolution ${mode})`, async () => {
      writeFileSync(join(project, `tsconfig.${mode}.json`), strictTsconfig(settings, ['usage.ts', 'generated/index.mts']))
      const result = await runProcess(TSC, ['-p', `tsconfig.${mode}.json`], { cwd: project })
      expect(result.stdout + result.stderr).toBe('')
      expect(result.code).toBe(0)
    })
  }

  // Validator modules carry `@ts-nocheck` so that a user's tsc skips their bodies; the compact
  // code must still be sound TypeScript, under the pickiest options a user may have.
  it('type-checks the compact validators strictly once their @ts-nocheck is removed', async () => {
    const checked = tempProject()
    const directive = `${GENERATED_BANNER}\n// @ts-nocheck\n`
    let stripped = 0
    const tree = files.map((file) => {
      const compact = file.path.endsWith('.validate.mts') && file.contents.includes('compactValidator(')
      if (!compact) return [`generated/${file.path}`, file.contents]
      expect(file.contents.startsWith(directive), file.path).toBe(true)
      stripped++
      return [`generated/${file.path}`, `${GENERATED_BANNER}\n${file.contents.slice(directive.length)}`]
    })
    expect(stripped).toBe(4)
    writeTree(checked, Object.fromEntries(tree))
    for (const [mode, settings] of Object.entries(RESOLUTION_MODES)) {
      writeFileSync(
        join(checked, `tsconfig.${mode}.json`),
        strictTsconfig({ ...settings, verbatimModuleSyntax: true }, ['generated/index.mts']),
      )
      const result = await runProcess(TSC, ['-p', `tsconfig.${mode}.json`], { cwd: checked })
      expect(result.stdout + result.stderr, mode).toBe('')
      expect(result.code, mode).toBe(0)
    }
  })

  it("compiles the project's own committed generated/ (events/)", async () => {
    const own = tempProject()
    cpSync(join(REPO_ROOT, 'generated'), join(own, 'generated'), { recursive: true })
    writeFileSync(join(own, 'tsconfig.json'), strictTsconfig(RESOLUTION_MODES.nodenext, ['generated/index.mts']))
    const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: own })
    expect(result.stdout + result.stderr).toBe('')
  })

  it('reports the mistakes when the directives are removed (the expectations are real)', async () => {
    const usage = USAGE.split('\n')
    const bare = usage.filter((line) => !line.startsWith('// @ts-expect-error'))
    // Line numbers (1-based) in the bare file of each line a directive stood above.
    const expected = usage.flatMap((line, i) => (line.startsWith('// @ts-expect-error') ? [bare.indexOf(usage[i + 1]!) + 1] : []))
    writeFileSync(join(project, 'bare.ts'), bare.join('\n'))
    writeFileSync(join(project, 'tsconfig.bare.json'), strictTsconfig(RESOLUTION_MODES.nodenext, ['bare.ts']))
    const result = await runProcess(TSC, ['-p', 'tsconfig.bare.json'], { cwd: project })
    const errorLines = [...new Set([...result.stdout.matchAll(/^bare\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1])))]
    expect(errorLines, result.stdout).toEqual(expected)
  })
})
