/**
 * `generate`, cold: a fresh `refold-events generate` process (the built CLI) on a project of
 * N synthetic events with nothing generated and no cache (`.refold/` removed), writing one
 * module, one validator module and one schema per event plus `index.mts`, against its floor inside the pipeline:
 * json-schema-to-typescript alone, in its own fresh process, on the same final schemas
 * (bench/children/jstt-floor.mjs). Sizes 100, 1,000 and 10,000 events; the 10,000-event run
 * also reports the generate process's peak memory (`process.resourceUsage().maxRSS`).
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatMb, formatMs, median } from '../lib/measure.mjs'
import { runMeasuringMemory, runTimed } from '../lib/processes.mjs'
import { CLI, removeProject, tempProject, writeEvents } from '../lib/project.mjs'
import { absolute, failure, timeRatio } from '../lib/rows.mjs'
import { syntheticEvents } from '../lib/synthetic.mjs'

const FLOOR = fileURLToPath(new URL('../children/jstt-floor.mjs', import.meta.url))
/** Peak memory allowed for 10,000 events (issue 6). */
const MEMORY_LIMIT_KB = 500 * 1024

export default {
  id: 'generate',
  title: 'generate, cold',
  /** Why the targets are missed, from profiles at the time of writing (shown in BENCHMARKS.md when one is). */
  missed: `
Profile (\`node --cpu-prof\`) of a cold run at 1,000 events with one module per event: of the CPU
time, ajv's standalone code generation is about half (a fresh ajv instance per event, so each
event's code depends on that event alone; its codegen passes \`addNames\`/\`optimizeNames\` lead the
profile), garbage collection about 12%, json-schema-to-typescript about 10%, loading and
compiling the YAML about 10%, writing files about 10%. So the compact validators (issue 11 item 2)
are what can bring the ratio toward 1.3x: with them ajv runs only for events they do not cover
(and is then not even imported). Even with free validators, parsing and compiling 1,000 YAML files
is 40-60% of the floor, so 1.3x also needs parallel work; worker threads were not tried, because
on this shared 2-core machine (load average 16-20 during the runs) no speed-up from a second core
could be measured. Peak memory (703 MB at 10,000 events): loading and compiling alone peaks at
453 MB (\`refold-events check\`; ~33 KB of heap per compiled event, much of it the position map of
every JSON Pointer), before generation starts; generation then adds garbage-collector headroom on
top of the live events. Generate lets each event's position map go after the checks and each event
once written; under 500 MB needs the loader to keep positions only until compile is done (or to
compile events one file at a time), which is src/definitions and src/compile.
`,
  async run({ quick, log }) {
    const plan = quick
      ? [{ events: 50, runs: 1, memory: true }]
      : [
          { events: 100, runs: 5 },
          { events: 1000, runs: 3 },
          { events: 10_000, runs: 1, memory: true },
        ]
    const rows = []
    for (const { events, runs, memory } of plan) {
      const project = tempProject()
      // The time row goes before the memory row, which is known first.
      const rowsBefore = rows.length
      try {
        log(`${events} events: writing the project`)
        writeEvents(project, syntheticEvents(events))
        const floorDir = join(project, 'floor-schemas')
        const cold = async () => {
          resetGenerated(project)
          return (await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })).ms
        }
        const floor = async () => (await runTimed(process.execPath, [FLOOR, floorDir], { cwd: project })).ms
        const ours = []
        const floors = []
        if (memory) {
          // One run, measured with its peak memory (the hook costs nothing measurable).
          log(`${events} events: generate (with peak memory)`)
          resetGenerated(project)
          const measured = await runMeasuringMemory([CLI, 'generate'], { cwd: project })
          rows.push(memoryRow(events, measured, quick))
          if (measured.code !== 0) throw new Error(measured.stderr || measured.stdout)
          ours.push(measured.ms)
          keepSchemas(project, floorDir)
          log(`${events} events: json-schema-to-typescript floor`)
          for (let i = 0; i < runs; i++) floors.push(await floor())
          for (let i = 1; i < runs; i++) ours.push(await cold())
        } else {
          log(`${events} events: warm-up generate`)
          await cold()
          keepSchemas(project, floorDir)
          for (let i = 0; i < runs; i++) {
            log(`${events} events: run ${i + 1}/${runs}`)
            // Alternate which goes first, so load spikes hit both sides alike.
            if (i % 2 === 0) ours.push(await cold()), floors.push(await floor())
            else floors.push(await floor()), ours.push(await cold())
          }
        }
        const timeRow = timeRatio({
          stage: 'generate, cold',
          case: `${events.toLocaleString('en-US')} events`,
          ours: { label: 'generate', ms: median(ours) },
          baseline: { label: 'json-schema-to-typescript', ms: median(floors) },
          max: 1.3,
        })
        rows.splice(rowsBefore, 0, timeRow)
      } catch (error) {
        // A size that crashes is reported as such; the other sizes still count.
        log(`${events} events: FAILED: ${error.message.split('\n').slice(0, 2).join(' ')}`)
        const failed = failure({ stage: 'generate, cold', case: `${events.toLocaleString('en-US')} events`, error, target: '<= 1.30x' })
        rows.splice(rowsBefore, 0, failed)
      } finally {
        removeProject(project)
      }
    }
    return rows
  },
}

/** The peak memory of a generate run, also when it failed (how much it took to fail). */
function memoryRow(events, measured, quick) {
  const failed = measured.code !== 0
  const row = absolute({
    stage: 'generate, cold',
    case: `${events.toLocaleString('en-US')} events, peak memory`,
    ours: { label: 'maxRSS', value: measured.maxRssKb, text: formatMb(measured.maxRssKb) },
    limit: { value: MEMORY_LIMIT_KB, text: '500 MB' },
    note: quick ? undefined : `one run of ${formatMs(measured.ms)}${failed ? ', which failed' : ''}`,
  })
  // A run that failed met nothing, however little memory it took to fail.
  if (failed) row.met = false
  return row
}

/** Nothing generated and nothing cached: a first `generate` in a fresh checkout. */
export function resetGenerated(project) {
  for (const dir of ['generated', '.refold', 'node_modules/.cache']) rmSync(join(project, dir), { recursive: true, force: true })
}

function keepSchemas(project, floorDir) {
  rmSync(floorDir, { recursive: true, force: true })
  mkdirSync(floorDir)
  cpSync(join(project, 'generated/schemas'), floorDir, { recursive: true })
}
