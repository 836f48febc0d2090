import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, emulator, eventYaml, project, remoteState, type Project } from './harness.js'

/** `count` events named `Event 000`...; `variant` changes every sample so each is an update. */
async function writeEvents(p: Project, from: number, to: number, variant: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const n = String(i).padStart(3, '0')
    await p.write(
      `events/event-${n}.yaml`,
      eventYaml(`Event ${n}`, `id: evt_${n}\ncount: ${i}\nlabel: variant ${variant}\nnested:\n  ok: true`),
    )
  }
}

function expectExactly(state: ReturnType<typeof remoteState>, from: number, to: number, variant: number): void {
  const expected = []
  for (let i = from; i < to; i++) {
    const n = String(i).padStart(3, '0')
    expected.push({ name: `Event ${n}`, sample: { id: `evt_${n}`, count: i, label: `variant ${variant}`, nested: { ok: true } } })
  }
  expect(state.map(({ name, sample }) => ({ name, sample }))).toEqual(expected)
}

describe('sync under injected faults', () => {
  it('converges within three runs with 20% 503/500s and dropped connections plus 429s: no duplicate, no lost event', {
    timeout: 120_000,
  }, async () => {
    const refold = await emulator()
    const p = await project({})
    // Start from 30 events, then ask for: 10 updated, 20 left alone, 5 deleted (--prune), 25 created.
    await writeEvents(p, 0, 30, 1)
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    for (let i = 25; i < 30; i++) await p.remove(`events/event-${String(i).padStart(3, '0')}.yaml`)
    await writeEvents(p, 0, 10, 2)
    await writeEvents(p, 30, 55, 2)

    refold.faults.set({ failRate: 0.1, dropRate: 0.1, rateLimit: 200, burst: 5, routes: ['events', 'workflows'] })
    const codes: number[] = []
    for (let run = 0; run < 3; run++) {
      const result = await p.cli(['sync', '--prune'], refold)
      codes.push(result.code)
      expect(result.stderr).not.toContain('unexpected error')
      if (result.code === 0) break
    }
    expect(codes.at(-1)).toBe(0)
    refold.faults.set({ failRate: 0, dropRate: 0, rateLimit: null })
    const state = remoteState(refold)
    expect(new Set(state.map((e) => e.name)).size).toBe(state.length)
    const byName = new Map(state.map((e) => [e.name, e]))
    expectExactly(
      state.filter((e) => Number(e.name.slice(6)) < 10),
      0,
      10,
      2,
    )
    expectExactly(
      state.filter((e) => Number(e.name.slice(6)) >= 10 && Number(e.name.slice(6)) < 25),
      10,
      25,
      1,
    )
    expectExactly(
      state.filter((e) => Number(e.name.slice(6)) >= 30),
      30,
      55,
      2,
    )
    expect(byName.has('Event 027')).toBe(false)
    expect(state).toHaveLength(50)
    expect((await p.cli(['sync', '--prune', '--dry-run', '--detailed-exitcode'], refold)).code).toBe(0)
  })

  it('reports a partial failure exactly (exit 1, applied and not applied), and reruns converge', { timeout: 120_000 }, async () => {
    const refold = await emulator([], { seed: 11 })
    // One request at a time: with a seeded emulator the fault sequence, and so this test, is deterministic.
    const p = await project({}, DEFAULT_CONFIG.replace('concurrency: 8', 'concurrency: 1'))
    await writeEvents(p, 0, 10, 1)
    // Faults heavy enough that some events exhaust their retries.
    refold.faults.set({ failRate: 0.1, dropRate: 0.55, routes: ['events'] })
    const results = []
    for (let run = 0; run < 12; run++) {
      const result = await p.cli(['sync'], refold)
      results.push(result)
      if (result.code === 0) break
      expect(result.code).toBe(1)
    }
    const partial = results.find((r) => r.code === 1 && r.stdout.includes('Not applied'))
    expect(partial, 'expected at least one partial failure at 70% faults').toBeDefined()
    expect(partial!.stdout).toMatch(/Applied to REFOLD_BASE_URL: \d+ created, 0 updated, 0 deleted\./)
    expect(partial!.stdout).toMatch(/ {2}create Event \d{3}: POST \/api\/v2\/public\/application\/event failed/)
    expect(results.at(-1)!.code).toBe(0)
    refold.faults.set({ failRate: 0, dropRate: 0 })
    expectExactly(remoteState(refold), 0, 10, 1)
  })
})
