/**
 * Exit codes and the CLI's own deliberate failure. Library code throws typed errors
 * (src/errors.ts); only the CLI turns them, and its own checks of flags and files, into
 * exit codes.
 */
import { SetupError } from '../errors.js'

/** Exit codes shared by every command (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  error: 1,
  breaking: 2,
  /** `sync --dry-run --detailed-exitcode`: safe changes pending. */
  changesPending: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A deliberate failure with a message for the user and an exit code; no stack trace is shown. */
export class ExitError extends Error {
  readonly exitCode: ExitCode
  constructor(message: string, exitCode: ExitCode = ExitCode.error) {
    super(message)
    this.name = 'ExitError'
    this.exitCode = exitCode
  }
}

/**
 * A failure the user is told about in one line, with its exit code: the CLI's own
 * {@link ExitError}s and the library's {@link SetupError}s. Undefined for anything else
 * (an unexpected crash, or an error with its own report such as a DefinitionError).
 */
export function plainFailure(error: unknown): { message: string; exitCode: ExitCode } | undefined {
  if (error instanceof ExitError) return { message: error.message, exitCode: error.exitCode }
  // Every setup problem stops the run before it did anything: a plain failure.
  if (error instanceof SetupError) return { message: error.message, exitCode: ExitCode.error }
  return undefined
}
