/**
 * An event rename rolled out with `previousNames`, end to end on the emulator: code that fires
 * the new name (falling back to the old one) is deployed first and keeps working before and
 * after sync renames the event in place; sync says which names are live at each step; a
 * backend still running old code gets Refold's 404 once the rename is applied. No workflow run
 * ERRORED at any step.
 */
import { describe, expect, it } from 'vitest'
import { createClient, InvalidEventError, withEvent, type RefoldClient } from '../../src/runtime/index.js'
import { API_KEY, emulator, eventYaml, project } from './harness.js'

const crmFlow = {
  name: 'Sync contact to CRM',
  app: 'hubspot',
  event: 'New Contact Created',
  steps: [{ name: 'Create contact', text: 'POST /contacts {"name": "{{event.first_name}}", "mail": "{{ event.email }}"}' }],
}

const OLD = 'New Contact Created'
const NEW = 'Contact Added'
// Half the trigger variables change with the name: the rename is declared, not guessed (75% needed).
const newSample = 'first_name: Jane\nemail: jane@example.com\nsource: web\nplan: pro'
const payload = { first_name: 'Jane', email: 'jane@example.com', source: 'web', plan: 'pro' }

describe('event rename with previousNames', () => {
  it('keeps every backend firing through the rollout, renames in place and says which names are live', async () => {
    const refold = await emulator([crmFlow])
    const p = await project({ 'events/contact.yaml': eventYaml(OLD, 'first_name: Jane\nemail: jane@example.com\nage: 41') })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    const id = refold.state.events()[0]!._id

    const clients: RefoldClient[] = []
    const client = (onPreviousName?: (event: string, firedAs: string) => void) => {
      const made = createClient({ apiKey: API_KEY, baseUrl: refold.url, onPreviousName })
      clients.push(made)
      return made
    }
    const switched: string[] = []
    // The new backend fires as the helper generated with previousNames does; the old one as before the rename.
    const newBackend = client((event, firedAs) => switched.push(`${event} -> ${firedAs}`))
    const fireNew = () => newBackend.fire(withEvent({ linkedAccountId: 'acct_1', payload }, NEW, undefined, [OLD]))
    const oldBackend = client()
    const fireOld = () => oldBackend.fire({ event: OLD, linkedAccountId: 'acct_1', payload: { first_name: 'Jo', email: 'jo@example.com' } })

    try {
      await p.write('events/contact.yaml', eventYaml(NEW, newSample, `previousNames: ["${OLD}"]\n`))

      // 1. New code deployed, rename not synced: Refold answers 404 for the new name, the old one runs the workflow.
      const before = await fireNew()
      expect(before.firedAs).toBe(OLD)
      expect(switched).toEqual([`${NEW} -> ${OLD}`])
      expect((await fireOld()).firedAs).toBeUndefined()
      const cli = await p.cli(['fire', NEW, '--account', 'acct_2', '--payload', JSON.stringify(payload)], refold)
      expect(cli.stderr).toBe('')
      expect(cli.code).toBe(0)
      expect(cli.stdout).toContain(`REFOLD_BASE_URL does not know "${NEW}" yet: fired under its previous name "${OLD}"`)
      expect(cli.stdout).toContain('✓ Sync contact to CRM (hubspot): COMPLETED')

      // 2. The plan: a rename in place, acknowledged by previousNames although a workflow reads the event.
      const plan = await p.cli(['sync', '--dry-run', '--detailed-exitcode'], refold)
      expect(plan.stderr).toBe('')
      expect(plan.code).toBe(3) // --detailed-exitcode: changes to apply, none blocking
      expect(plan.stdout).toContain(`event "${OLD}" renamed to "${NEW}" (its previousNames)`)
      expect(plan.stdout).toContain(`acknowledged: previousNames: ${OLD} (events/contact.yaml:7:17)`)
      expect(plan.stdout).toContain(`renamed in place from "${OLD}" (same id ${id}, workflows stay attached)`)
      expect(plan.stdout).toContain(
        `live names of "${NEW}": Refold knows this event as "${OLD}" (id ${id}) until the rename in this plan is applied`,
      )

      // 3. Applied: same id, new name.
      const applied = await p.cli(['sync'], refold)
      expect(applied.code).toBe(0)
      expect(refold.state.events().map((e) => [e.name, e._id])).toEqual([[NEW, id]])

      // 4. The new backend switches back to the new name by itself; the old backend gets Refold's 404.
      const after = await fireNew()
      expect(after.firedAs).toBeUndefined()
      expect((await fireNew()).attempts).toBe(1)
      const refused = await fireOld().catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(InvalidEventError)
      expect((refused as InvalidEventError).message).toContain(`Refold has no event named "${OLD}" (404 INVALID_EVENT`)

      // 5. Afterwards sync is a no-op and says the old name only answers 404 now.
      const settled = await p.cli(['sync', '--dry-run', '--detailed-exitcode'], refold)
      expect(settled.code).toBe(0)
      expect(settled.stdout).toContain(`live names of "${NEW}": Refold knows this event as "${NEW}" (id ${id})`)
      expect(settled.stdout).toContain('Remove previousNames once no backend fires the old name')

      // Every fire that Refold accepted ran the workflow, under whichever name, and none ERRORED.
      const fires = refold.state.fires()
      expect(fires.map((fire) => fire.event)).toEqual([OLD, OLD, OLD, NEW, NEW])
      expect(refold.state.runs()).toHaveLength(5)
      expect(refold.state.runs().every((run) => run.status === 'COMPLETED')).toBe(true)
    } finally {
      for (const made of clients) await made.close()
    }
  })

  it('a saved plan is refused once previousNames change: they decide whether the event is renamed in place', async () => {
    const refold = await emulator([crmFlow])
    const p = await project({ 'events/contact.yaml': eventYaml(OLD, 'first_name: Jane\nemail: jane@example.com\nage: 41') })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    await p.write('events/contact.yaml', eventYaml(NEW, newSample, `previousNames: ["${OLD}"]\n`))
    expect((await p.cli(['sync', '--out', 'plan.json'], refold)).code).toBe(0)
    await p.write('events/contact.yaml', eventYaml(NEW, newSample))
    const applied = await p.cli(['sync', '--plan', 'plan.json'], refold)
    expect(applied.code).toBe(1)
    expect(applied.stderr).toContain('the YAML changed since plan.json was made; nothing was applied')
    expect(refold.state.events().map((e) => e.name)).toEqual([OLD])
  })

  it('a fire whose names Refold knows none of says so, naming every name tried', async () => {
    const refold = await emulator()
    const refoldClient = createClient({ apiKey: API_KEY, baseUrl: refold.url })
    try {
      const error = await refoldClient
        .fire(withEvent({ linkedAccountId: 'a', payload: {} }, NEW, undefined, [OLD, 'Contact Created']))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidEventError)
      expect((error as InvalidEventError).message).toBe(
        `Refold has no event named "${NEW}", nor under its previous names "${OLD}", "Contact Created" (404 INVALID_EVENT: Trigger not found). ` +
          'Run `refold-events sync` to create or rename it',
      )
      expect(refold.state.fires()).toEqual([])
    } finally {
      await refoldClient.close()
    }
  })
})
