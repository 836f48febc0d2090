/**
 * The words every stage uses to report: how a diagnostic is written and ordered, how a file
 * path is shown, how a count is spelt. Output formats (colour, GitHub annotations) build on
 * these in cli/diagnostics-output.ts.
 */
import { isAbsolute, relative, sep } from 'node:path'
import type { Diagnostic } from './types.js'

/** `file:line:column: severity: message`, the one format every diagnostic is printed in. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
}

/** By file (code-point order), line and column; diagnostics at one place keep the order they were found in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort((x, y) => order(x.d.file, y.d.file) || x.d.line - y.d.line || x.d.column - y.d.column || x.index - y.index)
    .map(({ d }) => d)
}

/** Errors and warnings in `diagnostics`. */
export function countDiagnostics(diagnostics: readonly Pick<Diagnostic, 'severity'>[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  return { errors, warnings: diagnostics.length - errors }
}

/**
 * `path` as shown to users: relative to `cwd` with `/` separators (`.` for `cwd` itself),
 * so `file:line:column` opens from the terminal it is printed in; as given when no relative
 * path leads there (another drive).
 */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  if (rel === '') return '.'
  return isAbsolute(rel) ? path : rel.split(sep).join('/')
}

/** `1 workflow`, `2 workflows`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
