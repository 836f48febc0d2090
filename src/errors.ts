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

/** One problem of a config file: the key it is about (if any), what is wrong, where when known. */
export interface ConfigProblem {
  key: string | undefined
  /** The problem alone, without the file, key or position. */
  detail: string
  position: ConfigErrorPosition | undefined
}

/**
 * Problems in `refold.config.ts`, each naming the file and the key, or the line and column.
 * The first problem is also on the error itself; `problems` holds every problem of the run.
 */
export class ConfigError extends Error {
  readonly file: string
  readonly key: string | undefined
  readonly position: ConfigErrorPosition | undefined
  /** The problem alone, without the file, key or position. */
  readonly detail: string
  /** Every problem found in one run, this error's own first. */
  readonly problems: readonly ConfigProblem[]
  constructor(file: string, key: string | undefined, message: string, position?: ConfigErrorPosition, more: readonly ConfigProblem[] = []) {
    const problems = [{ key, detail: message, position }, ...more]
    super(problems.map((problem) => configProblemText(file, problem)).join('\n'))
    this.name = 'ConfigError'
    this.file = file
    this.key = key
    this.position = position
    this.detail = message
    this.problems = problems
  }

  /** One error carrying every problem of `problems` (at least one). */
  static of(file: string, problems: readonly ConfigProblem[]): ConfigError {
    const [first, ...more] = problems
    if (first === undefined) throw new RangeError('ConfigError.of needs at least one problem')
    return new ConfigError(file, first.key, first.detail, first.position, more)
  }
}

/** `file:line:col: key "k": message` when the position is known, else `file: key "k": message`. */
function configProblemText(file: string, problem: ConfigProblem): string {
  const at = problem.position === undefined ? file : `${file}:${problem.position.line}:${problem.position.column}`
  if (problem.position !== undefined && problem.key === undefined) return `${at}: ${problem.detail}`
  return problem.key === undefined ? `${at}: ${problem.detail}` : `${at}: key "${problem.key}": ${problem.detail}`
}

/**
 * A config error as the CLI prints it, one problem after another: `file:line:col: error: message`
 * plus the offending line and a caret when the position is known, else `error: file: key "k": message`.
 */
export function formatConfigError(error: ConfigError): string {
  return error.problems.map((problem) => formatConfigProblem(error.file, problem)).join('\n')
}

function formatConfigProblem(file: string, problem: ConfigProblem): string {
  const at = problem.position
  if (at === undefined) return `error: ${configProblemText(file, problem)}`
  const detail = problem.key === undefined ? problem.detail : `key "${problem.key}": ${problem.detail}`
  const lines = [`${file}:${at.line}:${at.column}: error: ${detail}`]
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
