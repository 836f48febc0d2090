/**
 * The toolkit's few error classes. Stages collect {@link Diagnostic}s; these classes carry
 * them (or a single located problem) up to the CLI, which prints and maps them to exit codes.
 */
import { formatDiagnostic } from './diagnostics.js'
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

/** Where in the config file a problem is (a syntax error), with the text of that line. */
export interface ConfigErrorPosition {
  line: number
  column: number
  /** The offending line as written, shown under the message with a caret. */
  sourceLine?: string
}

/** A problem in `refold.config.ts`, naming the file and the key, or the line and column. */
export class ConfigError extends Error {
  readonly file: string
  readonly key: string | undefined
  readonly position: ConfigErrorPosition | undefined
  /** The problem alone, without the file, key or position. */
  readonly detail: string
  constructor(file: string, key: string | undefined, message: string, position?: ConfigErrorPosition) {
    super(
      position !== undefined
        ? `${file}:${position.line}:${position.column}: ${message}`
        : key === undefined
          ? `${file}: ${message}`
          : `${file}: key "${key}": ${message}`,
    )
    this.name = 'ConfigError'
    this.file = file
    this.key = key
    this.position = position
    this.detail = message
  }
}

/**
 * A config error as the CLI prints it: `file:line:col: error: message` plus the offending
 * line and a caret when the position is known, else `error: file: key "k": message`.
 */
export function formatConfigError(error: ConfigError): string {
  const at = error.position
  if (at === undefined) return `error: ${error.message}`
  const lines = [`${error.file}:${at.line}:${at.column}: error: ${error.detail}`]
  if (at.sourceLine !== undefined) {
    const gutter = String(at.line)
    // Tabs kept as tabs so the caret lines up under the same characters in a terminal.
    const lead = at.sourceLine.slice(0, Math.max(0, at.column - 1)).replace(/[^\t]/g, ' ')
    lines.push(`  ${gutter} | ${at.sourceLine}`, `  ${' '.repeat(gutter.length)} | ${lead}^`)
  }
  return lines.join('\n')
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
