/**
 * `learn` over the real corpus (full tier: minutes of ajv compiles): one event per GitHub
 * kind defined from its first payload, every payload of every kind learned. Afterwards every
 * record validates against the files as written (read back by the loader, compiled by the
 * project's compiler), and no event needs more examples than it had invalid records.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import { checkRecords } from '../../src/learn/check-records.js'
import { planLearn } from '../../src/learn/plan-learn.js'
import type { PayloadRecord } from '../../src/learn/payload-records.js'
import type { EventDefinition, JsonObject } from '../../src/types.js'
import { CORPUS_DIR } from '../support/corpus.js'

/** The project's default policy, so the test follows it. */
const INFERENCE = DEFAULT_INFER_OPTIONS

describe('learn on the corpus', () => {
  it('makes every GitHub payload valid with fewer examples than records', { timeout: 600_000 }, async () => {
    const root = join(CORPUS_DIR, 'github-webhooks')
    const definitions: EventDefinition[] = []
    const texts = new Map<string, string>()
    const records: PayloadRecord[] = []
    for (const kind of readdirSync(root).sort()) {
      const payloads = readdirSync(join(root, kind))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(root, kind, f), 'utf8')) as JsonObject)
      const file = `events/${kind}.yaml`
      const text = stringify({ name: `GitHub ${kind}`, sample: payloads[0] }, { lineWidth: 0 })
      const parsed = await parseEventFile(text, file)
      expect(
        parsed.diagnostics.filter((d) => d.severity === 'error'),
        file,
      ).toEqual([])
      definitions.push(parsed.definition!)
      texts.set(file, text)
      for (const payload of payloads)
        records.push({ file: 'corpus.ndjson', line: records.length + 1, column: 1, event: `GitHub ${kind}`, payload })
    }

    const plan = await planLearn({ definitions, texts, records, inference: INFERENCE, keepValues: false })
    expect(plan.unknown).toEqual([])
    expect(plan.events.flatMap((e) => e.refused)).toEqual([])
    for (const event of plan.events) {
      const invalidBefore = event.records - event.alreadyValid
      expect(event.added.length, event.name).toBeLessThanOrEqual(invalidBefore)
    }

    const written = new Map(texts)
    for (const write of plan.writes) written.set(write.file, write.text)
    const reloaded: EventDefinition[] = []
    for (const [file, text] of written) reloaded.push((await parseEventFile(text, file)).definition!)
    const compiled = await compileDefinitions(reloaded, INFERENCE)
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const report = await checkRecords(records, compiled.events)
    expect(report.summary.invalid).toBe(0)
    expect(report.summary.valid).toBe(records.length)
  })
})
