import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { compileDefinitions, resolveConfig } from 'refold-events'
import { corpusGroups, readCorpus } from '/work/wt/infer-policy/bench/lib/corpus.mjs'
const kinds = corpusGroups(readCorpus().filter((e) => e.path.startsWith('github-webhooks/'))).filter((g) => g.samples.length > 1)
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateSchema: false, ownProperties: true }); addFormats(ajv)
const inf = { ...resolveConfig({}, '/', null).inference, ...JSON.parse(process.argv[2] ?? '{}') }
const seen = new Map()
for (const k of kinds) for (let i = 0; i < k.samples.length; i++) {
  const train = process.argv[3] === 'loo' ? k.samples.filter((_, j) => j !== i) : [k.samples[i]]
  const test = process.argv[3] === 'loo' ? [k.samples[i]] : k.samples.filter((_, j) => j !== i)
  const [s, ...ex] = train
  const c = await compileDefinitions([{ name: 'x', identifier: 'X', file: 'x', sample: s, examples: ex, renames: {}, allowBreaking: [], locations: {} }], inf)
  const { $id, ...sc } = c.events[0].schema
  const v = ajv.compile(sc)
  for (const p of test) if (!v(p)) for (const e of v.errors) {
    if (e.keyword === 'anyOf') continue
    const key = `${k.name} ${e.keyword} ${e.instancePath} ${e.keyword === 'format' ? JSON.stringify(e.data) : e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'type' ? JSON.stringify(e.data)?.slice(0, 40) + ' vs ' + e.params.type : ''}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  ajv.removeSchema(sc)
}
for (const [k, n] of [...seen].sort()) if (!process.argv[4] || k.includes(process.argv[4])) console.log(n, k)
