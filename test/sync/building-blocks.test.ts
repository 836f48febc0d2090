import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ApiKey } from '../../src/remote/api-key.js'
import { canonicalJson, fingerprint, canonicallyEqual } from '../../src/util/canonical-json.js'
import { decodeSample } from '../../src/wire/event-body.js'
import { findEventRenames } from '../../src/sync/plan/event-renames.js'
import { parsePlanFile, serializePlan } from '../../src/sync/plan/plan-file.js'
import { planSync } from '../../src/sync/plan/plan-sync.js'
import { nameSimilarity } from '../../src/sync/plan/rename-detection.js'
import { collectFields, fieldsFromVariables } from '../../src/sync/plan/trigger-fields.js'
import { formatPath, isWithin, parsePath } from '../../src/util/field-path.js'
import { findReferences } from '../../src/sync/plan/workflow-references.js'
import { compiled, input, int, nullable, obj, opt, str } from './fixtures.js'

describe('canonical JSON', () => {
  it('ignores key order at every depth, keeps array order', () => {
    expect(canonicallyEqual({ a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 })).toBe(true)
    expect(canonicallyEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false)
    expect(fingerprint({ x: 1, y: 2 })).toBe(fingerprint({ y: 2, x: 1 }))
  })

  it('keeps a "__proto__" key as data, so it still counts in comparisons', () => {
    const a = JSON.parse('{"__proto__": {"x": 1}}')
    const b = JSON.parse('{"__proto__": {"x": 2}}')
    expect(canonicalJson(a)).toBe('{"__proto__":{"x":1}}')
    expect(canonicallyEqual(a, b)).toBe(false)
  })
})

describe('trigger variables', () => {
  it('parses every path form to the same segments', () => {
    for (const text of ['items[].sku', 'items.0.sku', 'items[0].sku', 'items["sku"]'.replace('["sku"]', '[0]["sku"]')]) {
      expect(formatPath(parsePath(text))).toBe('items[].sku')
    }
    expect(parsePath('a["b.c"]')).toEqual(['a', 'b.c'])
    expect(isWithin('address.city', 'address')).toBe(true)
    expect(isWithin('addressee', 'address')).toBe(false)
    expect(isWithin('items[].sku', 'items')).toBe(true)
    expect(isWithin('anything', '')).toBe(true)
  })

  it('reads types, nullability, format and requirement through anyOf, with sample values', () => {
    const schema = obj({
      id: str('uuid'),
      note: opt(nullable(str())),
      value: { anyOf: [{ type: 'string' }, { type: 'object', properties: { amount: int() }, required: ['amount'] }, { type: 'null' }] },
    })
    const fields = collectFields(schema, { id: 'u', note: null, value: { amount: 3 } })
    expect([...fields.keys()]).toEqual(['id', 'note', 'value', 'value.amount'])
    expect(fields.get('id')).toMatchObject({ types: ['string'], format: 'uuid', required: true, nullable: false, sample: 'u' })
    expect(fields.get('note')).toMatchObject({ types: ['string'], nullable: true, required: false, sample: null })
    expect(fields.get('value')).toMatchObject({ types: ['object', 'string'], nullable: true })
    expect(fields.get('value.amount')).toMatchObject({ types: ['integer'], sample: 3 })
  })

  it("falls back to Refold's response list when only it is readable", () => {
    const fields = fieldsFromVariables([
      { key: 'prospect', type: 'object' },
      { key: 'prospect.email', type: 'text' },
    ])
    expect(fields.get('prospect')!.types).toEqual(['object'])
    expect(fields.get('prospect.email')!.types).toEqual([])
  })
})

describe('workflow references', () => {
  it('finds {{event...}} anywhere in a workflow, in every written form, exactly as written', () => {
    const workflow = {
      nodes: [
        { input_data: { text: 'Hi {{event.first_name}}, {{ event.address.city | upper }}!' } },
        { mapping: { '{{event.id}}': ['{{event.items[0].sku}}', '{{event}}', '{{ event["first name"] }}'] } },
        { text: '{{eventual.thing}} {{ events.x }} {{other.first_name}}' },
      ],
    }
    expect(findReferences(workflow)).toEqual([
      { path: 'first_name', text: '{{event.first_name}}' },
      { path: 'address.city', text: '{{ event.address.city | upper }}' },
      { path: 'id', text: '{{event.id}}' },
      { path: 'items[].sku', text: '{{event.items[0].sku}}' },
      { path: '', text: '{{event}}' },
      { path: 'first name', text: '{{ event["first name"] }}' },
    ])
  })
})

describe('rename evidence', () => {
  it('scores names', () => {
    expect(nameSimilarity('firstName', 'first_name')).toBe(3)
    expect(nameSimilarity('First-Name', 'first_name')).toBe(3)
    expect(nameSimilarity('phone', 'phone_number')).toBe(2)
    expect(nameSimilarity('adress', 'address')).toBe(1)
    expect(nameSimilarity('zip', 'tip')).toBe(0)
    expect(nameSimilarity('email', 'amount')).toBe(0)
  })

  it('pairs events by shared trigger variables only above the threshold', () => {
    const fields = (...paths: string[]) => collectFields(obj(Object.fromEntries(paths.map((p) => [p, str()]))), null)
    const pairs = findEventRenames(
      new Map([
        ['Old', fields('a', 'b', 'c', 'd')],
        ['Other', fields('x', 'y')],
      ]),
      new Map([
        ['New', fields('a', 'b', 'c', 'd', 'e')],
        ['Unrelated', fields('x', 'z', 'w')],
      ]),
    )
    expect(pairs).toEqual([{ from: 'Old', to: 'New', similarity: 0.8 }])
  })
})

describe('raw_response forms', () => {
  it('reads the payload form and the {event, payload} envelope, as a string or parsed', () => {
    expect(decodeSample('{"a":1}', 'E')).toEqual({ a: 1 })
    expect(decodeSample('{"event":"E","payload":{"a":1}}', 'E')).toEqual({ a: 1 })
    expect(decodeSample({ event: 'E', payload: { a: 1 } }, 'E')).toEqual({ a: 1 })
    // Only the envelope of this very event is unwrapped: a payload may have such fields itself.
    expect(decodeSample('{"event":"Other","payload":{"a":1}}', 'E')).toEqual({ event: 'Other', payload: { a: 1 } })
    expect(decodeSample('not json', 'E')).toBeNull()
    expect(decodeSample('[1,2]', 'E')).toBeNull()
  })
})

describe('saved plans', () => {
  it('round-trips, and refuses files that are not plans with the reason', () => {
    const plan = planSync(input({ local: [compiled('A', { a: 'x' }, obj({ a: str() }))] }))
    expect(parsePlanFile(serializePlan(plan), 'p.json')).toEqual(plan)
    expect(() => parsePlanFile('{', 'p.json')).toThrow(/p\.json: not a usable sync plan: invalid JSON/)
    expect(() => parsePlanFile('{"formatVersion": 2}', 'p.json')).toThrow(/unsupported formatVersion 2/)
    const broken = JSON.parse(serializePlan(plan))
    delete broken.events[0].body
    expect(() => parsePlanFile(JSON.stringify(broken), 'p.json')).toThrow(/events\[0\]: create without a body/)
    // Each action's fields are what its type (EventPlan, by action) promises apply.
    const unchanged = { ...JSON.parse(serializePlan(plan)), events: [{ ...plan.events[0], action: 'unchanged', body: null }] }
    expect(() => parsePlanFile(JSON.stringify(unchanged), 'p.json')).toThrow(/events\[0\]: unchanged without remoteId/)
  })
})

describe('API key', () => {
  it('never shows itself', () => {
    const key = new ApiKey('pk_live_secret_value')
    expect(String(key)).toBe('[redacted]')
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted]"}')
    expect(inspect({ key })).not.toContain('secret')
    expect(key.reveal()).toBe('pk_live_secret_value')
    expect(key.kind).toBe('production')
    expect(new ApiKey('tk_x').kind).toBe('test')
    expect(key.scrub('echo pk_live_secret_value!')).toBe('echo [redacted]!')
  })
})
