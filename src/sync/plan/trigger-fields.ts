/**
 * Trigger variables: the dotted paths Refold exposes to workflows (`prospect.email`),
 * read out of an event's JSON Schema and sample. Sync diffs events at this level because
 * it is the level workflows read at. Array items get a `[]` segment (`items[].sku`).
 */
import type { JsonObject, JsonSchema, JsonValue } from '../../types.js'
import type { FieldShape } from '../sync-types.js'
import { formatPath, ITEMS, parsePath } from '../../util/field-path.js'

/** One trigger variable with its shape and its value in the sample. */
export interface TriggerField extends FieldShape {
  path: string
  segments: string[]
  /** The value at this path in the sample (first element for `[]`), undefined when absent. */
  sample: JsonValue | undefined
}

/** Trigger variables of one event, keyed by dotted path, in schema order. */
export type FieldMap = Map<string, TriggerField>

/** Every trigger variable of `schema`, with sample values taken from `sample`. */
export function collectFields(schema: JsonSchema, sample: JsonObject | null): FieldMap {
  const fields: FieldMap = new Map()
  visitChildren(schema, [], '', sample ?? undefined, fields)
  return fields
}

/**
 * Fields from Refold's `response` list (`{key, type}`), for a remote event whose sample
 * and schema are unreadable: paths are known, types are not (`text` may be any primitive).
 */
export function fieldsFromVariables(variables: Array<{ key: string; type: string }>): FieldMap {
  const fields: FieldMap = new Map()
  for (const variable of variables) {
    const segments = parsePath(variable.key)
    const path = formatPath(segments)
    const types = variable.type === 'object' ? ['object'] : []
    fields.set(path, { path, segments, types, nullable: false, format: null, required: true, sample: undefined })
  }
  return fields
}

// Planning runs this over both sides of every changed event (1,000 at a time), so it avoids
// per-node garbage: paths are extended rather than re-joined, and no branch list, entry pair
// or required-set is built for the usual node without anyOf/oneOf.

function visitChildren(parent: JsonSchema, segments: string[], path: string, sample: JsonValue | undefined, fields: FieldMap): void {
  forEachBranch(parent, (schema) => {
    const properties = schema.properties
    if (properties !== undefined && properties !== null) {
      const required = Array.isArray(schema.required) ? schema.required : NONE
      const lookup = required.length > 16 ? new Set(required) : null
      const objectSample = isObject(sample) ? sample : undefined
      for (const key of Object.keys(properties)) {
        const child = properties[key]!
        const isRequired = lookup === null ? required.includes(key) : lookup.has(key)
        addField(child, [...segments, key], path === '' ? key : `${path}.${key}`, isRequired, objectSample?.[key], fields)
      }
    }
    if (isSchema(schema.items)) {
      const first = Array.isArray(sample) ? sample[0] : undefined
      addField(schema.items, [...segments, ITEMS], path + ITEMS, true, first, fields)
    }
  })
}

const NONE: readonly string[] = []

function addField(
  schema: JsonSchema,
  segments: string[],
  path: string,
  required: boolean,
  sample: JsonValue | undefined,
  fields: FieldMap,
): void {
  const shape = shapeOf(schema, required)
  const existing = fields.get(path)
  // A path reached through several `anyOf` branches: it has every type any branch allows.
  fields.set(
    path,
    existing === undefined
      ? { path, segments, types: shape.types, nullable: shape.nullable, format: shape.format, required: shape.required, sample }
      : {
          ...existing,
          types: [...new Set([...existing.types, ...shape.types])].sort(),
          nullable: existing.nullable || shape.nullable,
          format: existing.format === shape.format ? existing.format : null,
          required: existing.required && shape.required,
          sample: existing.sample ?? sample,
        },
  )
  visitChildren(schema, segments, path, sample, fields)
}

/**
 * Types, nullability and format of one schema node, looking through `anyOf`/`oneOf`.
 * No types means any type, and then the field is nullable too.
 */
export function shapeOf(schema: JsonSchema, required: boolean): FieldShape {
  // The usual node: one named type, no alternatives.
  if (typeof schema.type === 'string' && schema.anyOf === undefined && schema.oneOf === undefined) {
    if (schema.type === 'null') return { types: [], nullable: true, format: null, required }
    return {
      types: [schema.type],
      nullable: schema.nullable === true,
      format: typeof schema.format === 'string' ? schema.format : null,
      required,
    }
  }
  const types = new Set<string>()
  let nullable = schema.nullable === true
  const formats = new Set<string | null>()
  for (const branch of branches(schema)) {
    const declared = branch.type === undefined ? impliedTypes(branch) : ([] as string[]).concat(branch.type)
    // A branch that names no type (`{}`, what inference writes for an always-null field)
    // accepts every value, null included: the field is "any", and giving it a type narrows it.
    if (declared.length === 0) return { types: [], nullable: true, format: null, required }
    for (const type of declared) {
      if (type === 'null') nullable = true
      else types.add(type)
    }
    if (declared.some((t) => t !== 'null')) formats.add(typeof branch.format === 'string' ? branch.format : null)
  }
  const format = formats.size === 1 ? [...formats][0]! : null
  return { types: [...types].sort(), nullable, format, required }
}

/** `visit` each of {@link branches}, without building the list when there are no alternatives. */
function forEachBranch(schema: JsonSchema, visit: (branch: JsonSchema) => void): void {
  if (schema.anyOf === undefined && schema.oneOf === undefined) visit(schema)
  else for (const branch of branches(schema)) visit(branch)
}

/** The schema itself, or its `anyOf`/`oneOf` branches (each flattened in turn). */
function branches(schema: JsonSchema): JsonSchema[] {
  const alternatives = (schema.anyOf ?? (schema.oneOf as JsonSchema[] | undefined))?.filter(isSchema)
  if (alternatives === undefined || alternatives.length === 0) return [schema]
  // Keywords beside anyOf (e.g. `description`) apply to every branch; types live in the branches.
  return alternatives.flatMap(branches)
}

function impliedTypes(schema: JsonSchema): string[] {
  if (schema.properties !== undefined) return ['object']
  if (schema.items !== undefined) return ['array']
  const values = schema.enum ?? ('const' in schema ? [schema.const as JsonValue] : undefined)
  if (values === undefined) return []
  return [...new Set(values.map(jsonTypeOf))]
}

function jsonTypeOf(value: JsonValue): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
