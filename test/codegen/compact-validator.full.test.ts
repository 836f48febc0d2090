/**
 * Compact validators against ajv as the oracle at corpus scale (full tier): schemas inferred
 * per GitHub event kind (objects closed and open) and per payload, each checked on every
 * real payload of the corpus and on edited copies of them; then many more fuzzed schemas and
 * payloads than the fast tier runs. Every validator here is compiled by the real `tsc`
 * (strict options) and imported from its output. Verdicts and failing JSON Pointer paths
 * (as the runtime reports them) must be equal.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { emitCompactValidator } from '../../src/codegen/compact-validator.js'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { PayloadValidator } from '../../src/runtime/payload-validation.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { CORPUS_DIR } from '../support/corpus.js'
import { fuzzSchema, payloadNear } from './compact-arbitraries.js'
import { createOracle, loadCompactValidators, outcome } from './compact-support.js'

interface Entry {
  group: string
  payload: JsonValue
}

function readCorpus(): Entry[] {
  const entries: Entry[] = []
  for (const file of readdirSync(join(CORPUS_DIR, 'stripe'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    entries.push({ group: `stripe/${file}`, payload: JSON.parse(readFileSync(join(CORPUS_DIR, 'stripe', file), 'utf8')) })
  }
  const github = join(CORPUS_DIR, 'github-webhooks')
  for (const kind of readdirSync(github).sort()) {
    for (const file of readdirSync(join(github, kind))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      entries.push({ group: `github/${kind}`, payload: JSON.parse(readFileSync(join(github, kind, file), 'utf8')) })
    }
  }
  return entries
}

interface Case {
  name: string
  schema: JsonSchema
  /** Payloads to compare on. */
  payloads: JsonValue[]
}

describe('compact validators on the corpus, against ajv', () => {
  const corpus = readCorpus()
  const everything = corpus.map((entry) => entry.payload)
  const cases: Case[] = []
  let validators: Array<PayloadValidator | undefined>
  const oracle = createOracle()

  beforeAll(async () => {
    const kinds = [...new Set(corpus.filter((e) => e.group.startsWith('github/')).map((e) => e.group))]
    for (const kind of kinds) {
      const samples = corpus.filter((e) => e.group === kind).map((e) => e.payload)
      const edited = samples.flatMap((sample, i) => fc.sample(payloadNear(sample), { numRuns: 10, seed: 1100 + i }))
      for (const closedObjects of [true, false]) {
        cases.push({
          name: `${kind} (${closedObjects ? 'closed' : 'open'})`,
          schema: inferSchema(samples, { closedObjects }).schema,
          payloads: [...everything, ...edited],
        })
      }
    }
    corpus.forEach((entry, i) => {
      const own = corpus.filter((e) => e.group === entry.group).map((e) => e.payload)
      // Its own kind, a spread of the others, and edited copies of itself.
      const others = everything.filter((_, j) => j % 17 === i % 17)
      const edited = fc.sample(payloadNear(entry.payload), { numRuns: 10, seed: i })
      cases.push({ name: `${entry.group} #${i}`, schema: inferSchema([entry.payload]).schema, payloads: [...own, ...others, ...edited] })
    })
    validators = await loadCompactValidators(
      cases.map((c) => c.schema),
      { tsc: true },
    )
  }, 600_000)

  it('covers every inferred corpus schema, with validators at most 2x the bytes of the schema', () => {
    expect(cases.length).toBeGreaterThanOrEqual(430)
    expect(cases.filter((_, i) => validators[i] === undefined).map((c) => c.name)).toEqual([])
    const ratios = cases.map(
      (c) =>
        Buffer.byteLength(emitCompactValidator(c.schema, { exportName: 'validate' })!.code) /
        Buffer.byteLength(JSON.stringify(c.schema, null, 2)),
    )
    expect(Math.max(...ratios)).toBeLessThanOrEqual(2)
  })

  it('gives the verdict and failing paths ajv gives, on every corpus payload and edited copies', () => {
    let compared = 0
    let invalid = 0
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const expected = oracle.compile(c.schema) as unknown as PayloadValidator
      oracle.removeSchema(c.schema)
      for (const payload of c.payloads) {
        const want = outcome(expected, payload)
        const got = outcome(validators[i]!, payload)
        compared++
        if (!want.valid) invalid++
        if (JSON.stringify(got) !== JSON.stringify(want) && mismatches.length < 5)
          mismatches.push(`${c.name}: ajv ${JSON.stringify(want)}, compact ${JSON.stringify(got)}`)
      }
    })
    expect(mismatches).toEqual([])
    expect(invalid).toBeGreaterThan(compared / 4)
    console.log(`compact vs ajv on the corpus: ${compared} comparisons over ${cases.length} schemas, ${invalid} invalid`)
  }, 600_000)
})

describe('compact validators on fuzzed schemas and payloads, against ajv', () => {
  it('agree on 400 schemas x 1,000 payloads near them', async () => {
    const cases = fc.sample(fuzzSchema, { numRuns: 400, seed: 2211 })
    const validators = await loadCompactValidators(
      cases.map((c) => c.schema),
      { tsc: true },
    )
    const oracle = createOracle()
    const oracles = cases.map((c) => oracle.compile(c.schema) as unknown as PayloadValidator)
    expect(validators.filter((v) => v !== undefined).length / cases.length).toBeGreaterThan(0.85)
    const compared = fc
      .integer({ min: 0, max: cases.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), payloadNear(cases[i]!.samples[0]!)))
    fc.assert(
      fc.property(compared, ([i, payload]) => {
        if (validators[i] === undefined) return
        expect(outcome(validators[i]!, payload), JSON.stringify({ schema: cases[i]!.schema, payload })).toEqual(
          outcome(oracles[i]!, payload),
        )
      }),
      { numRuns: 1000, seed: 2212 },
    )
  }, 600_000)
})
