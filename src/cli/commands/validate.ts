/**
 * `refold-events validate FILE...`: check recorded payloads (JSON or NDJSON records
 * `{"event", "payload"}`, `-` for standard input) against the project's compiled event
 * definitions, as the generated validators would. Exit 0 when every record is valid,
 * 1 when one is invalid, names an unknown event, or an input cannot be read.
 * Values are not printed unless `--show-values`: recordings hold personal data.
 */
import { compileProject } from '../../compile/compile-project.js'
import { loadConfig } from '../../config/load-config.js'
import type { ResolvedConfig } from '../../config/define-config.js'
import { ConfigError } from '../../errors.js'
import { checkRecords, type RecordResult, type ValidationReport } from '../../learn/check-records.js'
import { valueAt } from '../../learn/payload-checker.js'
import type { PayloadRecord } from '../../learn/payload-records.js'
import { describeValue } from '../../util/schema-errors.js'
import { humanDiagnostic } from '../diagnostics-output.js'
import { configErrorDiagnostics, formatFailedLoad } from '../failed-load-output.js'
import { useColor, type CliIO } from '../io.js'
import { readRecordInputs } from '../record-inputs.js'
import { countDiagnostics, plural } from '../../diagnostics.js'
import { ExitCode } from '../exit.js'

export interface ValidateOptions {
  /** The inputs: paths, or `-` for standard input. */
  files: string[]
  /** `--config PATH`, relative to the current directory. */
  config?: string
  /** `--format`; default `human`. */
  format?: 'human' | 'json'
  /** `--show-values`: print the offending values too. */
  showValues?: boolean
}

/** Run `validate` and return its exit code. */
export async function runValidate(options: ValidateOptions, io: CliIO): Promise<number> {
  let config: ResolvedConfig
  try {
    config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  } catch (error) {
    // `--format json` answers on stdout even when the project does not load.
    if (options.format !== 'json' || !(error instanceof ConfigError)) throw error
    io.stdout(formatFailedLoad('json', 'refold-events validate', configErrorDiagnostics(error)))
    return ExitCode.error
  }
  const compiled = await compileProject(config, { cwd: io.cwd })
  const color = useColor(io)
  if (countDiagnostics(compiled.diagnostics).errors > 0) {
    if (options.format === 'json') io.stdout(formatFailedLoad('json', 'refold-events validate', compiled.diagnostics))
    for (const diagnostic of compiled.diagnostics) io.stderr(`${humanDiagnostic(diagnostic, color)}\n`)
    io.stderr('the event definitions have errors (see above); fix them before validating records\n')
    return ExitCode.error
  }
  const input = await readRecordInputs(options.files, io)
  const report = await checkRecords(input.records, compiled.events)
  const inputErrors = countDiagnostics(input.problems).errors
  if (options.format === 'json') {
    const results = options.showValues === true ? withValues(report.results, input.records) : report.results
    io.stdout(
      `${JSON.stringify({ ok: report.summary.invalid === 0 && inputErrors === 0, summary: report.summary, results, problems: input.problems }, null, 2)}\n`,
    )
  } else {
    for (const problem of input.problems) io.stderr(`${humanDiagnostic(problem, color)}\n`)
    printHuman(report, input.records, options.showValues === true, io)
  }
  return report.summary.invalid === 0 && inputErrors === 0 ? ExitCode.ok : ExitCode.error
}

function printHuman(report: ValidationReport, records: readonly PayloadRecord[], showValues: boolean, io: CliIO): void {
  const lines: string[] = []
  report.results.forEach((result, index) => {
    const at = `${result.file}:${result.line}:${result.column}`
    if (result.status === 'unknown-event') {
      const hint = result.suggestion === null ? '' : ` (did you mean "${result.suggestion}"?)`
      lines.push(`${at}: event "${result.event}" is not defined in this project${hint}`)
    } else if (result.status === 'invalid') {
      lines.push(
        `${at}: "${result.event}"${result.recordedAs === undefined ? '' : ` (recorded as "${result.recordedAs}")`} does not match its schema (${result.mismatches.length === 1 ? '1 mismatch' : `${result.mismatches.length} mismatches`}):`,
      )
      for (const mismatch of result.mismatches) {
        const value = showValues ? shownValue(records[index]!, mismatch.path) : ''
        lines.push(`  ${mismatch.path === '' ? '(payload)' : mismatch.path}: expected ${mismatch.expected}, got ${mismatch.actual}${value}`)
      }
    }
  })
  const { checked, valid, invalid, byEvent } = report.summary
  if (Object.keys(byEvent).length > 1) {
    for (const [name, counts] of Object.entries(byEvent)) lines.push(`${name}: ${counts.valid} of ${counts.checked} valid`)
  }
  lines.push(`${plural(checked, 'record')} checked: ${valid} valid, ${invalid} invalid`)
  io.stdout(`${lines.join('\n')}\n`)
}

function shownValue(record: PayloadRecord, path: string): string {
  const found = valueAt(record.payload, path)
  return found.present ? ` (${describeValue(found.value)})` : ''
}

/** Results with each mismatch's value, for `--format json --show-values`. */
function withValues(results: readonly RecordResult[], records: readonly PayloadRecord[]): unknown[] {
  return results.map((result, index) =>
    result.status !== 'invalid'
      ? result
      : { ...result, mismatches: result.mismatches.map((m) => ({ ...m, value: valueAt(records[index]!.payload, m.path).value ?? null })) },
  )
}
