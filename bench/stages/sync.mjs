/**
 * sync against the local emulator (the built package's, in its own process), with 1,000
 * events on the remote side, created by a first sync of the synthetic project; locally every
 * event has gained a field (1,000 additive updates), or only one has (a typical pull request).
 *
 * - plan: what `sync` does after compiling (list the events, scan workflows, effective
 *   schemas of remote events, `planSync`) against listing the events alone, for both.
 * - apply: `applyPlan` of those 1,000 updates with the emulator adding 20 ms to every request,
 *   at the default concurrency (4), against the ideal `updates x latency / concurrency`.
 *   The request-rate ceiling (`sync.requestsPerSecond`, default 15/s for Refold's documented
 *   20/s) is lifted for this run: the ideal has no rate limit in it.
 *
 * These import sync's building blocks from dist/ (not part of the package's public API): the
 * plan is `planAgainstRemote`, the very function `refold-events sync` calls.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compileDefinitions, DEFAULT_INFER_OPTIONS, parseEventFile } from 'refold-events'
import { alternate, formatMs, median } from '../lib/measure.mjs'
import { startServer } from '../lib/processes.mjs'
import { REPO_ROOT } from '../lib/project.mjs'
import { rateRatio, timeRatio } from '../lib/rows.mjs'
import { eventFileName, eventYaml, syntheticEvents } from '../lib/synthetic.mjs'

const EMULATOR = new URL('../children/emulator-server.mjs', import.meta.url).pathname
const API_KEY = 'tk_bench_sync_key'
const LATENCY_MS = 20
const CONCURRENCY = 4

const dist = (path) => import(pathToFileURL(join(REPO_ROOT, 'dist', path)).href)

export default {
  id: 'sync',
  title: 'sync plan and apply',
  /** Why the targets are missed, from profiles at the time of writing (shown in BENCHMARKS.md when one is). */
  missed: `
Plan: listing is one \`JSON.parse\`. Planning compares every event structurally (\`jsonEqual\`),
collects trigger-variable fields per changed event, and fingerprints what apply and saved plans
need. Fixed in issue 12: each side is serialised at most once (a fingerprint only for events
apply writes; the remote hash names events equal to their YAML as such; the local hash skips the
body's second serialisation; remote-schema lookup serialises nothing when every remote event has
a schema). Measured on a machine at load average 13-17 on 2 cores (every figure ~9x its idle
value; list 479 ms): 1 changed 5.57x -> 3.15x, all changed 9.26x -> 9.18x. What remains, by
profile of \`planSync\` (all changed): garbage collection (~40%), \`collectFields\` on both sides of
every changed event (~15%), \`jsonEqual\` (~8%), fingerprints of the changed remote events (~12%).
Apply: each update re-read its event (GET) before the PUT, two round trips per update. Fixed in
issue 12: the check reads a snapshot of the list Refold answers every write with (one kept per
~500 ms, a list read only at the start or after a stall), so apply is one request per change
(measured with 200 updates: 402 -> 203 requests, the plan's two reads included), which halves
apply time wherever the request rate is the limit (15 req/s: ~134 s -> ~67 s). Its wall time at
20 ms latency did not improve in the same-run comparison on the loaded machine (200 updates,
alternating: 19.8 s old, 22.1 s new; 40 updates: 1.59 s vs 1.52 s): there it is bound by
CPU, each write's answer being the whole list (1 MB at 200 events, 5 MB at 1,000) that the
emulator writes and the client reads; a single-event PUT cost 16 ms at 0 ms added latency.
Not fixed: the answer's size (the emulator could stream its cached per-event JSON instead of
one buffer, and the client stop reading answers it does not keep).
`,
  async run({ quick, log }) {
    const count = quick ? 40 : 1000
    const [{ RemoteHttp }, { ApiKey }, { RefoldEventsApi }, { RefoldWorkflowsApi }, { planAgainstRemote }, { applyPlan }] =
      await Promise.all([
        dist('remote/remote-http.js'),
        dist('remote/api-key.js'),
        dist('remote/events-api.js'),
        dist('remote/workflows-api.js'),
        dist('sync/run-sync.js'),
        dist('sync/apply/apply-plan.js'),
      ])
    const events = syntheticEvents(count, 11)
    log(`${count} events: compiling the original and the changed project`)
    const original = await compile(events)
    const changed = await compile(events.map((event) => ({ ...event, sample: { ...event.sample, bench_added: 'new field' } })))

    const connect = (url) => {
      const http = new RemoteHttp({ baseUrl: url, apiKey: new ApiKey(API_KEY), concurrency: CONCURRENCY, requestsPerSecond: 100_000 })
      const api = new RefoldEventsApi(http)
      return { http, api, ports: { events: api, workflows: new RefoldWorkflowsApi(http) } }
    }
    /** What `sync` does once the YAML is compiled: read Refold, plan (the command's own function). */
    const plan = ({ ports }, local, url) =>
      planAgainstRemote(ports, {
        local,
        target: { name: 'local', baseUrl: url },
        options: { prune: false, strict: false, allowBreaking: false },
        responseForm: 'payload',
        inference: DEFAULT_INFER_OPTIONS,
      })
    /**
     * An emulator (state in memory: a state file would add its fsync to every write, which
     * Refold's own latency figure has no share of) holding the original project, created
     * by a first sync.
     */
    const seededEmulator = async () => {
      const server = await startServer(EMULATOR, [JSON.stringify({ apiKey: API_KEY, stateFile: null, seed: 1, historyLimit: 10 })])
      const seeder = connect(server.url)
      try {
        const created = await applyPlan(await plan(seeder, original, server.url), seeder.api, { concurrency: 8 })
        if (created.notApplied.length > 0 || created.applied.length !== count)
          throw new Error(`seeding failed: ${created.notApplied[0]?.detail}`)
      } finally {
        await seeder.http.close()
      }
      return server
    }

    // Plan against list, on one emulator (planning changes nothing).
    const runs = quick ? 2 : 9
    log(`seeding the emulator: a first sync creates ${count} events`)
    const planning = await seededEmulator()
    const client = connect(planning.url)
    // The worst case (every event changed) and the usual one (a pull request changes one).
    const oneChanged = [changed[0], ...original.slice(1)]
    const updates = { all: 0, one: 0 }
    let timed
    try {
      log(`plan vs list, ${runs} runs`)
      timed = await alternate(
        {
          list: () => client.api.list(),
          planAll: async () => {
            updates.all = (await plan(client, changed, planning.url)).events.filter((e) => e.action === 'update').length
          },
          planOne: async () => {
            updates.one = (await plan(client, oneChanged, planning.url)).events.filter((e) => e.action === 'update').length
          },
        },
        { runs, warmup: 1 },
      )
    } finally {
      await client.http.close()
      await planning.stop()
    }
    if (updates.all !== count || updates.one !== 1)
      throw new Error(`expected ${count} and 1 updates in the plans, got ${updates.all} and ${updates.one}`)

    // Apply: a freshly seeded emulator each run, 20 ms added to every request.
    const applyRuns = quick ? 1 : 3
    const applyTimes = []
    for (let run = 0; run < applyRuns; run++) {
      log(`apply run ${run + 1}/${applyRuns}: seeding`)
      const applying = await seededEmulator()
      const remote = connect(applying.url)
      try {
        const updatePlan = await plan(remote, changed, applying.url)
        await applying.request({ faults: { latencyMs: [LATENCY_MS, LATENCY_MS] } })
        log(`apply run ${run + 1}/${applyRuns}: ${count} updates, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}`)
        const start = performance.now()
        const result = await applyPlan(updatePlan, remote.api, { concurrency: CONCURRENCY })
        applyTimes.push(performance.now() - start)
        if (result.notApplied.length > 0)
          throw new Error(`apply left ${result.notApplied.length} not applied: ${result.notApplied[0].detail}`)
      } finally {
        await remote.http.close()
        await applying.stop()
      }
    }
    const ideal = (count * LATENCY_MS) / CONCURRENCY
    const applied = median(applyTimes)
    return [
      timeRatio({
        stage: 'sync',
        case: `plan, ${count.toLocaleString('en-US')} remote events, all ${count.toLocaleString('en-US')} changed`,
        ours: { label: 'list+scan+plan', ms: timed.planAll.median },
        baseline: { label: 'list events', ms: timed.list.median },
        max: 1.2,
      }),
      timeRatio({
        stage: 'sync',
        case: `plan, ${count.toLocaleString('en-US')} remote events, 1 changed`,
        ours: { label: 'list+scan+plan', ms: timed.planOne.median },
        baseline: { label: 'list events', ms: timed.list.median },
        max: 1.2,
      }),
      rateRatio({
        stage: 'sync',
        case: `apply, ${count.toLocaleString('en-US')} updates, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}`,
        ours: { label: `applyPlan ${formatMs(applied)} =`, perSecond: (count / applied) * 1000 },
        baseline: { label: `ideal ${formatMs(ideal)} =`, perSecond: (count / ideal) * 1000 },
        min: 0.8,
      }),
    ]
  },
}

/** Parse and compile synthetic events with the real loader and compiler; any error throws. */
async function compile(events) {
  const definitions = []
  for (const [i, event] of events.entries()) {
    const parsed = await parseEventFile(eventYaml(event), `events/${eventFileName(i)}`)
    if (parsed.definition === undefined) throw new Error(`event ${i} does not load: ${parsed.diagnostics[0]?.message}`)
    definitions.push(parsed.definition)
  }
  const compiled = await compileDefinitions(definitions, DEFAULT_INFER_OPTIONS)
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new Error(`events do not compile: ${errors[0].message}`)
  return compiled.events
}
