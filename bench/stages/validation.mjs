/**
 * Payload validation: every corpus payload made into an event, generated and built; then the
 * event's precompiled validator (its generated `events/<name>.validate.mts`, compiled by tsc) alone, against the same
 * validator run the way every generated helper runs it before sending: through the
 * runtime's `checkPayload` (dist/runtime/payload-validation.js), which is all the helper
 * adds to validation. Reports payloads per second; target: the helper's way adds under 5%.
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { readCorpus } from '../lib/corpus.mjs'
import { buildGenerated } from '../lib/generated-js.mjs'
import { alternate, formatRate } from '../lib/measure.mjs'
import { REPO_ROOT, removeProject } from '../lib/project.mjs'
import { absolute, timeRatio } from '../lib/rows.mjs'
import { syntheticEvents } from '../lib/synthetic.mjs'

export default {
  id: 'validation',
  title: 'payload validation',
  async run({ quick, log }) {
    const corpus = readCorpus()
    let events
    let what
    if (corpus === null) {
      log('corpus not found (test/corpus): synthetic payloads instead')
      events = syntheticEvents(quick ? 20 : 300, 3)
      what = `${events.length} synthetic payloads`
    } else {
      const entries = quick ? corpus.slice(0, 20) : corpus
      events = entries.map((entry) => ({ name: `corpus ${entry.path.replace(/\.json$/, '')}`, sample: entry.payload }))
      what = `${events.length} corpus payloads`
    }
    log(`generating and building validators for ${events.length} events`)
    const { project, module } = await buildGenerated(events)
    try {
      const { checkPayload } = await import(pathToFileURL(join(REPO_ROOT, 'dist/runtime/payload-validation.js')).href)
      const cases = events.map((event) => ({ name: event.name, payload: event.sample, validator: module.payloadValidators[event.name] }))
      if (cases.some((c) => typeof c.validator !== 'function')) throw new Error('a generated validator is missing')
      if (cases.some((c) => checkPayload(c.name, c.payload, c.validator) !== undefined)) throw new Error('a sample does not pass its own validator')
      const passes = quick ? 5 : 30
      const runs = quick ? 2 : 11
      let sink = 0
      const sides = {
        validator: () => {
          for (let p = 0; p < passes; p++) for (const c of cases) sink += c.validator(c.payload) ? 1 : 0
        },
        helper: () => {
          for (let p = 0; p < passes; p++) for (const c of cases) sink += checkPayload(c.name, c.payload, c.validator) === undefined ? 1 : 0
        },
      }
      log(`${passes} passes over ${cases.length} payloads x ${runs} runs per side`)
      const result = await alternate(sides, { runs, warmup: 2 })
      if (sink === 0) throw new Error('nothing validated')
      const rate = (side) => ((passes * cases.length) / result[side].median) * 1000
      return [
        absolute({
          stage: 'validation',
          case: `${what}: precompiled validator alone, payloads/s (one core)`,
          ours: { label: 'validator', value: rate('validator'), text: formatRate(rate('validator')) },
        }),
        timeRatio({
          stage: 'validation',
          case: `${what}: as the helper runs it (checkPayload)`,
          ours: { label: 'checkPayload', ms: result.helper.median },
          baseline: { label: 'validator alone', ms: result.validator.median },
          max: 1.05,
        }),
      ]
    } finally {
      removeProject(project)
    }
  },
}
