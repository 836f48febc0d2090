/**
 * Shared helpers of the hardening tests: temporary folders removed after each test, the
 * CLI run in-process through `run(argv, io)` with everything it printed captured, and the
 * oracles every hostile-input case is judged by (a diagnostic names `file:line:column`,
 * nothing prints a stack trace).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect } from 'vitest'
import type { Diagnostic } from '../../src/types.js'
import { runInProcess, type InProcessOptions } from '../support/cli.js'

export { onCleanup, tempDir, writeFiles } from '../support/temp-dir.js'
export type { CliResult } from '../support/cli.js'
export type CliRunOptions = InProcessOptions

/** Run the real CLI in-process in `cwd`; never throws. */
export const cli = runInProcess

/** What a stack trace or an unexpected crash looks like in output. */
const CRASH_SIGNS = [
  /\n\s+at .*(\.[mc]?[jt]s|node:[\w/]+):\d+/,
  /unexpected error/,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError):/,
  /\[object Object\]/,
]

/** Fails when `text` shows a stack frame, the CLI's unexpected-error line, or a raw JS error name. */
export function expectNoCrash(text: string, what = 'output'): void {
  for (const sign of CRASH_SIGNS) expect(text, `${what} shows a crash (${sign}):\n${text.slice(0, 2000)}`).not.toMatch(sign)
}

/**
 * The oracle of every loader/compiler case: each diagnostic names the file and a real
 * position in it (1-based, inside the text), has a severity and a one-paragraph message
 * without a stack trace; a file that produced nothing has at least one error.
 */
export function expectWellFormedDiagnostics(diagnostics: readonly Diagnostic[], file: string, text: string, produced: boolean): void {
  const lines = text.split('\n')
  for (const d of diagnostics) {
    const shown = JSON.stringify(d)
    expect(d.file, shown).toBe(file)
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, `line out of range: ${shown}`).toBe(true)
    // Columns count UTF-16 units (the yaml package's); the end of the line itself is a valid spot.
    const width = (lines[d.line - 1] ?? '').length + 1
    expect(Number.isInteger(d.column) && d.column >= 1 && d.column <= width, `column out of range: ${shown}`).toBe(true)
    expect(['error', 'warning'], shown).toContain(d.severity)
    expect(typeof d.message === 'string' && d.message.trim() !== '', `empty message: ${shown}`).toBe(true)
    expectNoCrash(d.message, `diagnostic ${shown}`)
  }
  if (!produced)
    expect(
      diagnostics.some((d) => d.severity === 'error'),
      'a file that gives no event must have an error',
    ).toBe(true)
}

/** Every file under `dir` (relative paths), for scans of what a command wrote. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) out.push(relative(dir, path))
    }
  }
  walk(dir)
  return out.sort()
}

/** Files under `dir` whose bytes contain `needle` (searched as UTF-8 bytes, so binary files count too). */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle)
  return listFiles(dir).filter((file) => statSync(join(dir, file)).size > 0 && readFileSync(join(dir, file)).includes(bytes))
}
