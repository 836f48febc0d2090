/**
 * The toolkit's few error classes. Stages collect {@link Diagnostic}s; these classes carry
 * them (or a single located problem) up to the CLI, which prints and maps them to exit codes.
 */
import type { Diagnostic } from './types.js'

/** Exit codes shared by every command (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  error: 1,
  breaking: 2,
  /** `sync --dry-run --detailed-exitcode`: safe changes pending. */
  changesPending: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** One or more problems in event files, each with `file:line:column`. */
export class DefinitionError extends Error {
  readonly diagnostics: Diagnostic[]
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'))
    this.name = 'DefinitionError'
    this.diagnostics = diagnostics
  }
}

/** A problem in `refold.config.ts`, naming the file and the key. */
export class ConfigError extends Error {
  readonly file: string
  readonly key: string | undefined
  constructor(file: string, key: string | undefined, message: string) {
    super(key === undefined ? `${file}: ${message}` : `${file}: key "${key}": ${message}`)
    this.name = 'ConfigError'
    this.file = file
    this.key = key
  }
}

/** A deliberate failure with a message for the user and an exit code; no stack trace is shown. */
export class ExitError extends Error {
  readonly exitCode: ExitCode
  constructor(message: string, exitCode: ExitCode = ExitCode.error) {
    super(message)
    this.name = 'ExitError'
    this.exitCode = exitCode
  }
}

/** `file:line:column: severity: message`, the one format every diagnostic is printed in. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
}
