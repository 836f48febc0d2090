import { describe, expect, it } from 'vitest'
import { type CliResult, runCli } from '../support/cli.js'
import { API_KEY, emulator, eventYaml, project, type Project } from './harness.js'

/** Run the built CLI as a child process, as CI does (only PATH and `env` in its environment). */
function cli(p: Project, args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(args, { cwd: p.root, env, environment: 'clean' })
}

const flows = [
  { name: 'Sync contact to CRM', app: 'hubspot', event: 'New Contact Created', steps: [{ name: 'Upsert', text: '{{event.first_name}}' }] },
]

describe('sync as a child process: exit codes', () => {
  it('0 applied, 3 pending, 2 breaking refused, 1 on errors; the key never printed', { timeout: 120_000 }, async () => {
    const refold = await emulator(flows)
    const env = { REFOLD_BASE_URL: refold.url, REFOLD_API_KEY: API_KEY }
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'first_name: Jane\nemail: jane@example.com') })
    const outputs: string[] = []
    const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const result = await cli(p, args, { ...env, ...extraEnv })
      outputs.push(result.stdout, result.stderr)
      return result
    }

    expect((await run(['sync', '--dry-run', '--detailed-exitcode'])).code).toBe(3)
    expect((await run(['sync', '--dry-run'])).code).toBe(0)
    expect(refold.state.events()).toEqual([])
    const applied = await run(['sync'])
    expect(applied.code).toBe(0)
    expect(refold.state.events()).toHaveLength(1)
    expect((await run(['sync', '--dry-run', '--detailed-exitcode'])).code).toBe(0)

    await p.write('events/contact.yaml', eventYaml('New Contact Created', 'email: jane@example.com'))
    const refused = await run(['sync', '--format', 'github'])
    expect(refused.code).toBe(2)
    expect(refused.stdout).toContain('::error file=events/contact.yaml,line=2,col=1,title=Breaking change (New Contact Created)::')
    expect(refused.stderr).toContain('Refusing to apply: 1 breaking change not acknowledged')
    expect((await run(['sync', '--dry-run', '--detailed-exitcode'])).code).toBe(2)
    const json = await run(['sync', '--dry-run', '--format', 'json'])
    expect(JSON.parse(json.stdout).summary.breaking).toBe(1)
    expect((await run(['sync', '--allow-breaking'])).code).toBe(0)

    await p.write('events/broken.yaml', 'name: [oops\n')
    const broken = await run(['sync'])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^events\/broken\.yaml:\d+:\d+: error: /m)
    await p.remove('events/broken.yaml')

    const unknownEnv = await run(['sync', '--env', 'prod'])
    expect(unknownEnv.code).toBe(1)
    expect(unknownEnv.stderr).toContain('error: unknown environment "prod"')

    const unreachable = await run(['sync'], { REFOLD_BASE_URL: 'http://127.0.0.1:9' })
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toContain('GET /api/v2/public/application/event failed (could not connect: ECONNREFUSED')
    expect(unreachable.stderr).toMatch(/^error: REFOLD_BASE_URL \(http:\/\/127\.0\.0\.1:9\): GET /)
    expect(unreachable.stderr).not.toContain('unexpected error')
    expect(unreachable.stderr).not.toContain('    at ')

    const badKey = await run(['sync'], { REFOLD_API_KEY: 'tk_wrong_key_value' })
    expect(badKey.code).toBe(1)
    expect(badKey.stderr).toContain('GET /api/v2/public/application/event failed (401')
    expect(badKey.stderr).toContain('check the API key for this environment')

    for (const output of outputs) {
      expect(output).not.toContain(API_KEY)
      expect(output).not.toContain('tk_wrong_key_value')
    }
  })

  it('documents the exit codes in --help', async () => {
    const p = await project({})
    const help = await cli(p, ['sync', '--help'], {})
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--detailed-exitcode')
    // The table is in the top-level help only.
    const top = await cli(p, ['--help'], {})
    expect(top.stdout).toContain('2  breaking changes refused (sync)')
    expect(top.stdout).toContain('3  changes pending (sync --dry-run --detailed-exitcode)')
  })
})
