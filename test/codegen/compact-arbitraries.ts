/**
 * fast-check generators for the differential tests of compact validators: schemas as a
 * project gets them (inference on fuzzed JSON, objects open or closed, then overrides with
 * the policy keywords: enum, const, limits, pattern, nullable, optional, open/closed) and
 * payloads near them (a sample with one to three edits: a value replaced, a key dropped or
 * added, a null) or anywhere (any JSON).
 */
import fc from 'fast-check'
import { inferSchema } from '../../src/infer/infer-schema.js'
import type { JsonSchema, JsonValue } from '../../src/types.js'
import { setOwn } from '../../src/util/own-property.js'

/** Keys that trip code generators and property reads (prototype members, pointer escapes, empty). */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a/b',
  'a~b',
  '~1',
  '',
  ' ',
  'first-name',
  'first_name',
  'firstName',
  '2fa',
  'é',
  '🎉',
  'item',
  'object',
  'value',
  'v',
  'p',
  'c',
  'n',
  '$',
  'id',
  'type',
  'properties',
  'required',
]

/** Strings shaped like the inferred formats, and near misses of them. */
const FORMATTED = [
  '2024-01-31T10:00:00Z',
  '2024-02-30T10:00:00Z',
  '2024-01-31t10:00:00+01:00',
  '2024-01-31 23:59:60Z',
  '2024-01-31T10:00:00',
  '2024-01-31',
  '2024-13-01',
  '2023-02-29',
  'a@b.co',
  '41898282+github-actions[bot]@users.noreply.github.com',
  'a b@c.d',
  'a@@b',
  'https://x.io/a?b=^c',
  'mailto:a@b.co',
  'http://',
  'no scheme',
  'urn:uuid:123e4567-e89b-12d3-a456-426614174000',
  '123e4567-e89b-12d3-a456-426614174000',
  '123e4567-e89b-12d3-a456-42661417400',
  '',
]

const key = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...NASTY_KEYS) }, { weight: 3, arbitrary: fc.string({ maxLength: 6 }) })
const scalar = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1.5, 2 ** 53, -0, 1e21),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(...FORMATTED),
)

/** Any JSON value, objects built with own keys only (a `__proto__` key is data). */
export const json: fc.Arbitrary<JsonValue> = fc.letrec<{ any: JsonValue }>((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('any'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('any')), { maxLength: 5 }).map(toObject),
  ),
})).any

const object = fc.array(fc.tuple(key, json), { minLength: 1, maxLength: 6 }).map(toObject)

function toObject(entries: Array<[string, JsonValue]>): JsonValue {
  const out: Record<string, JsonValue> = {}
  for (const [name, value] of entries) setOwn(out, name, value)
  return out
}

/** One edit of a schema node, applied to the node numbered `at` (mod the count) in document order. */
type Edit = { at: number; kind: number; text: string; number: number; values: JsonValue[] }

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.nat({ max: 11 }),
  text: fc.constantFrom('^[a-z]*$', 'x', '^\\d+$', '[/]', '^\\p{L}+$', '.'),
  number: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom(0.5, -0)),
  values: fc.array(scalar, { minLength: 1, maxLength: 3 }),
})

/** A schema plus the samples it was inferred from. */
export interface FuzzSchema {
  samples: JsonValue[]
  schema: JsonSchema
}

/** Schemas as a project has them: inferred from 1-3 fuzzed objects, maybe closed, then edited by overrides. */
export const fuzzSchema: fc.Arbitrary<FuzzSchema> = fc
  .record({
    samples: fc.array(object, { minLength: 1, maxLength: 3 }),
    closedObjects: fc.boolean(),
    formats: fc.boolean(),
    edits: fc.array(edit, { maxLength: 4 }),
  })
  .map(({ samples, closedObjects, formats, edits }) => {
    const { schema } = inferSchema(samples, { closedObjects, formats })
    for (const change of edits) applyEdit(schema, change)
    return { samples, schema }
  })

function applyEdit(schema: JsonSchema, change: Edit): void {
  const nodes: JsonSchema[] = []
  const walk = (node: JsonSchema) => {
    nodes.push(node)
    if (isRecord(node.properties)) for (const child of Object.values(node.properties)) if (isRecord(child)) walk(child)
    if (isRecord(node.items)) walk(node.items)
    if (Array.isArray(node.anyOf)) for (const branch of node.anyOf) if (isRecord(branch)) walk(branch)
  }
  walk(schema)
  const node = nodes[change.at % nodes.length]!
  switch (change.kind) {
    case 0:
      node.enum = change.values
      break
    case 1:
      node.const = change.values[0]!
      break
    case 2:
      node.minLength = Math.abs(Math.trunc(change.number)) % 6
      break
    case 3:
      node.maxLength = Math.abs(Math.trunc(change.number)) % 6
      break
    case 4:
      node.pattern = change.text
      break
    case 5:
      node.minimum = change.number
      break
    case 6:
      node.exclusiveMaximum = change.number
      break
    case 7: {
      // "may be null": a type list gains null.
      const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]
      if (types.length > 0 && !types.includes('null')) node.type = [...types, 'null']
      break
    }
    case 8:
      // "may be absent"
      if (Array.isArray(node.required) && node.required.length > 0) node.required = node.required.slice(1)
      break
    case 9:
      if (node.properties !== undefined) node.additionalProperties = !(node.additionalProperties ?? true)
      break
    case 10:
      node.minItems = Math.abs(Math.trunc(change.number)) % 3
      break
    default: {
      const required = Array.isArray(node.required) ? node.required : []
      if (!required.includes('added-by-override')) node.required = [...required, 'added-by-override']
    }
  }
}

/** Payloads near `sample`: it with one to three edits (replace, drop, add, null), or any JSON at all. */
export function payloadNear(sample: JsonValue): fc.Arbitrary<JsonValue> {
  // What a JavaScript caller can pass besides JSON: NaN and the infinities (ajv: no number), undefined (absent).
  const value = fc.oneof(
    { weight: 6, arbitrary: json },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, undefined) as fc.Arbitrary<JsonValue> },
  )
  const change = fc.tuple(fc.nat(), fc.nat({ max: 3 }), key, value)
  return fc.oneof(
    { weight: 1, arbitrary: json },
    { weight: 1, arbitrary: fc.constant(sample) },
    {
      weight: 4,
      arbitrary: fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
        let copy = structuredCopy(sample)
        for (const [at, op, name, value] of changes) copy = mutate(copy, at, op, name, value)
        return copy
      }),
    },
  )
}

/** A deep copy that keeps a `__proto__` key as data (JSON.parse creates own properties). */
function structuredCopy(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue
}

/** Apply one edit to the container or value numbered `at` (document order) of `root`. */
function mutate(root: JsonValue, at: number, op: number, name: string, value: JsonValue): JsonValue {
  const places: Array<{ parent: Record<string, JsonValue> | JsonValue[] | null; key: string | number; value: JsonValue }> = []
  const walk = (parent: Record<string, JsonValue> | JsonValue[] | null, k: string | number, v: JsonValue) => {
    places.push({ parent, key: k, value: v })
    if (Array.isArray(v)) v.forEach((item, i) => walk(v, i, item))
    else if (isRecord(v)) for (const child of Object.keys(v)) walk(v as Record<string, JsonValue>, child, v[child] as JsonValue)
  }
  walk(null, '', root)
  const place = places[at % places.length]!
  const replace = (next: JsonValue) => {
    if (place.parent === null) return next
    if (Array.isArray(place.parent)) place.parent[place.key as number] = next
    else setOwn(place.parent, place.key as string, next)
    return root
  }
  switch (op) {
    case 0:
      return replace(value)
    case 1:
      return replace(null)
    case 2:
      if (place.parent !== null && !Array.isArray(place.parent)) delete place.parent[place.key as string]
      else if (Array.isArray(place.parent)) place.parent.splice(place.key as number, 1)
      return root
    default:
      if (isRecord(place.value)) setOwn(place.value as Record<string, JsonValue>, name, value)
      else if (Array.isArray(place.value)) place.value.push(value)
      return root
  }
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
