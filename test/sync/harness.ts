/**
 * End-to-end harness for sync, pull and fire: a temporary project folder, the real
 * emulator on a free loopback port, and the CLI run in-process through `run(argv, io)`.
 */
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { RunningEmulator } from '../../src/emulator/index.js'
import type { EmulatorOptions } from '../../src/emulator/index.js'
import type { WorkflowDefinition } from '../../src/emulator/types.js'
import { type CliResult, runInProcess } from '../support/cli.js'
import { startTestEmulator } from '../support/emulator.js'
import { onCleanup, tempDir } from '../support/temp-dir.js'

export { onCleanup }

export const API_KEY = 'tk_sync_test_key_0123456789'
export const EVENTS_PATH = '/api/v2/public/application/event'

/** A temporary project with the given files (paths relative to it) and a fast-sync config. */
export async function project(files: Record<string, string>, config = DEFAULT_CONFIG): Promise<Project> {
  const p = new Project(tempDir('sync'))
  await p.write('refold.config.mjs', config)
  for (const [path, text] of Object.entries(files)) await p.write(path, text)
  return p
}

export const DEFAULT_CONFIG = `export default {
  eventsDir: 'events',
  sync: { concurrency: 8, requestsPerSecond: 10000 },
  environments: { staging: { baseUrl: 'https://staging.example.com', apiKeyEnv: 'STAGING_KEY' } },
}
`

export class Project {
  constructor(readonly root: string) {}

  async write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.root, path)), { recursive: true })
    await writeFile(join(this.root, path), text)
  }

  read(path: string): Promise<string> {
    return readFile(join(this.root, path), 'utf8')
  }

  async remove(path: string): Promise<void> {
    await rm(join(this.root, path), { force: true })
  }

  /** Run the CLI in this folder against `emulator` (through REFOLD_BASE_URL), or with `env` as given. */
  cli(argv: string[], emulator: RunningEmulator | null, env: Record<string, string> = {}): Promise<CliRun> {
    return runInProcess(argv, this.root, {
      env: emulator === null ? env : { REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: API_KEY, ...env },
    })
  }
}

export type CliRun = CliResult & { code: number }

/** The real emulator on port 0 with in-memory state; stopped after the test. */
export function emulator(workflows: WorkflowDefinition[] = [], options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startTestEmulator({ apiKey: API_KEY, workflows, stateFile: null, seed: 7, ...options })
}

/** Names and samples of the emulator's events, sorted by name, for comparisons. */
export function remoteState(running: RunningEmulator): Array<{ name: string; sample: unknown; schema: unknown }> {
  return running.state
    .events()
    .map((e) => ({ name: e.name, sample: JSON.parse(e.raw_response) as unknown, schema: e.json_schema }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** A YAML event file. */
export function eventYaml(name: string, sampleYaml: string, extra = ''): string {
  return `name: ${name}\nsample:\n${sampleYaml.replace(/^/gm, '  ')}\n${extra}`
}
