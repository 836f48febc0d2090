/**
 * What a command may touch of the outside world, passed in so the CLI runs the same
 * in a child process and in-process under test.
 */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  cwd: string
  env: Record<string, string | undefined>
  /** Whether stdout is a terminal (colour). */
  isTTY: boolean
  /** Whether stderr is a terminal (the progress line is drawn there); default: `isTTY`. */
  stderrIsTTY?: boolean
  /**
   * Resolves when the user asks the process to stop (SIGINT/SIGTERM). Only long-running
   * commands call it: calling it installs the signal handlers.
   */
  waitForInterrupt(): Promise<void>
  /**
   * The whole of standard input, for commands that read `-` as a file. Absent where the
   * process has no readable standard input (an in-process test harness).
   */
  readStdin?(): Promise<Buffer>
}

/**
 * Whether colour output is wanted. `FORCE_COLOR` decides when set, as in Node.js and
 * supports-color (`0` or `false` turns colour off, anything else, empty included, on), so CI
 * logs can have colour; otherwise colour needs a TTY, `NO_COLOR` unset (https://no-color.org)
 * and a terminal other than `dumb`.
 */
export function useColor(io: CliIO): boolean {
  const force = io.env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  return io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '') && io.env.TERM !== 'dumb'
}
