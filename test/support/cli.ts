/**
 * The CLI as tests run it: in-process through `run(argv, io)` (fast, output captured), or the
 * built `node dist/cli/main.js` as a child process, as users and CI run it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { run } from '../../src/cli/run.js'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
export const CLI = join(REPO_ROOT, 'dist/cli/main.js')

export interface CliResult {
  /** The exit code, or the signal's name when the process was killed. */
  code: number | string
  stdout: string
  stderr: string
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>
  /** Resolves when a long-running command (the emulator, the relay) should stop; default: never. */
  interrupt?: Promise<void>
  /** Called with each chunk of stdout as it is written (to read the emulator's URL). */
  onStdout?: (text: string) => void
  /** Pretend stdout is a terminal (colour). */
  isTTY?: boolean
}

/** Run the real CLI in-process in `cwd`; never throws. */
export async function runInProcess(argv: string[], cwd: string, options: InProcessOptions = {}): Promise<CliResult & { code: number }> {
  let stdout = ''
  let stderr = ''
  const code = await run(argv, {
    stdout: (text) => {
      stdout += text
      options.onStdout?.(text)
    },
    stderr: (text) => void (stderr += text),
    cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    waitForInterrupt: () => options.interrupt ?? new Promise(() => {}),
  })
  return { code, stdout, stderr }
}

export interface ChildOptions {
  /** Default: the repository. */
  cwd?: string
  env?: Record<string, string>
  /**
   * `inherit` (default): this process's environment with Refold's own variables cleared, so a
   * developer's key never reaches a test. `clean`: only PATH and `env`, as CI with nothing set.
   */
  environment?: 'inherit' | 'clean'
  /** Written to the child's standard input, then closed; default: no input (ignored). */
  stdin?: Buffer | string
  /** Killed (SIGTERM) when it runs longer; default: never. */
  timeoutMs?: number
}

/** A child process and what it printed so far. */
export interface ChildRun {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>
  /** Resolves once the process exited and its output was read to the end. */
  closed: Promise<void>
}

/** Spawn `node ...args` with piped output. */
export function spawnNode(args: string[], options: ChildOptions = {}): ChildRun {
  const base =
    options.environment === 'clean'
      ? { PATH: process.env.PATH ?? '' }
      : { ...process.env, REFOLD_API_KEY: '', REFOLD_BASE_URL: '', REFOLD_OUTBOX_DB: '' }
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...base, ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  })
  if (options.stdin !== undefined) child.stdin!.end(options.stdin)
  let stdout = ''
  let stderr = ''
  // Decoded as a stream: a character split between two chunks is not mangled.
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  return { child, stdout: () => stdout, stderr: () => stderr, exited, closed }
}

/** Spawn `node dist/cli/main.js ...args` (run `npm run build` first). */
export function spawnCli(args: string[], options: ChildOptions = {}): ChildRun {
  expect(existsSync(CLI), 'dist/cli/main.js is missing: run `npm run build` first').toBe(true)
  return spawnNode([CLI, ...args], options)
}

/** Run the built CLI to completion. */
export async function runCli(args: string[], options: ChildOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options)
  const code = await child.exited
  // 'exit' can come before the last output is read.
  await child.closed
  return { code, stdout: child.stdout(), stderr: child.stderr() }
}

/** A CLI emulator child and its base URL (its first line of output). */
export interface EmulatorChild extends ChildRun {
  url: string
}

/** Spawn `emulator ...args` and wait for its URL line; rejects if it exits first. */
export function spawnEmulatorCli(args: string[], options: ChildOptions = {}): Promise<EmulatorChild> {
  const run = spawnCli(['emulator', ...args], options)
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const text = run.stdout()
      const newline = text.indexOf('\n')
      if (newline === -1) return
      run.child.stdout!.off('data', onData)
      resolve({ ...run, url: text.slice(0, newline) })
    }
    run.child.stdout!.on('data', onData)
    void run.exited.then((code) => reject(new Error(`emulator exited (${code}) before printing its URL: ${run.stderr()}`)))
  })
}
