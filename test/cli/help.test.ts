import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

const COMMANDS = ['check', 'generate', 'init', 'emulator', 'sync', 'pull', 'fire', 'validate', 'learn']
const TABLE_ROW = '2  breaking changes refused (sync)'

describe('--help', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'refold-help-'))

  it('shows the exit-code table once, in the top-level help, with examples', async () => {
    const top = await runCli(['--help'], { cwd: cwd, environment: 'clean' })
    expect(top.code).toBe(0)
    expect(top.stdout.split(TABLE_ROW)).toHaveLength(2)
    expect(top.stdout).toContain('\nExamples:\n  $ refold-events init\n')
  })

  it('gives every command an Examples section and a pointer to the table instead of a copy', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => runCli([command, '--help'], { cwd: cwd, environment: 'clean' })))
    for (const [i, help] of helps.entries()) {
      expect(help.code, COMMANDS[i]).toBe(0)
      expect(help.stdout, COMMANDS[i]).toMatch(new RegExp(`\\nExamples:\\n  \\$ refold-events ${COMMANDS[i]}\\b`))
      expect(help.stdout, COMMANDS[i]).not.toContain(TABLE_ROW)
      expect(help.stdout, COMMANDS[i]).toContain('see "refold-events --help" for the full table')
    }
    // `help <command>` is the same text.
    expect((await runCli(['help', 'sync'], { cwd: cwd, environment: 'clean' })).stdout).toBe(helps[COMMANDS.indexOf('sync')]!.stdout)
  })

  it('marks required options in the usage line and the option list', async () => {
    const help = await runCli(['fire', '--help'], { cwd: cwd, environment: 'clean' })
    expect(help.stdout).toMatch(/^Usage: refold-events fire <name> --account <id> \[options\]$/m)
    expect(help.stdout).toMatch(/^ {2}--account <id> +\(required\) /m)
    const missing = await runCli(['fire', 'X'], { cwd: cwd, environment: 'clean' })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("error: required option '--account <id>' not specified")
  })
})
