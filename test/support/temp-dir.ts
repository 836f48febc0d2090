/**
 * Temporary folders for tests, removed after the test that made them, and files written
 * into them. Every harness makes its folders here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach } from 'vitest'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

/** Run `cleanup` after the current test (last registered, first run). */
export function onCleanup(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup)
}

/** A fresh temporary folder (`refold-<label>-…`), removed after the test. */
export function tempDir(label = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `refold-${label}-`))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Write `files` (path relative to `dir` -> text or bytes), creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), contents)
  }
}
