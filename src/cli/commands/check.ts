/**
 * `refold-events check`: load every event definition, infer and merge its schema, validate
 * the samples, and print every error and warning. Exit 0 when there is no error, 1 otherwise.
 * Writes nothing.
 */
import { compileProject, type ProjectCompileResult } from '../../compile/compile-project.js'
import type { ResolvedConfig } from '../../config/define-config.js'
import { loadConfig } from '../../config/load-config.js'
import { ConfigError } from '../../errors.js'
import { githubAnnotation, githubNotice, humanDiagnostic, type DiagnosticsFormat } from '../diagnostics-output.js'
import { useColor, type CliIO } from '../io.js'
import { noEventsWarning } from '../no-events.js'
import { configErrorDiagnostics, formatFailedLoad } from '../failed-load-output.js'
import { checkWorkflowsFile } from '../workflows-check.js'
import { countDiagnostics, plural } from '../../diagnostics.js'
import { ExitCode, plainFailure } from '../exit.js'

export interface CheckOptions {
  /** `--config PATH`, relative to the current directory. */
  config?: string
  /** `--format`; default `human`. */
  format?: DiagnosticsFormat
}

/** Run `check` and return its exit code. */
export async function runCheck(options: CheckOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'human'
  let config: ResolvedConfig
  let compiled: ProjectCompileResult
  try {
    config = await loadConfig({ cwd: io.cwd, configPath: options.config })
    // Nothing after compile points into a file: positions go as each event compiles.
    compiled = await compileProject(config, { cwd: io.cwd, keepPositions: false })
  } catch (error) {
    // A config that does not load, or no events folder: machine formats still answer on stdout.
    const plain = plainFailure(error)
    if (format === 'human' || !(error instanceof ConfigError || plain !== undefined)) throw error
    const diagnostics = error instanceof ConfigError ? configErrorDiagnostics(error) : []
    const positionless = plain !== undefined ? [plain.message] : []
    io.stdout(formatFailedLoad(format, 'refold-events check', diagnostics, positionless))
    return ExitCode.error
  }
  // The workflows file is checked against the events once they compile: an event with errors is
  // missing from them, and every workflow of it would be reported as attached to nothing. Its
  // own problems (YAML, shape) are reported either way.
  const eventErrors = compiled.diagnostics.some((d) => d.severity === 'error')
  const workflowDiagnostics = await checkWorkflowsFile(config, eventErrors ? undefined : compiled.events, io.cwd)
  const result = { ...compiled, diagnostics: [...compiled.diagnostics, ...workflowDiagnostics] }
  const { errors, warnings: fileWarnings } = countDiagnostics(result.diagnostics)
  // Zero events is a warning of the run itself, not of a file: it has no line to point at.
  const notices = result.files.length === 0 ? [noEventsWarning(config, io.cwd)] : []
  const warnings = fileWarnings + notices.length
  // Events counted only where a file held one: a file that does not parse is no event checked.
  const unloaded = result.files.length - compiled.loaded
  const summary =
    `${plural(compiled.loaded, 'event')} checked, ${unloaded === 0 ? '' : `${plural(unloaded, 'file')} not loaded, `}` +
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
  switch (format) {
    case 'json':
      io.stdout(
        `${JSON.stringify(
          {
            ok: errors === 0,
            summary: { events: compiled.loaded, filesNotLoaded: unloaded, errors, warnings },
            events: result.events.map((event) => ({
              name: event.definition.name,
              identifier: event.definition.identifier,
              file: event.definition.file,
              fileName: event.fileName,
            })),
            diagnostics: result.diagnostics,
            ...(notices.length === 0 ? {} : { notices: notices.map((message) => ({ severity: 'warning', message })) }),
          },
          null,
          2,
        )}\n`,
      )
      break
    case 'github':
      for (const diagnostic of result.diagnostics) io.stdout(`${githubAnnotation(diagnostic, 'refold-events check')}\n`)
      for (const notice of notices) io.stdout(`${githubNotice('warning', notice, 'refold-events check')}\n`)
      io.stdout(`${summary}\n`)
      break
    default: {
      const color = useColor(io)
      for (const notice of notices) io.stderr(`warning: ${notice}\n`)
      for (const diagnostic of result.diagnostics) io.stderr(`${humanDiagnostic(diagnostic, color)}\n`)
      io.stdout(`${summary}\n`)
    }
  }
  return errors === 0 ? ExitCode.ok : ExitCode.error
}
