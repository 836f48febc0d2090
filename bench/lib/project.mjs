/**
 * Throwaway projects for the benchmarks, in the system temp folder: an `events/` folder of
 * synthetic event files, and a `node_modules/refold-events` link to this repository so
 * generated code resolves `refold-events/runtime` to the built `dist/`, as in a user's project.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eventFileName, eventYaml } from './synthetic.mjs'

/** The repository root (bench/lib/../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
/** The built CLI, what users run. */
export const CLI = join(REPO_ROOT, 'dist/cli/main.js')
/** TypeScript 7's native compiler, as installed. */
export const TSC = join(REPO_ROOT, 'node_modules/.bin/tsc')

/** A new empty project folder linked to this package; remove it with {@link removeProject}. */
export function tempProject(prefix = 'refold-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/refold-events'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  return dir
}

/** Write each event as `events/event-NNNNN.yaml`; returns the file paths. */
export function writeEvents(dir, events) {
  mkdirSync(join(dir, 'events'), { recursive: true })
  return events.map((event, i) => {
    const file = join(dir, 'events', eventFileName(i))
    writeFileSync(file, eventYaml(event))
    return file
  })
}

export function removeProject(dir) {
  rmSync(dir, { recursive: true, force: true })
}
