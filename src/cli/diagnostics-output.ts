/**
 * How diagnostics are printed by every command that reports them: `human`
 * (`file:line:col: severity: message`, coloured on a terminal), `json` (data), and
 * `github` (workflow commands that GitHub Actions shows as annotations on the diff).
 */
import { formatDiagnostic } from '../diagnostics.js'
import type { Diagnostic, Severity } from '../types.js'

/** Output formats of diagnostic-reporting commands. */
export type DiagnosticsFormat = 'human' | 'json' | 'github'

/** A diagnostic whose position may be unknown (a config key not written literally in the file). */
export type FileDiagnostic = Omit<Diagnostic, 'line' | 'column'> & { line?: number; column?: number }

/** One diagnostic for a terminal or log, with the severity coloured when `color` is on. */
export function humanDiagnostic(diagnostic: Diagnostic, color: boolean): string {
  const line = formatDiagnostic(diagnostic)
  if (!color) return line
  const label = `${diagnostic.severity}:`
  const painted = `${SEVERITY_COLOR[diagnostic.severity]}${label}\u001b[0m`
  const at = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: `
  return `\u001b[1m${at}\u001b[0m${painted}${line.slice(at.length + label.length)}`
}

const SEVERITY_COLOR: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m' }

/**
 * One diagnostic as a GitHub Actions workflow command:
 * `::error file=events/a.yaml,line=3,col=5,title=...::message`.
 */
export function githubAnnotation(diagnostic: FileDiagnostic, title: string): string {
  // Without a known position the annotation is on the file, not on a made-up line 1.
  const position = diagnostic.line === undefined ? [] : [`line=${diagnostic.line}`, `col=${diagnostic.column}`]
  const properties = [`file=${escapeProperty(diagnostic.file)}`, ...position, `title=${escapeProperty(title)}`].join(',')
  return `::${diagnostic.severity} ${properties}::${escapeData(diagnostic.message)}`
}

/** A problem of the run with no file position, as a GitHub Actions workflow command. */
export function githubNotice(severity: Severity, message: string, title: string): string {
  return `::${severity} title=${escapeProperty(title)}::${escapeData(message)}`
}

// The escaping of GitHub's own toolkit (@actions/core): data escapes %, CR and LF;
// property values also escape ':' and ','.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
