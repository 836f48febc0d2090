/**
 * `generate` with one event changed: a project of 1,000 synthetic events already generated
 * (so its generate and compile caches are in place), one event file edited (a field added to its sample, so
 * its schema, types and validator all change), then a fresh `refold-events generate` process; against the I/O floor in its own
 * fresh process: read and parse every event file (yaml) and write files of the sizes that
 * run wrote (bench/children/io-floor.mjs).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { median } from '../lib/measure.mjs'
import { runTimed } from '../lib/processes.mjs'
import { CLI, removeProject, tempProject, writeEvents } from '../lib/project.mjs'
import { timeRatio } from '../lib/rows.mjs'
import { syntheticEvents } from '../lib/synthetic.mjs'

const FLOOR = fileURLToPath(new URL('../children/io-floor.mjs', import.meta.url))

export default {
  id: 'generate-incremental',
  title: 'generate, one event changed',
  /** Why the target is missed, from profiles at the time of writing (shown in BENCHMARKS.md when it is). */
  missed: `
Met since the compile cache (.refold/compile-cache.json; 2026-12-01, load 8-9: 0.49x; CPU
time 0.53x the floor's, against 2.07x without it, the two builds alternated in one run): a
file whose text is unchanged is read and hashed but neither parsed nor compiled, and an event
whose input hash and files are unchanged is not generated. What remains is Node's start and
the import of the CLI's modules, reading every event file, listing the output folder, and
generating the edited event; the floor also parses every file, which generate no longer does.
Were it missed again, look first at module loading (cpu-prof: the esm/cjs loader frames).
`,
  async run({ quick, log }) {
    const count = quick ? 50 : 1000
    const runs = quick ? 2 : 5
    const project = tempProject()
    try {
      const files = writeEvents(project, syntheticEvents(count))
      log(`${count} events: first generate (untimed)`)
      await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })
      const ours = []
      const floors = []
      for (let run = 0; run < runs; run++) {
        log(`${count} events: run ${run + 1}/${runs}`)
        // A different event each run, gaining a field: its schema, type and validator change.
        const file = files[(run * 37) % files.length]
        const event = parse(readFileSync(file, 'utf8'))
        event.sample[`bench_revision_${run}`] = `r${run}`
        writeFileSync(file, stringify(event, { lineWidth: 0 }))
        const generate = async () => {
          const result = await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })
          const written = [...result.stdout.matchAll(/^(?:created|updated) (\S+)$/gm)].map((m) => m[1])
          if (written.length === 0) throw new Error(`generate wrote nothing after an event changed:\n${result.stdout}`)
          return { ms: result.ms, sizes: written.map((path) => statSync(join(project, path)).size) }
        }
        // The floor writes what this run wrote, so it runs second; the order of runs does
        // not alternate here, but load spikes still land on both across the runs.
        const generated = await generate()
        ours.push(generated.ms)
        const floor = await runTimed(
          process.execPath,
          [FLOOR, join(project, 'events'), join(project, 'floor-out'), ...generated.sizes.map(String)],
          {
            cwd: project,
          },
        )
        floors.push(floor.ms)
      }
      return [
        timeRatio({
          stage: 'generate, one event changed',
          case: `${count.toLocaleString('en-US')} events, 1 edited`,
          ours: { label: 'generate', ms: median(ours) },
          baseline: { label: 'read+parse YAML, write output', ms: median(floors) },
          max: 2,
        }),
      ]
    } finally {
      removeProject(project)
    }
  },
}
