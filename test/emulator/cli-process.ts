/**
 * Runs the built CLI (`node dist/cli/main.js emulator ...`) as a child process, the way
 * users and scripts do, and reads the base URL from its first line.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js')

export interface EmulatorProcess {
  child: ChildProcess
  url: string
  /** Everything printed so far. */
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>
}

/** Spawn `emulator` with `args` and wait for the URL line; rejects if it exits first. */
export function spawnEmulator(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<EmulatorProcess> {
  expect(existsSync(CLI), 'dist/cli/main.js is missing: run `npm run build` first').toBe(true)
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
    cwd: options.cwd,
    env: { ...process.env, REFOLD_API_KEY: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const newline = stdout.indexOf('\n')
      if (newline !== -1) {
        resolve({ child, url: stdout.slice(0, newline), stdout: () => stdout, stderr: () => stderr, exited })
      }
    })
    void exited.then((code) => reject(new Error(`emulator exited (${code}) before printing its URL: ${stderr}`)))
  })
}
