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
Profile (\`node --cpu-prof\`) of a cold run at 1,000 events (one thread, compact validators): of
~7.3 s of CPU samples (plus 23% of the wall time idle, waiting for the file-system threads),
json-schema-to-typescript with lodash and its \`$ref\` parser is ~1.95 s (27%), YAML parsing and
position maps ~0.9 s, garbage collection ~0.7 s, converting schemas for it (type-schema.ts, with
word splitting) ~0.7 s, file-system calls on the main thread ~1.1 s (3,000 files, each written
to a temp file, fsynced and renamed), validators ~0.35 s. In CPU time (\`/usr/bin/time\`, same
project) generate takes ~5.5 s user+sys against the floor's ~1.6 s: json-schema-to-typescript is
not what generate spends most on, and reading, compiling and writing 1,000 events alone is more
than 0.3x the floor, so 1.3x needs a second core. Worker threads were tried (this thread plus one
per other core, events sent as v8 structured-clone bytes, output byte-identical): on this shared
2-core machine (load average 8-10, no core ever free) they cost ~20% more CPU (a second isolate
loading and JIT-warming the generator) and were not faster (1,000 events: 11.2 s against 8.1 s
median of three), so they were not kept. Peak memory at 10,000 events (~440 MB; 628-803 MB
before): compiled events are held packed from the moment each compiles (\`v8.serialize\`, ~5 KB
outside the heap each; as objects they were ~16 KB of heap each, with their hidden classes and
names sliced from each file's text, which kept the whole text alive), the loader and the compile
cache keep of each file only its names, and each event's summary copies the type names it
matched (as slices they kept every generated module's text until the index was written, ~14 KB
per event). Live heap stays under ~40 MB through the run (\`--expose-gc\` sampling); the rest of the
peak is V8 letting the heap grow to several times that under generation's garbage (~230 MB
committed) and ~100 MB of code and native memory. Packing and unpacking cost ~0.1 ms per event
(~2% of the CPU of a cold 1,000-event run). V8 heap flags were not used: users run the CLI with
their own \`NODE_OPTIONS\`, and a lower limit turns a big project into a crash.
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
