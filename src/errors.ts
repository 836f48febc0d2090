/**
 * The toolkit's few error classes. Stages collect {@link Diagnostic}s; these classes carry
 * them (or a single located problem) up to the CLI, which prints and maps them to exit codes.
 */
import { formatDiagnostic } from './diagnostics.js'
import type { Diagnostic } from './types.js'

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

/**
 * A run that cannot start as configured, explained in one line (no stack trace): the events
 * folder is missing, the emulator's state is locked or its port taken. Library code
 * throws one of the subclasses below; only cli/ decides what exit code each one means.
 */
export class SetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

/** `eventsDir` is missing or is not a folder. */
export class EventsFolderError extends SetupError {}

/** Why an emulator could not start. */
export type EmulatorStartProblem = 'options' | 'state-unusable' | 'state-in-use' | 'cannot-listen'

/** The emulator could not start: its options, its state file (unreadable, or locked by another emulator), or its port. */
export class EmulatorStartError extends SetupError {
  readonly problem: EmulatorStartProblem
  constructor(problem: EmulatorStartProblem, message: string) {
    super(message)
    this.problem = problem
  }
}
