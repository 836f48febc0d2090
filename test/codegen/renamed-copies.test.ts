/**
 * Renames in expansion in generated code (issue 12): the helpers compile under the real `tsc`
 * (strict, both resolutions), keep the payload type on the new names only, and, run by `node`
 * against the real emulator, send every old field as a copy of its new one, nested and per array
 * item, through the event's helper and `fireEvent` alike, so workflows reading either name
 * COMPLETE. A closed object accepts the copies (the validator knows them).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js'
import { sentEvent } from '../../src/compile/rename-expansion.js'
import { buildEventBody } from '../../src/wire/event-body.js'
import type { CompiledEvent } from '../../src/types.js'
import { compileEvents, RESOLUTION_MODES, runProcess, strictTsconfig, tempProject, TSC, writeTree } from './support.js'

const CONTACT = `name: New Contact Created
apps: [hubspot]
sample:
  given_name: Jane
  address: { city: Lyon, postcode: "69001" }
  items:
    - { code: MUG, qty: 1 }
    - { code: TEE, qty: 2 }
inference: { closedObjects: true }
renames:
  first_name: given_name
  address.zip: address.postcode
  items[].sku: items[].code
`
const ORDER = 'name: Order Placed\nsample: { order_id: o1 }\n'

const KEY = 'tk_codegen_renames'

describe('generated helpers with renames in expansion', () => {
  let project: string
  let events: CompiledEvent[]
  let emulator: RunningEmulator

  beforeAll(async () => {
    project = tempProject('refold-renames-')
    events = await compileEvents({ 'contact.yaml': CONTACT, 'order.yaml': ORDER })
    const files = await generateFiles(events)
    writeTree(project, Object.fromEntries(files.map((file) => [`generated/${file.path}`, file.contents])))
    emulator = await startEmulator({
      port: 0,
      apiKey: KEY,
      workflows: [
        {
          name: 'Old names',
          app: 'hubspot',
          event: 'New Contact Created',
          steps: [{ name: 'Greet', text: 'Hi {{event.first_name}} in {{event.address.zip}}, first item {{event.items.0.sku}}' }],
        },
        {
          name: 'New names',
          app: 'hubspot',
          event: 'New Contact Created',
          steps: [{ name: 'Greet', text: 'Hi {{event.given_name}} in {{event.address.postcode}}, first item {{event.items.0.code}}' }],
        },
      ],
    })
    // What sync pushes: both names in the sample and the json_schema the emulator checks fires against.
    for (const event of events) {
      const answer = await request(`${emulator.url}/api/v2/public/application/event`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify(buildEventBody(sentEvent(event), 'payload')),
      })
      expect(answer.statusCode).toBe(200)
      await answer.body.dump()
    }
  })

  afterAll(async () => {
    await emulator?.close()
  })

  it('declares the copies and fires through them; an event without renames is generated as before', async () => {
    const contact = (await generateFiles(events)).find((f) => f.path === 'events/new-contact-created.mts')!.contents
    expect(contact).toContain(
      'export const renamedCopiesNewContactCreated: readonly RenamedCopy[] = [{ newPath: ["given_name"], oldPath: ["first_name"], keptPrefix: 0 }, { newPath: ["address", "postcode"], oldPath: ["address", "zip"], keptPrefix: 1 }, { newPath: ["items", "[]", "code"], oldPath: ["items", "[]", "sku"], keptPrefix: 2 }]',
    )
    expect(contact).toContain(
      'return client.fire(withEvent(withRenamedCopies(args, renamedCopiesNewContactCreated), "New Contact Created"), validateNewContactCreated)',
    )
    const index = (await generateFiles(events)).find((f) => f.path === 'index.mts')!.contents
    expect(index).toContain('"New Contact Created": renamedCopiesNewContactCreated,')
    expect(index).not.toContain('"Order Placed": renamedCopies')
    const order = (await generateFiles(events)).find((f) => f.path === 'events/order-placed.mts')!.contents
    expect(order).not.toContain('enamedCopies')
    expect(order).toContain('return client.fire(withEvent(args, "Order Placed"), validateOrderPlaced)')
  })

  it('compiles under tsc, strict, in both resolutions; the payload type has the new names only', async () => {
    writeFileSync(
      join(project, 'usage.mts'),
      `import { createOutbox, type OutboxStore } from 'refold-events/outbox'
import { fireNewContactCreated, fireEvent, eventRenamedCopies, payloadValidators, type NewContactCreatedPayload, type RefoldEventMap } from './generated/index.mjs'
const payload: NewContactCreatedPayload = { given_name: 'Jane', address: { city: 'Lyon', postcode: '1' }, items: [{ code: 'A', qty: 1 }] }
export const a = fireNewContactCreated({ linkedAccountId: 'acct', payload })
export const b = fireEvent('New Contact Created', { linkedAccountId: 'acct', payload })
// The outbox records fires with the copies the helpers send: the README's setup type-checks.
declare const store: OutboxStore
const outbox = createOutbox<RefoldEventMap>(store, { validators: payloadValidators, renamedCopies: eventRenamedCopies })
export const d = outbox.fire('New Contact Created', { linkedAccountId: 'acct', payload })
// @ts-expect-error the old name is the helper's business, not a field of the payload type
export const c: NewContactCreatedPayload = { ...payload, first_name: 'Jane' }
`,
    )
    for (const [mode, settings] of Object.entries(RESOLUTION_MODES)) {
      writeFileSync(join(project, `tsconfig.${mode}.json`), strictTsconfig(settings, ['usage.mts', 'generated/index.mts']))
      const result = await runProcess(TSC, ['-p', `tsconfig.${mode}.json`], { cwd: project })
      expect(result.stdout + result.stderr, mode).toBe('')
    }
  })

  it('sends both names, nested and per item, through the helper and fireEvent: every run COMPLETED', async () => {
    writeFileSync(
      join(project, 'tsconfig.emit.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext', noEmit: false, rootDir: 'generated', outDir: 'build' }, [
        'generated/index.mts',
      ]),
    )
    const build = await runProcess(TSC, ['-p', 'tsconfig.emit.json'], { cwd: project })
    expect(build.stdout + build.stderr).toBe('')
    writeFileSync(
      join(project, 'fire.mjs'),
      `import { fireNewContactCreated, fireEvent } from './build/index.mjs'
import { createClient } from 'refold-events/runtime'
const client = createClient({ baseUrl: process.env.TEST_BASE_URL, apiKey: process.env.TEST_KEY, retry: false, validate: 'error' })
const payload = { given_name: 'Jane', address: { city: 'Lyon', postcode: '69001' }, items: [{ code: 'MUG', qty: 1 }, { code: 'TEE', qty: 2 }] }
const frozen = JSON.stringify(payload)
const out = []
out.push((await fireNewContactCreated({ linkedAccountId: 'acct_1', slug: 'hubspot', payload }, client)).status)
out.push((await fireEvent('New Contact Created', { linkedAccountId: 'acct_2', slug: 'hubspot', payload }, client)).status)
out.push(JSON.stringify(payload) === frozen)
await client.close()
process.stdout.write(JSON.stringify(out))
`,
    )
    const result = await runProcess(process.execPath, ['fire.mjs'], {
      cwd: project,
      env: { ...process.env, TEST_BASE_URL: emulator.url, TEST_KEY: KEY },
    })
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual([200, 200, true])
    const sent = {
      given_name: 'Jane',
      address: { city: 'Lyon', postcode: '69001', zip: '69001' },
      items: [
        { code: 'MUG', qty: 1, sku: 'MUG' },
        { code: 'TEE', qty: 2, sku: 'TEE' },
      ],
      first_name: 'Jane',
    }
    expect(emulator.state.fires().map((f) => [f.linked_account_id, f.payload, f.schema_errors])).toEqual([
      ['acct_1', sent, []],
      ['acct_2', sent, []],
    ])
    const runs = emulator.state.runs().map((r) => [r.linked_account_id, r.workflow_name, r.status, r.missing_variables])
    expect(runs).toEqual(
      expect.arrayContaining([
        ['acct_1', 'Old names', 'COMPLETED', []],
        ['acct_1', 'New names', 'COMPLETED', []],
        ['acct_2', 'Old names', 'COMPLETED', []],
        ['acct_2', 'New names', 'COMPLETED', []],
      ]),
    )
    expect(runs).toHaveLength(4)
  })
})
