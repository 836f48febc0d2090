/**
 * Shared pieces of the outbox tests: the real Postgres (a unique schema per test file, dropped
 * afterwards; tests skip with a visible note when none is reachable), the real emulator on
 * port 0 recording every request it sees, and the built CLI as a child process.
 */
import pg from 'pg'
import { afterAll } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js'
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js'

import { tempDir as supportTempDir } from '../support/temp-dir.js'

export { CLI, REPO_ROOT as ROOT, runCli, spawnCli, spawnNode, type ChildRun as CliChild } from '../support/cli.js'

export const KEY = 'tk_outbox_test'

/** Where the test Postgres is: `REFOLD_TEST_DATABASE_URL`, else the CI and developer default. */
export const POSTGRES_URL = process.env.REFOLD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Whether Postgres answers (checked once per file); prints a visible note when it does not. */
export const postgresAvailable: boolean = await (async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch (error) {
    console.warn(
      `NOTE: Postgres tests skipped: no Postgres at ${POSTGRES_URL} (${(error as Error).message}); set REFOLD_TEST_DATABASE_URL to run them`,
    )
    return false
  } finally {
    await client.end().catch(() => {})
  }
})()

const schemas: string[] = []

/** A schema name unique to this run; dropped with everything in it after the file's tests. */
export function uniqueSchema(label: string): string {
  const name = `t_outbox_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  schemas.push(name)
  return name
}

afterAll(async () => {
  if (schemas.length === 0 || !postgresAvailable) return
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
})

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  return supportTempDir('outbox')
}

/** One request the emulator answered (or dropped), with the time it arrived. */
export interface SeenRequest {
  path: string
  status: number | 'dropped'
  /** Epoch ms at which the request arrived (its log time minus its duration). */
  arrivedAt: number
}

/** A running emulator and every fire-route request it saw. */
export interface RecordingEmulator {
  emulator: RunningEmulator
  requests: SeenRequest[]
  /** Idempotency keys of the fires it accepted, in arrival order. */
  acceptedKeys(): string[]
  close(): Promise<void>
}

/** Starts the emulator on port 0 with `events` defined, recording fire requests from its request log. */
export async function startRecordingEmulator(events: string[], options: EmulatorOptions = {}): Promise<RecordingEmulator> {
  const requests: SeenRequest[] = []
  const emulator = await startEmulator({
    port: 0,
    apiKey: KEY,
    historyLimit: 100_000,
    ...options,
    log: (entry) => {
      if (entry.routeClass === 'fire') requests.push({ path: entry.path, status: entry.status, arrivedAt: Date.now() - entry.durationMs })
    },
  })
  for (const name of events) await defineEvent(emulator, name)
  return {
    emulator,
    requests,
    acceptedKeys: () => emulator.state.fires().map((fire) => fire.headers['idempotency-key'] ?? ''),
    close: () => emulator.close(),
  }
}

/** Defines `name` on the emulator (what `sync` would do). */
export async function defineEvent(emulator: RunningEmulator, name: string): Promise<void> {
  const response = await fetch(`${emulator.url}/api/v2/public/application/event`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ name, response: JSON.stringify({ seq: 1, account: 'a' }) }),
  })
  if (response.status !== 200) throw new Error(`defining ${name} failed: ${response.status} ${await response.text()}`)
}

/** The largest number of `times` inside any window of `windowMs` (a sliding window over sorted times). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

/** Polls `check` until it is true (the scenario's own outcome, not a timing assertion). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
