/**
 * Sharing repeated subschemas between validators must not change a single validation
 * result: checked as a law over real payloads (every GitHub payload of the corpus against
 * every GitHub event kind's schema, with and without sharing), plus the rules of what may
 * be shared; and what the validator schema keeps.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractSharedSubschemas, SHARED_SCHEMA_ID } from '../../src/codegen/shared-subschemas.js'
import { validatorSchema } from '../../src/codegen/validator-schema.js'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { CORPUS_DIR } from '../support/corpus.js'

const address: JsonSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, zip: { type: 'string' } },
  additionalProperties: false,
}

describe('extractSharedSubschemas', () => {
  it('shares an object schema that repeats across events, by reference', () => {
    const a: JsonSchema = { type: 'object', properties: { home: address, work: address, n: { type: 'number' } } }
    const b: JsonSchema = { type: 'object', properties: { list: { type: 'array', items: address } } }
    const { schemas, shared } = extractSharedSubschemas([a, b])
    expect(shared).toEqual({ s0: address })
    const ref = { $ref: `${SHARED_SCHEMA_ID}#/$defs/s0` }
    expect(schemas[0]).toEqual({ type: 'object', properties: { home: ref, work: ref, n: { type: 'number' } } })
    expect(schemas[1]).toEqual({ type: 'object', properties: { list: { type: 'array', items: ref } } })
  })

  it('leaves alone what occurs once, small objects, applicator branches and place-dependent schemas', () => {
    const small: JsonSchema = { type: 'object', properties: { a: { type: 'string' } } }
    const branchy: JsonSchema = { type: 'object', properties: { x: { anyOf: [address, { type: 'null' }] }, s: small, t: small } }
    const withRef: JsonSchema = { type: 'object', properties: { p: address, q: { $ref: '#/$defs/d' } }, $defs: { d: { type: 'string' } } }
    const once: JsonSchema = { type: 'object', properties: { only: address } }
    const { schemas, shared } = extractSharedSubschemas([branchy, withRef, once])
    expect(shared).toEqual({})
    expect(schemas).toEqual([branchy, withRef, once])
  })
})

describe('validation with shared subschemas', () => {
  it('gives the same result and the same failing paths as without, on every corpus payload', async () => {
    const github = join(CORPUS_DIR, 'github-webhooks')
    const kinds = readdirSync(github).sort()
    const payloads: JsonValue[] = []
    const schemas: JsonSchema[] = []
    for (const kind of kinds) {
      const ofKind = readdirSync(join(github, kind))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(github, kind, f), 'utf8')) as JsonValue)
      payloads.push(...ofKind)
      schemas.push(inferSchema(ofKind).schema)
    }
    const { schemas: rewritten, shared } = extractSharedSubschemas(schemas)
    expect(Object.keys(shared).length).toBeGreaterThan(10)

    const Ajv2020 = (await import('ajv/dist/2020.js')).default.default
    const addFormats = (await import('ajv-formats')).default.default
    const plain = new Ajv2020({ allErrors: true, strict: false })
    const sharing = new Ajv2020({ allErrors: true, strict: false, inlineRefs: false })
    addFormats(plain)
    addFormats(sharing)
    sharing.addSchema({ $id: SHARED_SCHEMA_ID, $defs: shared })
    const outcome = (
      validate: (data: unknown) => boolean,
      errors: () => { instancePath: string; keyword: string }[] | null | undefined,
      payload: JsonValue,
    ) => (validate(payload) ? 'valid' : [...new Set((errors() ?? []).map((e) => `${e.instancePath} ${e.keyword}`))].sort().join('\n'))

    let compared = 0
    let invalid = 0
    schemas.forEach((schema, i) => {
      const a = plain.compile(schema)
      const b = sharing.compile(rewritten[i]!)
      for (const payload of payloads) {
        const expected = outcome(a, () => a.errors, payload)
        expect(outcome(b, () => b.errors, payload)).toBe(expected)
        compared++
        if (expected !== 'valid') invalid++
      }
    })
    // Most payloads fail other kinds' schemas: the law is exercised on errors, not only on successes.
    expect(compared).toBe(kinds.length * payloads.length)
    expect(invalid).toBeGreaterThan(compared / 2)
  }, 120_000)
})

describe('validatorSchema', () => {
  it('drops annotations at every level, keeping properties named like them and data values', () => {
    const schema: JsonSchema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'x.schema.json',
      title: 'XPayload',
      description: 'root',
      type: 'object',
      properties: {
        description: { type: 'string', description: 'a field called description', examples: ['a'] },
        kind: { enum: [{ title: 'data, not a keyword' }], default: { title: 'x' } },
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'number', deprecated: true } }, $comment: 'c' } },
      },
      anyOf: [{ required: ['kind'], title: 't' }, { required: ['list'] }],
    }
    expect(validatorSchema(schema)).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        kind: { enum: [{ title: 'data, not a keyword' }] },
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'number' } } } },
      },
      anyOf: [{ required: ['kind'] }, { required: ['list'] }],
    })
  })
})
