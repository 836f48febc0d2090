/**
 * Expand / contract in the planner (issue 12): an acknowledged rename is pushed with both names
 * and breaks nobody; every plan says who still reads the old name, proposes the contraction
 * once nobody does, and blocks a contraction that a workflow would still feel.
 */
import { describe, expect, it } from 'vitest'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'

import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import { wireForm } from '../../src/compile/rename-expansion.js'
import { formatGithub } from '../../src/sync/report/format-github.js'
import { formatHuman } from '../../src/sync/report/format-human.js'
import { formatMarkdown } from '../../src/sync/report/format-markdown.js'
import { planSync } from '../../src/sync/plan/plan-sync.js'
import type { RemoteEventSnapshot, SyncPlan, WorkflowScan } from '../../src/sync/sync-types.js'
import type { CompiledEvent } from '../../src/types.js'
import { input, workflow } from './fixtures.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

const BEFORE = `name: New Contact Created
sample:
  first_name: Jane
  email: jane@example.com
  address: { city: Lyon, zip: "69001" }
  items: [{ sku: MUG }, { sku: TEE }]
`
const renamed = (renames: string): string =>
  `${BEFORE.replace('first_name', 'given_name').replace('zip:', 'postcode:').replaceAll('sku:', 'code:')}renames:\n${renames}`
const EXPANDED = renamed('  first_name: given_name\n  address.zip: address.postcode\n  items[].sku: items[].code\n')
const CONTRACTED = renamed(
  '  first_name: { to: given_name, expand: false }\n  address.zip:\n    to: address.postcode\n    expand: false\n  items[].sku:\n    to: items[].code\n    expand: false\n',
)

async function compile(text: string): Promise<CompiledEvent> {
  const parsed = await parseEventFile(text, 'events/contact.yaml')
  expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([])
  const result = await compileDefinitions([parsed.definition!], DEFAULT_INFER_OPTIONS)
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([])
  return result.events[0]!
}

/** What Refold holds after syncing `event`. */
function remote(event: CompiledEvent): RemoteEventSnapshot {
  const { sample, schema } = wireForm(event)
  return { id: 'ev1', name: event.definition.name, sample, jsonSchema: schema, variables: [] }
}

const readsOld = workflow('wf1', 'Create HubSpot contact', 'New Contact Created', ['Hi {{event.first_name}} from {{event.address.zip}}'])
const readsItems = workflow('wf2', 'Ship', 'New Contact Created', ['{{ event.items[0].sku }}'], 'shopify')
const readsNew = workflow('wf1', 'Create HubSpot contact', 'New Contact Created', ['Hi {{event.given_name}} {{event.items.0.code}}'])

async function plan(local: string, before: string, workflows: WorkflowScan, strict = false): Promise<SyncPlan> {
  return planSync(
    input({
      local: [await compile(local)],
      remote: [remote(await compile(before))],
      workflows,
      options: { prune: false, strict, allowBreaking: false },
    }),
  )
}

describe('expansion', () => {
  it('pushes both names (nested and per item), the old ones optional as the entry acknowledges, and says who still reads them', async () => {
    const p = await plan(EXPANDED, BEFORE, { ok: true, workflows: [readsOld, readsItems] })
    const [event] = p.events
    expect(event!.action).toBe('update')
    expect(event!.changes.map((c) => [c.kind, c.path, c.severity, c.blocking, c.acknowledged?.by ?? null])).toEqual([
      ['field-added', 'address.postcode', 'additive', false, null],
      ['requirement-changed', 'address.zip', 'breaking', false, 'renames'],
      ['requirement-changed', 'first_name', 'breaking', false, 'renames'],
      ['field-added', 'given_name', 'additive', false, null],
      ['field-added', 'items[].code', 'additive', false, null],
      ['requirement-changed', 'items[].sku', 'breaking', false, 'renames'],
    ])
    // Where the entry is: the old field has no line of its own.
    expect(event!.changes[2]!.location).toEqual({ file: 'events/contact.yaml', line: 8, column: 3 })
    expect(p.summary).toMatchObject({ update: 1, breaking: 0, acknowledged: 3, warnings: 0 })
    expect(JSON.parse(event!.body!.response)).toEqual({
      given_name: 'Jane',
      email: 'jane@example.com',
      address: { city: 'Lyon', postcode: '69001', zip: '69001' },
      items: [
        { code: 'MUG', sku: 'MUG' },
        { code: 'TEE', sku: 'TEE' },
      ],
      first_name: 'Jane',
    })
    // Optional: a payload without its copies (the outbox, a direct client.fire) is valid too.
    expect(event!.body!.json_schema.required).toEqual(['given_name', 'email', 'address', 'items'])
    expect(p.renameExpansions.map((e) => [e.from, e.to, e.readers.map((r) => r.workflowName), e.contract, e.location?.line])).toEqual([
      ['first_name', 'given_name', ['Create HubSpot contact'], false, 8],
      ['address.zip', 'address.postcode', ['Create HubSpot contact'], false, 9],
      ['items[].sku', 'items[].code', ['Ship'], false, 10],
    ])
    expect(p.renameExpansions[0]!.message).toBe(
      'field "first_name" kept as a copy of "given_name" (rename in expansion): still read by 1 workflow; contract it once none does',
    )
  })

  it('reports the expansion on every run, also when Refold already has both names', async () => {
    const p = await plan(EXPANDED, EXPANDED, { ok: true, workflows: [readsOld] })
    expect(p.events[0]!.action).toBe('unchanged')
    expect(p.notes).toEqual([])
    expect(p.renameExpansions.map((e) => [e.from, e.readers.length])).toEqual([
      ['first_name', 1],
      ['address.zip', 1],
      ['items[].sku', 0],
    ])
    const human = formatHuman(p, { color: false })
    expect(human).toContain(
      [
        'Renames in expansion, both names sent (3):',
        '  ⇄ New Contact Created: field "first_name" kept as a copy of "given_name" (rename in expansion): still read by 1 workflow; contract it once none does',
        '      at events/contact.yaml:8:3',
        '      still read by workflow "Create HubSpot contact" (hubspot) via {{event.first_name}}',
      ].join('\n'),
    )
    expect(human).toContain(
      '  ⇄ New Contact Created: field "items[].sku" kept as a copy of "items[].code" (rename in expansion): no workflow reads "items[].sku" any more; to contract, write `"items[].sku": { to: "items[].code", expand: false }` under renames, run generate, then sync\n      at events/contact.yaml:10:3\n',
    )
    expect(formatGithub(p)).toContain(
      '::notice file=events/contact.yaml,line=8,col=3,title=Rename in expansion (New Contact Created)::field "first_name" kept as a copy of "given_name" (rename in expansion): still read by 1 workflow; contract it once none does%0Astill read by workflow "Create HubSpot contact" (hubspot) via {{event.first_name}}',
    )
    // Open in the pull-request comment when a contraction is proposed (here for items[].sku).
    expect(formatMarkdown(p)).toContain('### Renames in expansion, both names sent (3)\n\n| Event | Rename | YAML | Still read by |')
  })

  it('proposes the contraction only when the scan succeeded and nobody reads the old name', async () => {
    const nobody = await plan(EXPANDED, EXPANDED, { ok: true, workflows: [readsNew] })
    expect(nobody.renameExpansions.map((e) => e.contract)).toEqual([true, true, true])
    expect(nobody.renameExpansions[0]!.message).toContain(
      'to contract, write `first_name: { to: given_name, expand: false }` under renames',
    )
    // The proposed entries, written into the file as they are, are the contraction.
    const entries = nobody.renameExpansions.map((e) => `  ${/write `([^`]+)` under renames/.exec(e.message)![1]}\n`).join('')
    const contracted = await compile(renamed(entries))
    expect(contracted.renameCopies).toBeUndefined()
    expect(contracted.definition.expandRenames).toEqual({ first_name: false, 'address.zip': false, 'items[].sku': false })
    const unknown = await plan(EXPANDED, EXPANDED, { ok: false, error: 'HTTP 503' })
    expect(unknown.renameExpansions.map((e) => e.contract)).toEqual([false, false, false])
    expect(unknown.renameExpansions[0]!.message).toBe(
      'field "first_name" kept as a copy of "given_name" (rename in expansion): workflows could not be scanned (HTTP 503), so nobody can say whether one still reads it',
    )
  })

  it('an entry naming a field Refold never had (a typo) is noted, not reported as an expansion, and pairs with nothing', async () => {
    const p = await plan(renamed('  frist_name: given_name\n'), BEFORE, { ok: true, workflows: [readsOld] })
    const changes = p.events[0]!.changes
    expect(changes.find((c) => c.path === 'first_name')).toMatchObject({ kind: 'field-renamed', to: 'given_name', blocking: true })
    expect(changes.find((c) => c.path === 'frist_name')).toMatchObject({ kind: 'field-added', location: { line: 8, column: 3 } })
    expect(p.renameExpansions).toEqual([])
    expect(p.notes.map((n) => n.message)).toEqual([
      'New Contact Created: renames entry "frist_name" -> "given_name": Refold has no field "frist_name", so it acknowledges nothing (did you mean "first_name"?); while expanded it adds "frist_name" as a copy',
    ])
  })
})

describe('contraction', () => {
  it('drops the old names once nobody reads them: non-blocking, acknowledged by the entry, even under --strict', async () => {
    for (const strict of [false, true]) {
      const p = await plan(CONTRACTED, EXPANDED, { ok: true, workflows: [readsNew] }, strict)
      const changes = p.events[0]!.changes
      expect(changes.map((c) => [c.kind, c.path, c.to, c.blocking, c.acknowledged?.by])).toEqual([
        ['rename-contracted', 'address.zip', 'address.postcode', false, 'renames'],
        ['rename-contracted', 'first_name', 'given_name', false, 'renames'],
        ['rename-contracted', 'items[].sku', 'items[].code', false, 'renames'],
      ])
      expect(changes[1]!.message).toBe('field "first_name" dropped: its rename to "given_name" is contracted (expand: false)')
      expect(changes[1]!.location).toEqual({ file: 'events/contact.yaml', line: 8, column: 3 })
      expect(p.renameExpansions).toEqual([])
      expect(JSON.parse(p.events[0]!.body!.response)).toEqual({
        given_name: 'Jane',
        email: 'jane@example.com',
        address: { city: 'Lyon', postcode: '69001' },
        items: [{ code: 'MUG' }, { code: 'TEE' }],
      })
    }
  })

  it('is blocking while a workflow still reads an old name, whatever the entry says', async () => {
    const p = await plan(CONTRACTED, EXPANDED, { ok: true, workflows: [readsOld] })
    const blocking = p.events[0]!.changes.filter((c) => c.blocking)
    expect(blocking.map((c) => [c.path, c.readers.map((r) => r.references)])).toEqual([
      ['address.zip', [['{{event.address.zip}}']]],
      ['first_name', [['{{event.first_name}}']]],
    ])
    expect(p.summary.breaking).toBe(2)
    expect(formatHuman(p, { color: false })).toContain(
      'to proceed: keep the expansion until no workflow reads "first_name" (drop `expand: false` from its renames entry), add `allowBreaking: [{ field: first_name, reason: ... }]` to the YAML, or pass --allow-breaking',
    )
  })

  it('is blocking when the workflow scan failed: no reader found is not the same as no reader', async () => {
    for (const strict of [false, true]) {
      const p = await plan(CONTRACTED, EXPANDED, { ok: false, error: 'HTTP 503' }, strict)
      const changes = p.events[0]!.changes
      expect(changes.map((c) => [c.kind, c.path, c.severity, c.blocking, c.acknowledged])).toEqual([
        ['rename-contracted', 'address.zip', 'breaking', true, null],
        ['rename-contracted', 'first_name', 'breaking', true, null],
        ['rename-contracted', 'items[].sku', 'breaking', true, null],
      ])
      expect(changes[1]!.reason).toBe('workflows could not be scanned (HTTP 503), so any workflow may read it')
      expect(p.summary.breaking).toBe(3)
    }
  })

  it('is the steady state once applied: nothing to do, no note about the entries', async () => {
    const p = await plan(CONTRACTED, CONTRACTED, { ok: true, workflows: [readsNew] })
    expect(p.events[0]!.action).toBe('unchanged')
    expect(p.notes).toEqual([])
    expect(p.renameExpansions).toEqual([])
  })

  it('without any expansion before (expand: false from the start), is the acknowledged rename it always was', async () => {
    const p = await plan(CONTRACTED, BEFORE, { ok: true, workflows: [readsOld] })
    const first = p.events[0]!.changes.find((c) => c.path === 'first_name')!
    expect([first.kind, first.severity, first.blocking, first.acknowledged?.by]).toEqual(['field-renamed', 'breaking', false, 'renames'])
  })
})
