/**
 * Payload validation: every corpus payload made into an event, generated and built; then the
 * event's precompiled validator (its generated `events/<name>.validate.mts`, compiled by tsc) alone, against the same
 * validator run the way every generated helper runs it before sending: through the
 * runtime's `checkPayload` (dist/runtime/payload-validation.js), which is all the helper
 * adds to validation. Reports payloads per second; target: the helper's way adds under 5%.
 *
 * Compact validators (issue 11, what `generate` now writes): validator bytes per event against
 * the event's schema bytes (bench/lib/validator-sizes.mjs), median and worst, for compact and
 * for ajv standalone (the emitter before, still the fallback); target: compact at most 2x.
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { readCorpus } from '../lib/corpus.mjs'
import { buildGenerated } from '../lib/generated-js.mjs'
import { alternate, formatRate } from '../lib/measure.mjs'
import { REPO_ROOT, removeProject } from '../lib/project.mjs'
import { absolute, timeRatio } from '../lib/rows.mjs'
import { medianAndWorst, validatorSizes } from '../lib/validator-sizes.mjs'
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
      const cases = events.map((event) => ({
        name: event.name,
        payload: event.sample,
        validator: module.payloadValidators[event.name],
      }))
      if (cases.some((c) => typeof c.validator !== 'function')) throw new Error('a generated validator is missing')
      if (cases.some((c) => checkPayload(c.name, c.payload, c.validator) !== undefined))
        throw new Error('a sample does not pass its own validator')
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
        ...(corpus === null ? [] : await sizeRows(quick ? corpus.slice(0, 20) : corpus, log)),
      ]
    } finally {
      removeProject(project)
    }
  },
}

/** Validator bytes / schema bytes per corpus event: compact (target <= 2x) and ajv standalone (before). */
async function sizeRows(entries, log) {
  log(`validator sizes: ${entries.length} corpus payloads as events, plus one event per kind`)
  const rows = await validatorSizes(entries)
  const covered = rows.filter((row) => row.compact !== null)
  const compact = medianAndWorst(covered, (row) => row.compact / row.schema)
  const ajv = medianAndWorst(rows, (row) => row.ajv / row.schema)
  const x = (ratio) => `${ratio.toFixed(2)}x`
  const what = `${rows.length} corpus events (per payload and per kind): validator bytes / schema file bytes`
  const row = (label, ours, baseline, judged) => ({
    stage: 'validation',
    case: `${what}, ${label}`,
    measured: `compact ${x(ours.value)}${ours.event ? ` (${ours.event})` : ''}`,
    baseline: `ajv standalone ${x(baseline)}`,
    ratio: x(ours.value / baseline),
    figure: x(ours.value),
    value: ours.value,
    target: judged ? '<= 2.00x' : 'report',
    met: judged ? ours.value <= 2 : null,
  })
  return [
    row('median', { value: compact.median }, ajv.median, true),
    row('worst', { value: compact.worst.value, event: compact.worst.row.name }, ajv.worst.value, true),
    {
      stage: 'validation',
      case: `${what}, events the compact form covers`,
      measured: `${covered.length} of ${rows.length}`,
      baseline: '-',
      ratio: '-',
      figure: `${covered.length} of ${rows.length}`,
      value: covered.length / rows.length,
      target: 'report',
      met: null,
    },
  ]
}
