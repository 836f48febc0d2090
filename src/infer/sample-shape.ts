/**
 * The first half of inference: one pass over every sample that folds all values found
 * at the same place (same property path, every array element sharing one `*` slot)
 * into a single accumulator, a `SampleShape`. The second half (`emit-schema.ts`)
 * turns shapes into JSON Schema.
 *
 * The pass is a loop over an explicit stack rather than recursion, so a payload nested
 * 10,000 levels deep cannot overflow the call stack; it never copies a value, and
 * per value it does a `typeof` switch and a few counter updates. Depth-first order with
 * array elements and samples pushed in reverse visits values in document order, which is
 * what makes "property order follows first appearance" hold for merged objects.
 */
import type { DecimalFacts, JsonValue } from '../types.js'
import { escapeToken } from '../util/json-pointer.js'
import { matchFormats } from './string-formats.js'

/** Kind bit of `SampleShape.kinds`: `null` was seen. */
export const KIND_NULL = 1
/** Kind bit: a boolean was seen. */
export const KIND_BOOLEAN = 2
/** Kind bit: a whole number was seen. */
export const KIND_INTEGER = 4
/** Kind bit: a number with a fractional part; with KIND_INTEGER it still makes `number`. */
export const KIND_NUMBER = 8
/** Kind bit: a string was seen. */
export const KIND_STRING = 16
/** Kind bit: an object was seen. */
export const KIND_OBJECT = 32
/** Kind bit: an array was seen. */
export const KIND_ARRAY = 64

/** Everything observed at one place of the payload, across all samples. */
export interface SampleShape {
  /** How many values were seen here (null included): the occurrences of this place. */
  seen: number
  /** Bitset of KIND_* for the kinds of value seen. */
  kinds: number
  /** Formats (FORMAT_* bits) every string seen here matched; 0 once none can apply. */
  formats: number
  /** How many of the values were objects (the base for `required`). */
  objects: number
  /** Properties of the objects seen here, in order of first appearance. */
  fields: SampleShape[] | undefined
  /** `fields` by name; built when a second object is seen here (a first needs no lookup). */
  properties: Map<string, SampleShape> | undefined
  /** Merged shape of every element of every array seen here; undefined if all were empty. */
  items: SampleShape | undefined
  /** The enclosing place, for naming this one in warnings and errors. */
  parent: SampleShape | undefined
  /** The property name under `parent`; undefined for array items (and the root). */
  key: string | undefined
  /** Levels below the root (0 for the root). */
  depth: number
  /** POLICY_* bits a `nullable` / `optional` policy path set here (policy-paths.ts). */
  policy: number
}

/**
 * A number the loader saw written with a decimal point (`100.00`) although its value is
 * integral: pushed in place of the number so it counts as KIND_NUMBER. Only such numbers
 * are wrapped, so ordinary values cost nothing.
 */
class WrittenAsDecimal {
  constructor(readonly value: number) {}
}

/**
 * Deeper than any payload, shallow enough to stop a cyclic value (a YAML alias can
 * make one) long before memory runs out: a cycle creates a new place per level.
 */
export const MAX_DEPTH = 100_000

/**
 * Fold `samples` into one shape. Only the formats in `formats` (a FORMAT_* mask) are tested.
 * Object properties whose value is `undefined` count as absent (as `JSON.stringify`
 * drops them); any other non-JSON value (a bigint, function, Date, Map, ...) is a
 * TypeError naming where it was found, and so is nesting deeper than MAX_DEPTH (a cycle).
 * The same object may appear at several places (YAML aliases share them). `decimals` names
 * the integral numbers written with a decimal point, which count as fractional numbers.
 */
export function observeSamples(samples: readonly JsonValue[], formats: number, decimals?: DecimalFacts): SampleShape {
  const root = createShape(undefined, undefined)
  const initialFormats = formats
  // Two parallel stacks instead of an array of pairs: no allocation per value.
  const values: unknown[] = []
  const shapes: SampleShape[] = []
  for (let index = samples.length - 1; index >= 0; index--) {
    values.push(samples[index])
    shapes.push(root)
  }
  while (values.length > 0) {
    const value = values.pop()
    const shape = shapes.pop() as SampleShape
    shape.seen++
    switch (typeof value) {
      case 'string':
        if ((shape.kinds & KIND_STRING) === 0) {
          shape.kinds |= KIND_STRING
          shape.formats = initialFormats
        }
        if (shape.formats !== 0) shape.formats = matchFormats(value, shape.formats)
        break
      case 'number':
        shape.kinds |= Number.isInteger(value) ? KIND_INTEGER : KIND_NUMBER
        break
      case 'boolean':
        shape.kinds |= KIND_BOOLEAN
        break
      case 'object':
        if (value === null) {
          shape.kinds |= KIND_NULL
        } else if (Array.isArray(value)) {
          shape.kinds |= KIND_ARRAY
          if (value.length > 0) {
            const items = (shape.items ??= createShape(shape, undefined))
            const marked = decimals?.get(value)
            for (let index = value.length - 1; index >= 0; index--) {
              const element: unknown = value[index]
              if (element === undefined) throw notJson('undefined', items)
              values.push(marked?.has(String(index)) === true && typeof element === 'number' ? new WrittenAsDecimal(element) : element)
              shapes.push(items)
            }
          }
        } else if (value instanceof WrittenAsDecimal) {
          shape.kinds |= KIND_NUMBER
        } else {
          if (!isPlainObject(value)) throw notJson(describe(value), shape)
          shape.kinds |= KIND_OBJECT
          shape.objects++
          const record = value as Record<string, unknown>
          const keys = Object.keys(record)
          const marked = decimals?.get(record)
          if (shape.fields === undefined) {
            // The first object here: its keys are all new, so no lookup (and no Map) yet.
            // Most objects of a single payload are the only one at their place.
            const fields: SampleShape[] = (shape.fields = [])
            for (const key of keys) {
              const child = record[key]
              if (child === undefined) continue
              const childShape = createShape(shape, key)
              fields.push(childShape)
              values.push(marked?.has(key) === true && typeof child === 'number' ? new WrittenAsDecimal(child) : child)
              shapes.push(childShape)
            }
          } else {
            const fields = shape.fields
            const properties = (shape.properties ??= new Map(fields.map((field) => [field.key as string, field])))
            for (const key of keys) {
              const child = record[key]
              if (child === undefined) continue
              let childShape = properties.get(key)
              if (childShape === undefined) {
                childShape = createShape(shape, key)
                properties.set(key, childShape)
                fields.push(childShape)
              }
              values.push(marked?.has(key) === true && typeof child === 'number' ? new WrittenAsDecimal(child) : child)
              shapes.push(childShape)
            }
          }
        }
        break
      default:
        throw notJson(typeof value, shape)
    }
  }
  return root
}

/**
 * The JSON Pointer of a place, with `*` standing for "any array element" (so a property
 * literally named `*` reads the same; pointers here are for people, not for lookups).
 */
function shapePath(shape: SampleShape): string {
  const tokens: string[] = []
  for (let current: SampleShape | undefined = shape; current?.parent !== undefined; current = current.parent) {
    const key = current.key
    if (key === undefined) tokens.push('*')
    else tokens.push(key.includes('~') || key.includes('/') ? escapeToken(key) : key)
  }
  return tokens.length === 0 ? '' : `/${tokens.reverse().join('/')}`
}

function createShape(parent: SampleShape | undefined, key: string | undefined): SampleShape {
  const depth = parent === undefined ? 0 : parent.depth + 1
  if (depth > MAX_DEPTH) throw tooDeep(parent as SampleShape)
  return {
    seen: 0,
    kinds: 0,
    formats: 0,
    objects: 0,
    fields: undefined,
    properties: undefined,
    items: undefined,
    parent,
    key,
    depth,
    policy: 0,
  }
}

/**
 * Plain data objects: `{}` literals, `JSON.parse` and YAML output, `Object.create(null)`,
 * also from another realm (their prototype's prototype is null). Dates, Maps and
 * class instances are not JSON.
 */
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === null || Object.getPrototypeOf(prototype) === null
}

function describe(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'a non-plain object'
}

function tooDeep(shape: SampleShape): TypeError {
  // The full path would be MAX_DEPTH tokens long; its start shows where the chain begins.
  let start = shape
  while (start.depth > 8 && start.parent !== undefined) start = start.parent
  return new TypeError(`inferSchema: the value at ${shapePath(start)}/... is nested more than ${MAX_DEPTH} levels deep; is it cyclic?`)
}

function notJson(what: string, shape: SampleShape): TypeError {
  const path = shapePath(shape)
  return new TypeError(`inferSchema: ${what} at ${path === '' ? '(root)' : path} is not a JSON value`)
}
