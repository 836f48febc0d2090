/**
 * `fire` as a child process: the slug is checked against the event's apps, and the runs a fire
 * caused are shown, with the reason when none ran.
 */
import { describe, expect, it } from 'vitest'
import { eventYaml, project } from '../sync/harness.js'
import { runCli } from './run-cli.js'

const WORKFLOWS = `workflows:
  - name: Welcome e-mail
    app: hubspot
    event: New Contact Created
    steps:
      - { name: Send, text: "Hello {{event.first_name}}" }
  - name: Score lead
    app: salesforce
    event: New Contact Created
    steps:
      - { name: Score, text: "{{event.company.name}}" }
`
const CONFIG = `export default { emulator: { workflows: 'workflows.yaml' } }\n`

describe('fire --slug', () => {
  it('refuses a slug that is not one of the event\'s apps, with a did-you-mean, before anything is sent', async () => {
    const p = await project(
      { 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane', 'apps: [hubspot, salesforce]\n'), 'workflows.yaml': WORKFLOWS },
      CONFIG,
    )
    const fired = await runCli(p.root, ['fire', 'New Contact Created', '--account', 'a1', '--slug', 'hubspt'])
    expect(fired.code).toBe(1)
    expect(fired.stdout).toBe('')
    expect(fired.stderr).toBe(
      'error: --slug "hubspt" is not an app of "New Contact Created" (did you mean "hubspot"?); expected one of its apps: hubspot, salesforce ' +
        '(from events/contact.yaml), or no --slug to run the workflows of every app\n',
    )
  })

  it('accepts any slug for an event without apps, and then says which apps its workflows are for', async () => {
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane'), 'workflows.yaml': WORKFLOWS }, CONFIG)
    expect((await runCli(p.root, ['sync'])).code).toBe(0)
    const fired = await runCli(p.root, ['fire', 'New Contact Created', '--account', 'a1', '--slug', 'pipedrive'])
    expect(fired.stderr).toBe('')
    expect(fired.code).toBe(0)
    expect(fired.stdout).toContain(
      'No workflow ran: a fire for app "pipedrive" runs only that app\'s workflows, and the workflows of "New Contact Created" on local are for "hubspot", "salesforce".\n',
    )
    expect(fired.stdout).not.toContain('No workflow is attached')
  })
})
