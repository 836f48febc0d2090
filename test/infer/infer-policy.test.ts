/**
 * Inference policy (issue 10): paths that may be null or absent, their syntax and problems,
 * numbers written as decimals, and warnings whose proposed override comes from the evidence.
 */
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { formatPolicyPath, ITEMS, parsePolicyPath } from '../../src/infer/policy-paths.js'
import type { JsonObject, JsonSchema, JsonValue } from '../../src/types.js'
import { compileValidator, validationErrors } from './validator.js'

const issue = {
  action: 'opened',
  issue: { number: 1, milestone: { id: 7, title: 'v1' }, body: 'text', labels: [{ name: 'bug', color: 'f00' }] },
  changes: { title: { from: 'old' } },
}

function infer(samples: JsonValue[], options?: Parameters<typeof inferSchema>[1]) {
  const result = inferSchema(samples, options)
  for (const sample of samples) expect(compileValidator(result.schema)(sample)).toEqual([])
  return result
}

describe('nullable and optional paths', () => {
  it('adds null to a place whose samples all had a value, objects and items included', () => {
    const { schema, policyProblems } = infer([issue], { nullable: ['issue.milestone', 'issue.body', 'issue.labels[].color'] })
    expect(policyProblems).toEqual([])
    const milestone = schema.properties?.['issue']?.properties?.['milestone']
    expect(milestone?.type).toEqual(['object', 'null'])
    expect(milestone?.properties).toEqual({ id: { type: 'integer' }, title: { type: 'string' } })
    expect(schema.properties?.['issue']?.properties?.['body']).toEqual({ type: ['string', 'null'] })
    const real = { ...issue, issue: { ...issue.issue, milestone: null, body: null, labels: [{ name: 'x', color: null }] } }
    expect(validationErrors(schema, real)).toEqual([])
    // Without the policy the same payload is rejected.
    expect(validationErrors(inferSchema([issue]).schema, real)).not.toEqual([])
  })

  it('makes a place optional although every sample has it, and keeps the rest required', () => {
    const { schema } = infer([issue, issue], { optional: ['changes', 'issue.labels[].color'] })
    expect(schema.required).toEqual(['action', 'issue'])
    expect(schema.properties?.['issue']?.properties?.['labels']?.items?.required).toEqual(['name'])
    expect(validationErrors(schema, { action: 'closed', issue: { ...issue.issue, labels: [{ name: 'bug' }] } })).toEqual([])
  })

  it('reports entries that name no place, with a did you mean, and entries that do not parse', () => {
    const { policyProblems } = inferSchema([issue], {
      nullable: ['issue.milestone', 'issue.milestnoe', 'issue.labels.name', 'issue..body'],
      optional: ['chnages', 'action[]', '[]'],
    })
    expect(policyProblems).toEqual([
      {
        list: 'nullable',
        index: 1,
        message: 'nullable: "issue.milestnoe" names no field of the samples: `issue` has no field "milestnoe" (did you mean "milestone"?)',
      },
      {
        list: 'nullable',
        index: 2,
        message: 'nullable: "issue.labels.name" names no field of the samples: `issue.labels` has no fields in any sample',
      },
      { list: 'nullable', index: 3, message: 'nullable: "issue..body" has an empty field name (two dots, or a leading dot)' },
      {
        list: 'optional',
        index: 0,
        message: 'optional: "chnages" names no field of the samples: the payload has no field "chnages" (did you mean "changes"?)',
      },
      {
        list: 'optional',
        index: 1,
        message: 'optional: "action[]" names no field of the samples: `action` is not an array with items in any sample',
      },
      {
        list: 'optional',
        index: 2,
        message: 'optional: "[]" starts with `[]`, but the payload is an object; expected a field name first (`items[]`)',
      },
    ])
  })

  it('parses the documented path syntax and prints it back', () => {
    expect(parsePolicyPath('items[].price')).toEqual(['items', ITEMS, 'price'])
    expect(parsePolicyPath('matrix[][]')).toEqual(['matrix', ITEMS, ITEMS])
    expect(parsePolicyPath('["first name"].a')).toEqual(['first name', 'a'])
    expect(parsePolicyPath('a["b.c"]')).toEqual(['a', 'b.c'])
    for (const bad of ['', 'a.', '.a', 'a[0]', 'a]', 'a["b"', 'a[]b']) expect(typeof parsePolicyPath(bad)).toBe('string')
    for (const text of ['items[].price', '["first name"].a', 'a["b.c"][]'])
      expect(formatPolicyPath(parsePolicyPath(text) as never)).toBe(text)
    const { schema } = infer([{ 'first name': 'Jane', 'a.b': 1 }], { nullable: ['["first name"]', '["a.b"]'] })
    expect(schema.properties?.['a.b']).toEqual({ type: ['integer', 'null'] })
  })
})

describe('numbers written with a decimal point', () => {
  it('infers number where the loader saw 100.00, in objects and arrays, and integer elsewhere', () => {
    const sample: JsonObject = { subtotal: 100, count: 3, prices: [5, 7] }
    const facts = new Map<object, Set<string>>([
      [sample, new Set(['subtotal'])],
      [sample['prices'] as object, new Set(['1'])],
    ])
    const { schema } = infer([sample], { decimals: facts })
    expect(schema.properties?.['subtotal']).toEqual({ type: 'number' })
    expect(schema.properties?.['count']).toEqual({ type: 'integer' })
    expect(schema.properties?.['prices']?.items).toEqual({ type: 'number' })
    expect(validationErrors(schema, { subtotal: 99.95, count: 3, prices: [1.5] })).toEqual([])
    expect(inferSchema([sample]).schema.properties?.['subtotal']).toEqual({ type: 'integer' })
  })
})

describe('warnings propose an override from the evidence', () => {
  function proposed(message: string): JsonSchema {
    const example = /`(schema: .*)`\.$/.exec(message)?.[1]
    if (example === undefined) throw new Error(`no example in: ${message}`)
    return (parseYaml(example) as { schema: JsonSchema }).schema
  }

  it('proposes the type a same-named field holds elsewhere in the payload', () => {
    const { warnings } = inferSchema([{ pull_request: { milestone: { id: 1 } }, issue: { milestone: null, closed_at: null } }])
    expect(warnings.map((w) => w.path)).toEqual(['/issue/milestone', '/issue/closed_at'])
    expect(warnings[0]?.message).toContain('`pull_request.milestone` holds an object')
    expect(proposed(warnings[0]!.message).properties?.['issue']?.properties?.['milestone']).toEqual({ type: ['object', 'null'] })
    // No evidence: text, as before.
    expect(proposed(warnings[1]!.message).properties?.['issue']?.properties?.['closed_at']).toEqual({ type: ['string', 'null'] })
  })

  it('proposes item types from a same-named array that has items', () => {
    const { warnings } = inferSchema([{ a: { labels: [{ name: 'x' }] }, b: { labels: [] } }])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain('`a.labels` holds items of an object')
    expect(proposed(warnings[0]!.message).properties?.['b']?.properties?.['labels']).toEqual({ items: { type: 'object' } })
  })
})
