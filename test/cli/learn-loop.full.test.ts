/**
 * The loop the README documents, through the built CLI as child processes: `validate`
 * finds mismatches, `learn` folds the records in, then `validate` reports 0 invalid,
 * `check` passes, and a second `learn` has nothing to add.
 */
import { cpSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-dir.js'
import { type CliResult, runCli } from '../support/cli.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const PROJECT = join(HERE, '../cases/learn-unknown-event/input')

function cli(cwd: string, ...args: string[]): Promise<CliResult> {
  return runCli(args, { cwd, environment: 'clean' })
}

describe('validate -> learn -> validate -> check', () => {
  it('leaves only the records learn reported, and check passes', async () => {
    const cwd = tempDir('learn')
    cpSync(PROJECT, cwd, { recursive: true })
    const before = await cli(cwd, 'validate', '--format', 'json', 'recorded.ndjson')
    expect(before.code).toBe(1)
    expect(JSON.parse(before.stdout).summary).toMatchObject({ checked: 6, valid: 2, invalid: 4 })

    const learned = await cli(cwd, 'learn', 'recorded.ndjson')
    // One record breaks the author's enum and one names an unknown event: reported, not learned.
    expect(learned.code).toBe(1)
    expect(learned.stdout).toContain('recorded.ndjson:4:1: not learned')
    expect(learned.stdout).toContain('"Order Plcaed" is not defined')

    const after = await cli(cwd, 'validate', '--format', 'json', 'recorded.ndjson')
    const report = JSON.parse(after.stdout) as {
      summary: { byEvent: Record<string, { invalid: number }> }
      results: Array<{ line: number; status: string }>
    }
    expect(report.results.filter((r) => r.status !== 'valid').map((r) => r.line)).toEqual([4, 5])
    expect(report.summary.byEvent['Order Placed']!.invalid).toBe(1)

    expect(await cli(cwd, 'check')).toEqual({ code: 0, stdout: '1 event checked, 0 errors, 0 warnings\n', stderr: '' })

    const text = readFileSync(join(cwd, 'events/order-placed.yaml'), 'utf8')
    const again = await cli(cwd, 'learn', 'recorded.ndjson')
    expect(again.stdout).toContain('added 0 examples')
    expect(readFileSync(join(cwd, 'events/order-placed.yaml'), 'utf8')).toBe(text)
    // Redacted by default: no recorded value is in the file.
    for (const secret of ['ann@example.com', 'SPRING', '+44 20 7946 0000', 'ord_3']) expect(text).not.toContain(secret)
  })
})
