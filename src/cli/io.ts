/**
 * What a command may touch of the outside world, passed in so the CLI runs the same
 * in a child process and in-process under test.
 */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  cwd: string
  env: Record<string, string | undefined>
  /** Whether stdout is a terminal (colour, progress). */
  isTTY: boolean
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

/** Whether colour output is wanted: a TTY and `NO_COLOR` unset. */
export function useColor(io: CliIO): boolean {
  return io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '') && io.env.TERM !== 'dumb'
}
