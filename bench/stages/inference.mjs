/**
 * Inference: `inferSchema` against genson-js (the fastest peer; infers no formats) and
 * quicktype-core (JSON Schema output), on every corpus payload, on the corpus grouped by
 * event kind (multi-sample), and on 1,000 synthetic payloads. Ours infers formats
 * (date-time, date, email, uri, uuid) throughout, so it does strictly more work than genson.
 */
import { createCompoundSchema, createSchema } from 'genson-js'
import { InputData, jsonInputForTargetLanguage, quicktype } from 'quicktype-core'
import { inferSchema } from 'refold-events'
import { corpusGroups, readCorpus } from '../lib/corpus.mjs'
import { alternate } from '../lib/measure.mjs'
import { speedup, timeRatio } from '../lib/rows.mjs'
import { syntheticPayloads } from '../lib/synthetic.mjs'

export default {
  id: 'inference',
  title: 'Schema inference',
  async run({ quick, log }) {
    const runs = quick ? 2 : 15
    const slowRuns = quick ? 1 : 3
    const rows = []
    const corpus = readCorpus()
    const sets = []
    if (corpus === null) log('corpus not found (test/corpus): corpus cases skipped')
    else {
      const entries = quick ? corpus.slice(0, 30) : corpus
      sets.push({ name: `corpus, each payload (${entries.length})`, groups: entries.map((e) => [e.payload]), quicktype: true })
      const groups = corpusGroups(entries).filter((g) => g.samples.length > 1)
      const samples = groups.reduce((n, g) => n + g.samples.length, 0)
      sets.push({
        name: `corpus, variants per kind (${groups.length} kinds, ${samples} payloads)`,
        groups: groups.map((g) => g.samples),
        quicktype: false,
      })
    }
    const synthetic = syntheticPayloads(quick ? 100 : 1000)
    sets.push({ name: `synthetic, each payload (${synthetic.length})`, groups: synthetic.map((p) => [p]), quicktype: true })

    for (const set of sets) {
      log(`${set.name}: inferSchema vs genson-js, ${runs} runs`)
      const ours = () => {
        for (const samples of set.groups) inferSchema(samples)
      }
      const genson = () => {
        for (const samples of set.groups) samples.length === 1 ? createSchema(samples[0]) : createCompoundSchema(samples)
      }
      const fast = await alternate({ ours, genson }, { runs })
      rows.push(
        timeRatio({
          stage: 'inference',
          case: set.name,
          ours: { label: 'inferSchema', ms: fast.ours.median },
          baseline: { label: 'genson-js', ms: fast.genson.median },
          max: 1,
          target: '< 1x genson-js (with formats)',
        }),
      )
      if (!set.quicktype) continue
      log(`${set.name}: inferSchema vs quicktype-core, ${slowRuns} runs`)
      const texts = set.groups.map((samples) => samples.map((s) => JSON.stringify(s)))
      const slow = await alternate({ ours, quicktype: () => quicktypeAll(texts) }, { runs: slowRuns, warmup: quick ? 0 : 1 })
      rows.push(
        speedup({
          stage: 'inference',
          case: set.name,
          ours: { label: 'inferSchema', ms: slow.ours.median },
          baseline: { label: 'quicktype-core', ms: slow.quicktype.median },
          min: 15,
        }),
      )
    }
    return rows
  },
}

/** quicktype's JSON Schema output for each group of samples (JSON text, as quicktype reads it). */
async function quicktypeAll(texts) {
  for (const samples of texts) {
    const input = jsonInputForTargetLanguage('schema')
    await input.addSource({ name: 'Payload', samples })
    const inputData = new InputData()
    inputData.addInput(input)
    await quicktype({ inputData, lang: 'schema' })
  }
}
