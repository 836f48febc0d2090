/**
 * `sync --prune` against the emulator with each fault alone and all of them at once
 * (latency, 500/502/503/504, 429 with a tight token bucket, connections dropped before and
 * after the write took effect). Rerun until it succeeds, checking after every run that the
 * remote holds no duplicate and no half-applied event (each one is exactly its old or its
 * new version, sample and schema together), and at the end exactly the new state, with
 * nothing left to plan.
 *
 * test/sync/sync-faults.test.ts covers 5xx + drops + 429 together and the partial-failure
 * report; this adds latency, every 5xx status, each fault alone, and the per-run invariants.
 */
import { describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import type { FaultOptions } from '../../src/emulator/faults.js'
import { cli, expectNoCrash, onCleanup, tempDir, writeFiles } from './support.js'

const KEY = 'tk_sync_faults_hardening'
const CONFIG = `export default { eventsDir: 'events', sync: { concurrency: 6, requestsPerSecond: 10000 } }\n`
const MAX_RUNS = 12

/** Version 1: events 00-19. Version 2: 00-07 updated (sample and schema), 08-13 kept, 14-19 deleted, 20-29 created. */
function eventFile(n: number, version: number): string {
  const id = String(n).padStart(2, '0')
  return `name: Event ${id}
description: Event ${id}, version ${version}.
sample:
  id: evt_${id}
  count: ${n}
  label: version ${version}
  nested: {ok: true, tags: [a]}
${version === 2 ? '  added_in_v2: true\n' : ''}schema:
  properties:
    label: {description: "Label, version ${version}"}
`
}

function files(version: 1 | 2): Record<string, string> {
  const out: Record<string, string> = {}
  const numbers = version === 1 ? range(0, 20) : [...range(0, 14), ...range(20, 30)]
  for (const n of numbers)
    out[`events/event-${String(n).padStart(2, '0')}.yaml`] = eventFile(n, version === 2 && (n < 8 || n >= 20) ? 2 : 1)
  return out
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i)
}

type Snapshot = Map<string, string>

/** Each remote event as one comparable text: its sample and its schema together. */
function snapshot(emulator: RunningEmulator): { byName: Snapshot; names: string[] } {
  const events = emulator.state.events()
  const byName: Snapshot = new Map(
    events.map((e) => [e.name, JSON.stringify({ sample: JSON.parse(e.raw_response) as unknown, schema: e.json_schema ?? null })]),
  )
  return { byName, names: events.map((e) => e.name) }
}

async function emulatorWith(faults: Partial<FaultOptions> = {}, seed = 1): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, apiKey: KEY, stateFile: null, seed })
  onCleanup(() => emulator.close())
  emulator.faults.set({ routes: ['events', 'workflows'], ...faults })
  return emulator
}

/** The state a fault-free sync of `version` gives. */
async function referenceState(version: 1 | 2): Promise<Snapshot> {
  const emulator = await emulatorWith()
  const dir = tempDir()
  writeFiles(dir, { 'refold.config.mjs': CONFIG, ...files(version) })
  const result = await cli(['sync', '--prune'], dir, { env: { REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: KEY } })
  expect(result.code, result.stderr).toBe(0)
  return snapshot(emulator).byName
}

const SCENARIOS: Record<string, Partial<FaultOptions>> = {
  latency: { latencyMs: [0, 40] },
  '5xx (500, 502, 503, 504)': { failRate: 0.3, failStatuses: [500, 502, 503, 504] },
  '429 (10/s, burst 2)': { rateLimit: 10, burst: 2 },
  'dropped connections': { dropRate: 0.3 },
  'all at once': { latencyMs: [0, 20], failRate: 0.15, failStatuses: [500, 502, 503, 504], dropRate: 0.15, rateLimit: 40, burst: 3 },
}

const report: string[] = []

describe('sync converges under every fault, never leaving a duplicate, lost or half-applied event', () => {
  it.each(Object.keys(SCENARIOS))(
    '%s',
    async (scenario) => {
      const [before, after] = [await referenceState(1), await referenceState(2)]
      const emulator = await emulatorWith({}, 42)
      const dir = tempDir()
      const env = { REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: KEY }
      writeFiles(dir, { 'refold.config.mjs': CONFIG, ...files(1) })
      expect((await cli(['sync'], dir, { env })).code).toBe(0)
      expect(snapshot(emulator).byName).toEqual(before)

      const { rmSync } = await import('node:fs')
      for (const n of range(14, 20)) rmSync(`${dir}/events/event-${n}.yaml`)
      writeFiles(dir, files(2))
      emulator.faults.set(SCENARIOS[scenario]!)

      const codes: number[] = []
      for (let run = 0; run < MAX_RUNS; run++) {
        const result = await cli(['sync', '--prune'], dir, { env })
        expectNoCrash(result.stdout + result.stderr, `${scenario}, run ${run + 1}`)
        codes.push(result.code)
        expect([0, 1], result.stdout + result.stderr).toContain(result.code)
        // Invariants after every run, converged or not.
        const { byName, names } = snapshot(emulator)
        expect(new Set(names).size, `duplicate names after run ${run + 1}: ${names.join(', ')}`).toBe(names.length)
        for (const [name, state] of byName) {
          const allowed = [before.get(name), after.get(name)].filter((s) => s !== undefined)
          expect(allowed, `"${name}" after run ${run + 1} is neither its old nor its new version`).toContain(state)
        }
        for (const name of after.keys()) {
          // Kept events (08-13) are never touched, so never lost.
          if (before.get(name) === after.get(name)) expect(byName.has(name), `"${name}" was lost`).toBe(true)
        }
        if (result.code === 0) break
      }
      expect(codes.at(-1), `runs: ${codes.join(', ')}`).toBe(0)
      emulator.faults.set({ latencyMs: [0, 0], failRate: 0, dropRate: 0, rateLimit: null })
      expect(snapshot(emulator).byName).toEqual(after)
      const pending = await cli(['sync', '--prune', '--dry-run', '--detailed-exitcode'], dir, { env })
      expect(pending.code, pending.stdout).toBe(0)
      report.push(
        `  ${scenario.padEnd(26)} -> converged after ${codes.length} run(s) (exit codes ${codes.join(', ')}); 24 writes, remote exact`,
      )
      if (Object.keys(SCENARIOS).at(-1) === scenario)
        console.log(`sync fault matrix (20 events -> 8 updated, 6 deleted, 10 created; concurrency 6):\n${report.join('\n')}`)
    },
    120_000,
  )
})
