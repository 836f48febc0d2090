/**
 * Colour and progress as a terminal sees them: the CLI runs under a real pseudo-terminal
 * (util-linux `script`), and through pipes for comparison.
 */
import { execFile, execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { API_KEY, emulator, eventYaml, project } from '../sync/harness.js'
import { useColor, type CliIO } from '../../src/cli/io.js'
import { CLI, runCli } from '../support/cli.js'

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** Run the CLI with stdout and stderr on one pseudo-terminal; returns everything it drew. */
function runInTerminal(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  return new Promise((resolve) => {
    execFile(
      'script',
      ['--quiet', '--return', '--command', command, '/dev/null'],
      { cwd, env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', TERM: 'xterm', ...env } },
      (error, stdout) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout }),
    )
  })
}

const ESC = '\u001b['
const BROKEN = eventYaml('Deal Won', 'items: []')

describe.skipIf(!hasScript)('on a terminal', () => {
  it('draws what sync is doing while it reads and plans, and only there', async () => {
    const refold = await emulator()
    const env = { REFOLD_BASE_URL: refold.url, REFOLD_API_KEY: API_KEY }
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'email: jane@example.com') })
    const tty = await runInTerminal(p.root, ['sync', '--dry-run'], env)
    expect(tty.code).toBe(0)
    expect(tty.output).toContain(`\r${ESC}2KReading events from REFOLD_BASE_URL…`)
    expect(tty.output).toContain(`\r${ESC}2KScanning the workflows of REFOLD_BASE_URL…`)
    expect(tty.output).toContain(`\r${ESC}2KPlanning 1 event…`)
    const piped = await runCli(['sync', '--dry-run'], { cwd: p.root, env, environment: 'clean' })
    expect(piped.code).toBe(0)
    expect(piped.stdout + piped.stderr).not.toContain('Reading events')
    expect(piped.stdout + piped.stderr).not.toContain(ESC)
  })

  it('colours a terminal unless NO_COLOR or FORCE_COLOR=0 says otherwise', async () => {
    const p = await project({ 'events/deal.yaml': BROKEN })
    expect((await runInTerminal(p.root, ['check'], {})).output).toContain(`${ESC}33mwarning:${ESC}0m`)
    expect((await runInTerminal(p.root, ['check'], { NO_COLOR: '1' })).output).not.toContain(ESC)
    expect((await runInTerminal(p.root, ['check'], { FORCE_COLOR: '0' })).output).not.toContain(ESC)
  })
})

describe('FORCE_COLOR', () => {
  it('colours output that is not a terminal (CI logs), and wins over NO_COLOR as in Node.js', async () => {
    const p = await project({ 'events/deal.yaml': BROKEN })
    expect((await runCli(['check'], { cwd: p.root, environment: 'clean' })).stderr).not.toContain(ESC)
    expect((await runCli(['check'], { cwd: p.root, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, environment: 'clean' })).stderr).toContain(
      `${ESC}33mwarning:${ESC}0m`,
    )
  })

  it('reads its values as Node.js does: 0 and false turn colour off, anything else on', () => {
    const io = (env: Record<string, string>, isTTY: boolean): CliIO => ({
      stdout() {},
      stderr() {},
      cwd: '/',
      env,
      isTTY,
      waitForInterrupt: () => new Promise(() => {}),
    })
    for (const value of ['1', '', 'true', '3']) expect(useColor(io({ FORCE_COLOR: value }, false)), value).toBe(true)
    for (const value of ['0', 'false', 'FALSE']) expect(useColor(io({ FORCE_COLOR: value }, true)), value).toBe(false)
    expect(useColor(io({}, true))).toBe(true)
    expect(useColor(io({ NO_COLOR: '1' }, true))).toBe(false)
    expect(useColor(io({ TERM: 'dumb' }, true))).toBe(false)
  })
})
