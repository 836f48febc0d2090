import { describe, expect, it } from 'vitest'
import { API_KEY, emulator, eventYaml, project } from '../sync/harness.js'
import { runCli } from '../support/cli.js'

describe('sync --prune from an empty events folder', () => {
  it('is refused, touching nothing, unless --allow-empty confirms it', async () => {
    const refold = await emulator()
    const env = { REFOLD_BASE_URL: refold.url, REFOLD_API_KEY: API_KEY }
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'email: jane@example.com') })
    expect((await runCli(['sync'], { cwd: p.root, env, environment: 'clean' })).code).toBe(0)
    expect(refold.state.events()).toHaveLength(1)

    await p.remove('events/contact.yaml')
    const refused = await runCli(['sync', '--prune'], { cwd: p.root, env, environment: 'clean' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('warning: no event files in events/')
    expect(refused.stderr).toContain('error: refusing --prune from an empty set of events')
    expect(refold.state.events()).toHaveLength(1)

    const confirmed = await runCli(['sync', '--prune', '--allow-empty'], { cwd: p.root, env, environment: 'clean' })
    expect(confirmed.code).toBe(0)
    expect(confirmed.stdout).toContain('1 to delete')
    expect(refold.state.events()).toEqual([])
  })
})
