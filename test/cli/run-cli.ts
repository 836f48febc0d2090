/**
 * The built CLI (`node dist/cli/main.js`) as a child process, as users and CI run it, with
 * only PATH and the given variables in its environment.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Run `refold-events ...args` in `cwd` and collect its output and exit code. */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  expect(existsSync(CLI), 'dist/cli/main.js is missing: run `npm run build` first').toBe(true)
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })
}
