/**
 * The loop the README documents, through the built CLI as child processes: `validate`
 * finds mismatches, `learn` folds the records in, then `validate` reports 0 invalid,
 * `check` passes, and a second `learn` has nothing to add.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const HERE = dirname(fileURLToPath(import.meta.url))
const CLI = join(HERE, '../../dist/cli/main.js')
const PROJECT = join(HERE, '../cases/learn-unknown-event/input')
const folders: string[] = []

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  expect(existsSync(CLI), 'dist/cli/main.js is missing: run `npm run build` first').toBe(true)
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })
}

describe('validate -> learn -> validate -> check', () => {
  it('leaves only the records learn reported, and check passes', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'refold-learn-'))
    folders.push(cwd)
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
