import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatPlan, PLAN_FORMATS } from '../../../src/sync/report/format-plan.js'
import { formatMarkdown, MARKDOWN_LIMIT } from '../../../src/sync/report/format-markdown.js'
import { planSync } from '../../../src/sync/plan/plan-sync.js'
import type { SyncPlan } from '../../../src/sync/sync-types.js'
import { arr, compiled, input, int, obj, opt, remoteOf, str, workflow } from '../fixtures.js'

const GOLDEN = join(import.meta.dirname, 'golden')
const EXTENSIONS = { human: 'txt', json: 'json', github: 'txt', markdown: 'md' } as const

/** A plan with one of everything: blocking, acknowledged, warning, additive, harmless; create, update, delete, unmanaged, notes. */
function richPlan(): SyncPlan {
  const contactBefore = compiled(
    'New Contact Created',
    { first_name: 'Jane', email: 'jane@example.com', age: 41, fax: '0' },
    obj({ first_name: str(), email: str('email'), age: int(), fax: str() }),
  )
  const contactAfter = compiled(
    'New Contact Created',
    { given_name: 'Jane', email: 'jane@example.com', age: '41', phone: '+33 1' },
    obj({ given_name: str(), email: str('email'), age: str(), phone: opt(str()) }),
    { renames: { first_name: 'given_name' } },
  )
  const orderBefore = compiled(
    'Order Placed',
    { order_id: 'o1', items: [{ sku: 'A-1' }] },
    obj({ order_id: str(), items: arr(obj({ sku: str() })) }),
  )
  const orderAfter = compiled(
    'Order Placed',
    { order_id: 'o1', items: [{ sku: 101 }] },
    obj({ order_id: str('uuid'), items: arr(obj({ sku: int() })) }),
    {
      allowBreaking: [{ field: 'items', reason: 'items | renamed <soon>' }],
    },
  )
  const invoice = compiled('Invoice Paid', { invoice_id: 'in_1', amount: 1200 }, obj({ invoice_id: str(), amount: int() }))
  const legacy = compiled('Legacy Ping', { ping: 'x' }, obj({ ping: str() }))
  const consoleOnly = compiled('Console Only', { z: 'z' }, obj({ z: str() }))
  return planSync(
    input({
      local: [contactAfter, orderAfter, invoice],
      remote: [remoteOf(contactBefore, 'ev1'), remoteOf(orderBefore, 'ev2'), remoteOf(legacy, 'ev3'), remoteOf(consoleOnly, 'ev4')],
      workflows: {
        ok: true,
        workflows: [
          workflow('wf1', 'Sync contact to CRM', 'New Contact Created', ['{{event.first_name}} is {{ event.age }}'], 'hubspot'),
          workflow('wf2', 'Ping | pong', 'Legacy Ping', ['{{event.ping}}'], null),
          workflow('wf3', 'Ship order', 'Order Placed', ['ship {{ event.items[0].sku }}'], 'shopify'),
        ],
      },
      target: { name: 'staging', baseUrl: 'https://app.refold.ai' },
      options: { prune: true, strict: false, allowBreaking: false },
    }),
  )
}

describe('plan output formats (golden files)', () => {
  for (const format of PLAN_FORMATS) {
    it(`${format} matches test/sync/report/golden/plan.${format}.${EXTENSIONS[format]}`, () => {
      const output = formatPlan(richPlan(), format, { color: false })
      const file = join(GOLDEN, `plan.${format}.${EXTENSIONS[format]}`)
      // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, output)
      expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true)
      expect(output).toBe(readFileSync(file, 'utf8'))
    })
  }

  it('the plan is what the golden files show: one change of each severity, every action', () => {
    const plan = richPlan()
    expect(plan.summary).toEqual({ create: 1, update: 2, delete: 2, unchanged: 0, breaking: 2, acknowledged: 2, warnings: 2, additive: 2 })
  })

  it('colours the human format only when asked', () => {
    expect(formatPlan(richPlan(), 'human', { color: false })).not.toContain('\u001b[')
    expect(formatPlan(richPlan(), 'human', { color: true })).toContain('\u001b[31m')
  })

  it('escapes GitHub workflow-command data and properties', () => {
    const output = formatPlan(richPlan(), 'github')
    for (const line of output.trimEnd().split('\n').slice(0, -1)) expect(line).toMatch(/^::(error|warning|notice) [^\n]*::[^\n]*$/)
    expect(output).toContain('%0A')
  })
})

describe('markdown size limit', () => {
  function hugePlan(events: number): SyncPlan {
    const local = []
    const remote = []
    for (let i = 0; i < events; i++) {
      const name = `Event number ${String(i).padStart(4, '0')} with a long descriptive name`
      const before = compiled(name, { a: 'x', b: 1, c: true }, obj({ a: str(), b: int(), c: { type: 'boolean' } }))
      const after = compiled(name, { a2: 'y', b: '1', d: 'new' }, obj({ a2: str(), b: str(), d: str() }))
      local.push(after)
      remote.push(remoteOf(before, `id${i}`))
    }
    const flows = local.map((e, i) => workflow(`wf${i}`, `Workflow ${i}`, e.definition.name, ['{{event.b}} {{event.c}}']))
    return planSync(input({ local, remote, workflows: { ok: true, workflows: flows } }))
  }

  it('stays under 60,000 characters with a note saying how much was cut', () => {
    const output = formatMarkdown(hugePlan(600))
    expect(output.length).toBeLessThan(MARKDOWN_LIMIT)
    expect(output).toMatch(/Output cut to stay under 60,000 characters: \d+ more rows not shown/)
    // Breaking changes come first and fill the space before anything else.
    expect(output.indexOf('### ❌ Breaking changes')).toBeLessThan(output.indexOf('Output cut'))
  })

  it('is not cut (and has no note) when it fits', () => {
    const output = formatMarkdown(hugePlan(3))
    expect(output).not.toContain('Output cut')
    expect(output.length).toBeLessThan(MARKDOWN_LIMIT)
  })
})
