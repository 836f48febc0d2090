import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultFaultOptions, FaultInjector } from '../../src/emulator/faults.js'
import { API_KEY, emulator, eventYaml, project } from './harness.js'

const workflowsYaml = `workflows:
  - name: Welcome e-mail
    app: hubspot
    event: New Contact Created
    steps:
      - name: Send
        text: "Hello {{event.first_name}} <{{event.email}}>"
`

describe('the built-in local environment', () => {
  it('runs sync, fire and pull on the embedded emulator with its state file, with no account', async () => {
    const p = await project({
      'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane\nemail: jane@example.com'),
      'workflows.yaml': workflowsYaml,
    })
    await p.write('refold.config.mjs', `export default { emulator: { workflows: 'workflows.yaml' } }\n`)
    const synced = await p.cli(['sync'], null)
    expect(synced.code).toBe(0)
    expect(synced.stdout).toMatch(/^Plan for local \(http:\/\/127\.0\.0\.1:\d+\): 1 workflow scanned/)
    expect(existsSync(join(p.root, '.refold/emulator.json'))).toBe(true)
    expect(JSON.parse(await p.read('.refold/emulator.json')).events.map((e: { name: string }) => e.name)).toEqual(['New Contact Created'])

    const fired = await p.cli(['fire', 'New Contact Created', '--account', 'acct_42'], null)
    expect(fired.stderr).toBe('')
    expect(fired.code).toBe(0)
    expect(fired.stdout).toContain('Fired "New Contact Created" for account acct_42 on local: 200 Webhook Fired Success')
    expect(fired.stdout).toContain('Workflow runs it caused (1):')
    expect(fired.stdout).toContain('✓ Welcome e-mail (hubspot): COMPLETED')
    expect(fired.stdout).toContain('Send: Hello Jane <jane@example.com>')

    // A second sync is a no-op against the persisted state; removing a field the workflow reads is refused.
    expect((await p.cli(['sync', '--dry-run', '--detailed-exitcode'], null)).code).toBe(0)
    await p.write('events/contact.yaml', eventYaml('New Contact Created', 'email: jane@example.com'))
    const refused = await p.cli(['sync'], null)
    expect(refused.code).toBe(2)
    expect(refused.stdout).toContain('read by workflow "Welcome e-mail" (hubspot) via {{event.first_name}}')
  })
})

describe('fire', () => {
  // Objects are open by default (issue 10); this event closes its own through the event file's policy.
  const files = {
    'events/contact.yaml': eventYaml(
      'New Contact Created',
      'first_name: Jane\nemail: jane@example.com',
      'schema:\n  properties:\n    email: { format: email }\ninference:\n  closedObjects: true\n',
    ),
  }

  it('validates the payload first, naming every failing path, and sends nothing', async () => {
    const refold = await emulator()
    const p = await project(files)
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    const result = await p.cli(
      ['fire', 'New Contact Created', '--account', 'a1', '--payload', '{"first_name": 3, "email": "nope", "extra": true}'],
      refold,
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'error: payload for event "New Contact Created" does not match its schema (3 problems); nothing was sent:',
    )
    expect(result.stderr).not.toContain('PayloadValidationError')
    expect(result.stderr).toContain('/first_name: must be string')
    expect(result.stderr).toContain('/extra: is not a field of this event')
    expect(result.stderr).toContain('/email:')
    expect(refold.state.fires()).toEqual([])
  })

  it('fires a payload from a file with slug and idempotency key, and prints the answer', async () => {
    const refold = await emulator()
    const p = await project({ ...files, 'payload.json': '{"first_name": "Bob", "email": "bob@example.com"}' })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    const result = await p.cli(
      ['fire', 'New Contact Created', '--account', 'a1', '--slug', 'hubspot', '--payload', '@payload.json', '--idempotency-key', 'k-1'],
      refold,
    )
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(
      /^Fired "New Contact Created" for account a1 on REFOLD_BASE_URL: 200 Webhook Fired Success \[request id [0-9a-f]{24}\]\n/,
    )
    const [fire] = refold.state.fires()
    expect(fire).toMatchObject({
      event: 'New Contact Created',
      slug: 'hubspot',
      linked_account_id: 'a1',
      payload: { first_name: 'Bob', email: 'bob@example.com' },
    })
    expect(fire!.headers['idempotency-key']).toBe('k-1')
    expect(JSON.stringify(refold.state.fires())).not.toContain(API_KEY)
  })

  it("derives the idempotency key from the event file's idempotencyKey and sends the same one on every attempt", async () => {
    // A seed whose first fire is taken and its answer lost, and whose second passes: the retry
    // the key allows (without it a lost answer is never resent) must carry the same key.
    const seed = [...Array(1000).keys()].find((candidate) => {
      const faults = new FaultInjector({ ...defaultFaultOptions(candidate), dropRate: 0.5, routes: ['fire'] })
      return faults.decide('fire').outcome === 'drop-after' && faults.decide('fire').outcome === 'pass'
    })!
    const refold = await emulator([], { seed, dropRate: 0.5, faultRoutes: ['fire'] })
    const p = await project({
      'events/order.yaml': eventYaml('Order Paid', 'order:\n  id: ord_1\n  total: 5', 'idempotencyKey: order.id\n'),
    })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    const result = await p.cli(['fire', 'Order Paid', '--account', 'a1', '--payload', '{"order": {"id": "ord_77", "total": 9}}'], refold)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('200 Webhook Fired Success after 2 attempts')
    expect(result.stdout).toContain(`Idempotency key "ord_77" (the payload's order.id, from ${join('events', 'order.yaml')})`)
    const fires = refold.state.fires()
    expect(fires).toHaveLength(2)
    expect(fires.map((fire) => fire.headers['idempotency-key'])).toEqual(['ord_77', 'ord_77'])
    // A key given on the command line wins over the payload's.
    expect((await p.cli(['fire', 'Order Paid', '--account', 'a1', '--idempotency-key', 'manual-1'], refold)).code).toBe(0)
    expect(refold.state.fires().at(-1)!.headers['idempotency-key']).toBe('manual-1')
  })

  it('exits 1 with the typed error when Refold does not know the event (not synced yet)', async () => {
    const refold = await emulator()
    const p = await project(files)
    const result = await p.cli(['fire', 'New Contact Created', '--account', 'a1'], refold)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error: Refold has no event named "New Contact Created" (404 INVALID_EVENT: Trigger not found)')
  })

  it('names a misspelled event with a suggestion, and a bad --payload', async () => {
    const p = await project(files)
    const misspelled = await p.cli(['fire', 'New Contact Creatd', '--account', 'a1'], null)
    expect(misspelled.code).toBe(1)
    expect(misspelled.stderr).toContain('no event named "New Contact Creatd"')
    expect(misspelled.stderr).toContain('(did you mean "New Contact Created"?)')
    const badJson = await p.cli(['fire', 'New Contact Created', '--account', 'a1', '--payload', '{nope'], null)
    expect(badJson.code).toBe(1)
    expect(badJson.stderr).toContain('--payload is not valid JSON')
  })
})
