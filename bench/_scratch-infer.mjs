import { inferSchema } from 'refold-events'
import { createSchema } from 'genson-js'
import { readCorpus } from './lib/corpus.mjs'
const payloads = readCorpus().map((e) => e.payload)
for (let r = 0; r < 60; r++) { for (const p of payloads) inferSchema([p]) }
const t0 = performance.now(); for (let r = 0; r < 20; r++) for (const p of payloads) inferSchema([p]); const a = performance.now() - t0
const t1 = performance.now(); for (let r = 0; r < 20; r++) for (const p of payloads) createSchema(p); const b = performance.now() - t1
console.log('ours', (a / 20).toFixed(1), 'genson', (b / 20).toFixed(1))
