/**
 * What a command with `--format` prints on stdout when it cannot even load the project (a
 * YAML error, a config error): the diagnostics, in the format asked for. CI then gets its
 * annotations and a JSON consumer gets a document saying why, instead of empty input.
 */
import type { ConfigError } from '../errors.js'
import type { Diagnostic } from '../types.js'
import { type FileDiagnostic, githubAnnotation, githubNotice } from './diagnostics-output.js'
import { countDiagnostics, formatDiagnostic, plural } from '../diagnostics.js'

/** Machine formats that carry a failed load on stdout. */
export type FailureFormat = 'json' | 'github' | 'markdown'

/**
 * The diagnostics of a config error, one per problem: at the key's position when it was found
 * in the file's text, else with no position (never a made-up 1:1).
 */
export function configErrorDiagnostics(error: ConfigError): FileDiagnostic[] {
  return error.problems.map((problem) => {
    const message = problem.key === undefined ? problem.detail : `key "${problem.key}": ${problem.detail}`
    const at = problem.position
    const diagnostic: FileDiagnostic =
      at === undefined
        ? { file: error.file, severity: 'error', message }
        : { file: error.file, line: at.line, column: at.column, severity: 'error', message }
    return diagnostic
  })
}

/**
 * The stdout text of a run of `command` that stopped on `diagnostics`, or on `errors` that
 * have no position in a file (an events folder that does not exist).
 */
export function formatFailedLoad(
  format: FailureFormat,
  command: string,
  diagnostics: readonly FileDiagnostic[],
  errors: readonly string[] = [],
): string {
  const counts = countDiagnostics(diagnostics)
  const errorCount = counts.errors + errors.length
  const summary = `nothing was done: the project has ${plural(errorCount, 'error')} (${plural(counts.warnings, 'warning')})`
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ok: false, error: 'invalid-project', summary: { errors: errorCount, warnings: counts.warnings }, errors, diagnostics }, null, 2)}\n`
    case 'github':
      return `${[...diagnostics.map((d) => githubAnnotation(d, command)), ...errors.map((e) => githubNotice('error', e, command)), githubNotice('error', summary, command)].join('\n')}\n`
    case 'markdown': {
      const rows = [
        ...errors.map((e) => `| ❌ | | ${cell(e)} |`),
        ...diagnostics.map((d) => `| ${d.severity === 'error' ? '❌' : '⚠️'} | \`${cell(where(d))}\` | ${cell(d.message)} |`),
      ]
      return [
        `## ${command}: the project does not load`,
        '',
        `**${summary.charAt(0).toUpperCase()}${summary.slice(1)}.**`,
        '',
        '| | Where | Problem |',
        '| --- | --- | --- |',
        ...rows,
        '',
      ].join('\n')
    }
  }
}

/** The diagnostics as the human format prints them on stderr, one per line. */
export function humanLines(diagnostics: readonly FileDiagnostic[]): string {
  return diagnostics
    .map((d) => `${d.line === undefined ? `${d.file}: ${d.severity}: ${d.message}` : formatDiagnostic(d as Diagnostic)}\n`)
    .join('')
}

/** `file:line:col`, or the file alone when the position is unknown. */
function where(d: FileDiagnostic): string {
  return d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column}`
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;')
}
