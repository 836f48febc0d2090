/**
 * `fire` as a child process: the slug is checked against the event's apps, and the runs a fire
 * caused are shown, with the reason when none ran.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { API_KEY, emulator, eventYaml, onCleanup, project } from '../sync/harness.js'
import { runCli } from '../support/cli.js'

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
/** The same workflows as data, for an emulator started in the test. */
const FLOWS = [
  { name: 'Welcome e-mail', app: 'hubspot', event: 'New Contact Created', steps: [{ name: 'Send', text: 'Hello {{event.first_name}}' }] },
  { name: 'Score lead', app: 'salesforce', event: 'New Contact Created', steps: [{ name: 'Score', text: '{{event.company.name}}' }] },
]
const CONFIG = `export default { emulator: { workflows: 'workflows.yaml' } }\n`

describe('fire --slug', () => {
  it("refuses a slug that is not one of the event's apps, with a did-you-mean, before anything is sent", async () => {
    const p = await project(
      {
        'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane', 'apps: [hubspot, salesforce]\n'),
        'workflows.yaml': WORKFLOWS,
      },
      CONFIG,
    )
    const fired = await runCli(['fire', 'New Contact Created', '--account', 'a1', '--slug', 'hubspt'], {
      cwd: p.root,
      environment: 'clean',
    })
    expect(fired.code).toBe(1)
    expect(fired.stdout).toBe('')
    expect(fired.stderr).toBe(
      'error: --slug "hubspt" is not an app of "New Contact Created" (did you mean "hubspot"?); expected one of its apps: hubspot, salesforce ' +
        '(from events/contact.yaml), or no --slug to run the workflows of every app\n',
    )
  })

  it('accepts any slug for an event without apps, and then says which apps its workflows are for', async () => {
    const p = await project(
      { 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane'), 'workflows.yaml': WORKFLOWS },
      CONFIG,
    )
    expect((await runCli(['sync'], { cwd: p.root, environment: 'clean' })).code).toBe(0)
    const fired = await runCli(['fire', 'New Contact Created', '--account', 'a1', '--slug', 'pipedrive'], {
      cwd: p.root,
      environment: 'clean',
    })
    expect(fired.stderr).toBe('')
    expect(fired.code).toBe(0)
    expect(fired.stdout).toContain(
      'No workflow ran: a fire for app "pipedrive" runs only that app\'s workflows, and the workflows of "New Contact Created" on local are for "hubspot", "salesforce".\n',
    )
    expect(fired.stdout).not.toContain('No workflow is attached')
  })
})

describe('fire on an emulator reached through REFOLD_BASE_URL', () => {
  it('shows the runs, and --fail-on-errored-runs exits 1 when one ERRORED', async () => {
    const refold = await emulator(FLOWS)
    const env = { REFOLD_BASE_URL: refold.url, REFOLD_API_KEY: API_KEY }
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane') })
    expect((await runCli(['sync'], { cwd: p.root, env, environment: 'clean' })).code).toBe(0)

    const shown = await runCli(['fire', 'New Contact Created', '--account', 'a1'], { cwd: p.root, env, environment: 'clean' })
    expect(shown.stderr).toBe('')
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Workflow runs it caused (2):\n')
    expect(shown.stdout).toMatch(/✓ Welcome e-mail \(hubspot\): COMPLETED, instance [0-9a-f]{24}\n {6}Send: Hello Jane\n/)
    expect(shown.stdout).toMatch(/✗ Score lead \(salesforce\): ERRORED, instance [0-9a-f]{24}\n/)
    expect(shown.stdout).toContain('missing trigger variables: {{event.company.name}}')

    const strict = await runCli(['fire', 'New Contact Created', '--account', 'a1', '--fail-on-errored-runs'], {
      cwd: p.root,
      env,
      environment: 'clean',
    })
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain('Workflow runs it caused (2):')
    expect(strict.stderr).toBe('error: 1 of 2 workflow runs ERRORED (--fail-on-errored-runs)\n')

    const completed = await runCli(['fire', 'New Contact Created', '--account', 'a1', '--slug', 'hubspot', '--fail-on-errored-runs'], {
      cwd: p.root,
      env,
      environment: 'clean',
    })
    expect(completed.code).toBe(0)
    expect(completed.stdout).toContain('Workflow runs it caused (1):')
  })

  it('shows no runs for a server that is not an emulator, and says so when asked to check them', async () => {
    const server = createServer((request, response) => {
      const fire = request.method === 'POST' && request.url === '/api/v2/public/event/trigger'
      response.writeHead(fire ? 200 : 404, { 'content-type': 'application/json' })
      response.end(fire ? '{"message":"Webhook Fired Success"}' : '{"status_code":404,"message":"Not found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onCleanup(() => new Promise((resolve) => server.close(() => resolve())))
    const env = { REFOLD_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, REFOLD_API_KEY: API_KEY }
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane') })
    const fired = await runCli(['fire', 'New Contact Created', '--account', 'a1', '--fail-on-errored-runs'], {
      cwd: p.root,
      env,
      environment: 'clean',
    })
    expect(fired.code).toBe(0)
    expect(fired.stdout).toBe('Fired "New Contact Created" for account a1 on REFOLD_BASE_URL: 200 Webhook Fired Success\n')
    expect(fired.stderr).toBe(
      'warning: --fail-on-errored-runs: REFOLD_BASE_URL is not an emulator (no /_emulator/ routes), so its workflow runs cannot be read\n',
    )
  })
})
