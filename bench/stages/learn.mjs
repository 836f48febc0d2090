/**
 * `learn` on the whole corpus (issue 10): one event per GitHub webhook kind, defined from ONE
 * sample (the kind's first payload, what most users write), then `refold-events learn` over
 * every payload of every kind as NDJSON records, through the built CLI in a throwaway
 * project. Reported: its time against `validate` on the same records and project (the
 * floor: learn must at least check every record), the examples it adds per event, the YAML
 * bytes it adds, acceptance before, and validity afterwards (target: 100%, with `check`
 * passing). The figures follow whatever inference policy compile applies.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { readCorpus } from '../lib/corpus.mjs'
import { alternate } from '../lib/measure.mjs'
import { runTimed } from '../lib/processes.mjs'
import { CLI, removeProject, tempProject } from '../lib/project.mjs'
import { absolute, check, timeRatio } from '../lib/rows.mjs'

const STAGE = 'learn'

export default {
  id: 'learn',
  title: 'learn on the corpus',
  async run({ quick, log }) {
    const corpus = readCorpus()
    if (corpus === null) {
      log('corpus not found (test/corpus): stage skipped')
      return [check({ stage: STAGE, case: 'corpus', ok: false, detail: 'test/corpus not found' })]
    }
    const kinds = new Map()
    for (const entry of corpus) {
      if (!entry.group.startsWith('github-webhooks/')) continue
      const kind = entry.group.slice('github-webhooks/'.length)
      if (!kinds.has(kind)) kinds.set(kind, [])
      kinds.get(kind).push(entry.payload)
    }
    const selected = [...kinds].slice(0, quick ? 6 : undefined)
    const records = selected.flatMap(([kind, payloads]) => payloads.map((payload) => JSON.stringify({ event: `GitHub ${kind}`, payload })))
    const files = new Map(
      selected.map(([kind, payloads]) => [
        `events/${kind}.yaml`,
        stringify({ name: `GitHub ${kind}`, sample: payloads[0] }, { lineWidth: 0 }),
      ]),
    )
    const what = `${selected.length} GitHub kinds, one sample each, ${records.length} payloads`
    const project = tempProject('refold-bench-learn-')
    try {
      mkdirSync(join(project, 'events'))
      const reset = () => {
        for (const [file, text] of files) writeFileSync(join(project, file), text)
      }
      reset()
      writeFileSync(join(project, 'recorded.ndjson'), `${records.join('\n')}\n`)
      const cli = (args) => runTimed(process.execPath, [CLI, ...args], { cwd: project, allowFailure: true })

      const before = JSON.parse((await cli(['validate', '--format', 'json', 'recorded.ndjson'])).stdout).summary
      log(`before: ${before.valid} of ${before.checked} records valid`)
      // A learn run is tens of seconds of ajv compiles: three alternating runs, no warm-up round.
      const runs = quick ? 1 : 3
      log(`learn and validate, ${runs} runs each (learn starts from the one-sample files every run)`)
      const result = await alternate(
        {
          learn: async () => {
            reset()
            const run = await cli(['learn', 'recorded.ndjson'])
            if (run.code !== 0) throw new Error(`learn exited with ${run.code}:\n${run.stdout}\n${run.stderr}`)
          },
          validate: () => cli(['validate', 'recorded.ndjson']),
        },
        { runs, warmup: 0 },
      )
      // The files as the last learn left them.
      const after = JSON.parse((await cli(['validate', '--format', 'json', 'recorded.ndjson'])).stdout).summary
      const checked = await cli(['check'])
      const perEvent = selected.map(([kind, payloads]) => {
        const file = `events/${kind}.yaml`
        const text = readFileSync(join(project, file), 'utf8')
        return {
          kind,
          records: payloads.length,
          examples: (parse(text).examples ?? []).length,
          bytes: Buffer.byteLength(text) - Buffer.byteLength(files.get(file)),
        }
      })
      const examples = perEvent.map((e) => e.examples)
      const bytes = perEvent.map((e) => e.bytes)
      const sum = (list) => list.reduce((a, b) => a + b, 0)
      const widened = perEvent.filter((e) => e.examples > 0).length
      log(`examples per event: ${perEvent.map((e) => `${e.kind} ${e.examples}/${e.records}`).join(', ')}`)
      const originalBytes = sum([...files.values()].map((t) => Buffer.byteLength(t)))
      return [
        timeRatio({
          stage: STAGE,
          case: `${what}: learn (redacted), whole CLI run`,
          ours: { label: 'learn', ms: result.learn.median },
          baseline: { label: 'validate, same records', ms: result.validate.median },
        }),
        absolute({
          stage: STAGE,
          case: `${what}: acceptance before learning (one sample per kind)`,
          ours: {
            label: 'valid',
            value: before.valid / before.checked,
            text: `${before.valid}/${before.checked} = ${percent(before.valid / before.checked)}`,
          },
        }),
        absolute({
          stage: STAGE,
          case: `${what}: examples added (total; per event median / max; events widened)`,
          ours: {
            label: 'examples',
            value: sum(examples),
            text: `${sum(examples)} for ${records.length - before.valid} invalid records; median ${median(examples)} / max ${Math.max(...examples)}; ${widened} of ${perEvent.length} events`,
          },
        }),
        absolute({
          stage: STAGE,
          case: `${what}: YAML bytes added (total; per event median / max)`,
          ours: {
            label: 'bytes',
            value: sum(bytes),
            text: `${kb(sum(bytes))} on ${kb(originalBytes)} of one-sample files; median ${kb(median(bytes))} / max ${kb(Math.max(...bytes))}`,
          },
        }),
        check({
          stage: STAGE,
          case: `${what}: every record valid afterwards, and check passes`,
          ok: after.valid === after.checked && checked.code === 0,
          detail: `${after.valid}/${after.checked} valid (${percent(after.valid / after.checked)}); check exit ${checked.code}`,
        }),
      ]
    } finally {
      removeProject(project)
    }
  },
  missed: 'a record learn could not fold in (refused by an override, or a YAML round-trip failure) is named in its output',
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function percent(ratio) {
  return `${(ratio * 100).toFixed(1)}%`
}

function kb(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`
}
