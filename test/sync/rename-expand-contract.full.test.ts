/**
 * The zero-downtime rename of issue 12, end to end: the built CLI as a child process, the
 * built-in `local` target (the real emulator, its state in `.refold/emulator.json`, running the
 * project's workflows file). first_name -> given_name with the expansion, sync, fire; the
 * workflows move to given_name, sync proposes the contraction, the proposed entry goes into the
 * YAML, generate, sync, fire. Both workflows COMPLETE after every fire, and no run ERRORED at any
 * step (every run the emulator recorded is read back at the end).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

const BEFORE = `name: New Contact Created
apps: [hubspot, salesforce]
sample:
  first_name: Jane
  last_name: Doe
  email: jane.doe@example.com
`
const RENAMED = `name: New Contact Created
apps: [hubspot, salesforce]
sample:
  given_name: Jane
  last_name: Doe
  email: jane.doe@example.com
renames:
`
const workflows = (field: string): string => `workflows:
  - name: Create HubSpot contact
    app: hubspot
    event: New Contact Created
    steps:
      - name: Upsert contact
        text: "Create contact {{event.email}} named {{event.${field}}} {{event.last_name}}"
  - name: Sync contact to Salesforce
    app: salesforce
    event: New Contact Created
    steps:
      - name: Create lead
        text: "Lead {{event.${field}}} {{event.last_name}} <{{event.email}}>"
`

const root = mkdtempSync(join(tmpdir(), 'refold-rename-flow-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const write = (path: string, text: string): void => {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), text)
}
const read = (path: string): string => readFileSync(join(root, path), 'utf8')

/** Fire through the CLI (as the helpers fire) and expect both workflows to COMPLETE. */
async function fireCompletes(): Promise<void> {
  const fired = await runCli(['fire', 'New Contact Created', '--account', 'acct_demo', '--fail-on-errored-runs'], {
    cwd: root,
    environment: 'clean',
  })
  expect(fired.stderr).toBe('')
  expect(fired.code).toBe(0)
  expect(fired.stdout).toContain('Workflow runs it caused (2):')
  expect(fired.stdout).toContain('✓ Create HubSpot contact (hubspot): COMPLETED')
  expect(fired.stdout).toContain('Upsert contact: Create contact jane.doe@example.com named Jane Doe')
  expect(fired.stdout).toContain('✓ Sync contact to Salesforce (salesforce): COMPLETED')
}

describe('rename first_name -> given_name: expand, move the workflows, contract', () => {
  it('keeps every workflow run COMPLETED from the first sync to the contraction', async () => {
    write('refold.config.mjs', "export default { emulator: { workflows: 'workflows.yaml' } }\n")
    write('workflows.yaml', workflows('first_name'))
    write('events/new-contact-created.yaml', BEFORE)
    expect((await runCli(['sync'], { cwd: root, environment: 'clean' })).code).toBe(0)
    await fireCompletes()

    // 1. The rename, acknowledged: expanded by default.
    write('events/new-contact-created.yaml', `${RENAMED}  first_name: given_name\n`)
    const generated = await runCli(['generate'], { cwd: root, environment: 'clean' })
    expect(generated.code).toBe(0)
    expect(read('generated/events/new-contact-created.mts')).toContain(
      'withRenamedCopies(args, renamedCopiesNewContactCreated), "New Contact Created"',
    )
    const expanded = await runCli(['sync'], { cwd: root, environment: 'clean' })
    expect(expanded.code).toBe(0)
    expect(expanded.stdout).toContain('+ New Contact Created: field "given_name" added (required, string)')
    expect(expanded.stdout).toContain(
      '⇄ New Contact Created: field "first_name" kept as a copy of "given_name" (rename in expansion): still read by 2 workflows',
    )
    expect(expanded.stdout).toContain('0 to create, 1 to update, 0 to delete, 0 breaking (1 acknowledged)')
    // The copy is optional in Refold's schema (a fire bypassing the helpers carries none), as its entry acknowledges.
    expect(expanded.stdout).toContain('! New Contact Created: field "first_name" is now optional (may be absent)')
    expect(expanded.stdout).toContain('acknowledged: renames: first_name -> given_name')
    const pushed = JSON.parse(read('.refold/emulator.json')) as { events: Array<{ json_schema: { required: string[] } }> }
    expect(pushed.events[0]!.json_schema.required).toEqual(['given_name', 'last_name', 'email'])
    await fireCompletes()

    // 2. The workflows move to the new name: sync proposes the contraction, and changes nothing.
    write('workflows.yaml', workflows('given_name'))
    const proposal = await runCli(['sync'], { cwd: root, environment: 'clean' })
    expect(proposal.code).toBe(0)
    expect(proposal.stdout).toContain('Nothing to do: local matches the YAML.')
    const entry = /to contract, write `([^`]+)` under renames/.exec(proposal.stdout)?.[1]
    expect(entry).toBe('first_name: { to: given_name, expand: false }')
    await fireCompletes()

    // 3. The contraction, as proposed: the old name leaves the helpers and Refold.
    write('events/new-contact-created.yaml', `${RENAMED}  ${entry}\n`)
    expect((await runCli(['generate'], { cwd: root, environment: 'clean' })).code).toBe(0)
    expect(read('generated/events/new-contact-created.mts')).not.toContain('withRenamedCopies')
    const contracted = await runCli(['sync'], { cwd: root, environment: 'clean' })
    expect(contracted.code).toBe(0)
    expect(contracted.stdout).toContain(
      '~ New Contact Created: field "first_name" dropped: its rename to "given_name" is contracted (expand: false)',
    )
    expect(contracted.stdout).not.toContain('Renames in expansion')
    await fireCompletes()
    const settled = await runCli(['sync'], { cwd: root, environment: 'clean' })
    expect(settled.stdout).toContain('Nothing to do: local matches the YAML.')

    // Refold's event ends with the new name only, and the emulator recorded no ERRORED run.
    const state = JSON.parse(read('.refold/emulator.json')) as {
      events: Array<{ name: string; raw_response: string }>
      runs: Array<{ status: string; workflow_name: string }>
    }
    expect(JSON.parse(state.events[0]!.raw_response)).toEqual({ given_name: 'Jane', last_name: 'Doe', email: 'jane.doe@example.com' })
    expect(state.runs).toHaveLength(8)
    expect(state.runs.filter((run) => run.status !== 'COMPLETED')).toEqual([])
  })
})
