/**
 * Inference on real payloads written by others (`test/corpus`):
 * every payload validates against the schema inferred from it alone; for every GitHub
 * event kind (a folder of payload variants), one schema inferred from all of them
 * validates each. Counts are logged and asserted against the files found, so an empty
 * or moved corpus fails instead of passing silently.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { compileValidator, validationErrors } from './validator.js'
import { CORPUS_DIR } from '../support/corpus.js'

const corpusDir = CORPUS_DIR
const githubDir = join(corpusDir, 'github-webhooks')

interface Payload {
  file: string
  value: JsonValue
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .sort()
}

function load(file: string): Payload {
  return { file: relative(corpusDir, file), value: JSON.parse(readFileSync(file, 'utf8')) as JsonValue }
}

describe('real-world corpus', () => {
  let payloads: Payload[] = []
  let kinds: Array<{ kind: string; payloads: Payload[] }> = []

  beforeAll(() => {
    payloads = jsonFilesUnder(corpusDir).map(load)
    kinds = readdirSync(githubDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((kind) => ({ kind, payloads: jsonFilesUnder(join(githubDir, kind)).map(load) }))
  })

  it('finds the corpus', () => {
    expect(payloads.length, `no payloads under ${corpusDir}`).toBeGreaterThan(0)
    expect(kinds.length, `no event kinds under ${githubDir}`).toBeGreaterThan(0)
    for (const { kind, payloads: ofKind } of kinds) expect(ofKind.length, kind).toBeGreaterThan(0)
  })

  it('validates every payload against the schema inferred from it', () => {
    const started = performance.now()
    const schemas = payloads.map((payload) => inferSchema([payload.value]).schema)
    const inferMs = performance.now() - started
    let validated = 0
    for (const [index, payload] of payloads.entries()) {
      expect(validationErrors(schemas[index] ?? {}, payload.value), payload.file).toEqual([])
      validated++
    }
    console.info(
      `corpus: ${validated}/${payloads.length} payloads validated against their own schema (inferred in ${inferMs.toFixed(1)} ms)`,
    )
    expect(validated).toBe(payloads.length)
  })

  it('validates every payload of a GitHub event kind against one schema inferred from all of them', () => {
    let kindsValidated = 0
    let payloadsValidated = 0
    let warnings = 0
    const started = performance.now()
    const results = kinds.map(({ payloads: ofKind }) => inferSchema(ofKind.map((payload) => payload.value)))
    const inferMs = performance.now() - started
    for (const [index, { kind, payloads: ofKind }] of kinds.entries()) {
      const result = results[index]
      if (result === undefined) throw new Error(`no schema for ${kind}`)
      warnings += result.warnings.length
      const check = compileValidator(result.schema)
      for (const payload of ofKind) {
        expect(check(payload.value), payload.file).toEqual([])
        payloadsValidated++
      }
      kindsValidated++
    }
    const expectedPayloads = kinds.reduce((sum, kind) => sum + kind.payloads.length, 0)
    console.info(
      `corpus: ${kindsValidated}/${kinds.length} GitHub event kinds, ${payloadsValidated} payloads validated against their kind's schema ` +
        `(inferred in ${inferMs.toFixed(1)} ms, ${warnings} warnings)`,
    )
    expect(kindsValidated).toBe(kinds.length)
    expect(payloadsValidated).toBe(expectedPayloads)
  })

  it('validates the whole corpus against one schema inferred from all of it', () => {
    const values = payloads.map((payload) => payload.value)
    const started = performance.now()
    const { schema } = inferSchema(values)
    const inferMs = performance.now() - started
    const check = compileValidator(schema)
    for (const payload of payloads) expect(check(payload.value), payload.file).toEqual([])
    console.info(`corpus: ${payloads.length} payloads validated against one schema of them all (inferred in ${inferMs.toFixed(1)} ms)`)
  })

  it('finds the formats and types real payloads use', () => {
    const comments = kinds.find((kind) => kind.kind === 'issue_comment')?.payloads ?? []
    expect(comments.length).toBeGreaterThan(1)
    const { schema } = inferSchema(comments.map((payload) => payload.value))
    const at = (...keys: string[]) => keys.reduce<JsonSchema | undefined>((node, key) => node?.properties?.[key], schema)
    expect(at('issue', 'created_at')).toEqual({ type: 'string', format: 'date-time' })
    // uri is inferred only when a policy asks for it (validators disagree about it).
    expect(at('sender', 'avatar_url')).toEqual({ type: 'string' })
    const everyFormat = inferSchema(
      comments.map((payload) => payload.value),
      { formats: ['date-time', 'uri'] },
    ).schema
    expect(everyFormat.properties?.['sender']?.properties?.['avatar_url']).toEqual({ type: 'string', format: 'uri' })
    expect(at('sender', 'node_id')).toEqual({ type: 'string' }) // base64-ish id: no format
    expect(at('comment', 'author_association')).toEqual({ type: 'string' }) // no guessed enum
    expect(at('issue', 'id')).toEqual({ type: 'integer' })
    expect(at('action')).toEqual({ type: 'string' })
    expect(schema.required).toContain('sender')
  })
})
