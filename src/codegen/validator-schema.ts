/**
 * An event's schema as its validator needs it: only what is checked. Annotations
 * (`description`, `title`, `examples`, …) never change a validation result, and ajv copies
 * the schema it compiles into the module, so without them `validators.js` is smaller and
 * only changes when what is checked changes (a reworded description touches index.ts
 * alone). Also dropped: `$id` (ajv knows each schema by file name), `$schema` (one
 * dialect) and `$async` (validators stay synchronous, as the runtime calls them).
 */
import type { JsonSchema } from '../types.js'

const DROPPED = new Set([
  'title',
  'description',
  'markdownDescription',
  'examples',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'default',
  '$id',
  '$schema',
  '$async',
  'tsType',
  'tsEnumNames',
])
/** Keywords whose value maps names to subschemas (the names are data). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])
/** Keywords whose value is one subschema or a list of them. */
const SCHEMA_VALUED = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'contains',
  'additionalProperties',
  'propertyNames',
  'if',
  'then',
  'else',
  'not',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
  'allOf',
  'anyOf',
  'oneOf',
])

/** A copy of `schema` without annotations, at every level. */
export function validatorSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue
    if (SCHEMA_MAPS.has(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isRecord(child) ? validatorSchema(child) : child]))
    } else if (SCHEMA_VALUED.has(key)) {
      out[key] = Array.isArray(value)
        ? value.map((child) => (isRecord(child) ? validatorSchema(child) : child))
        : isRecord(value)
          ? validatorSchema(value)
          : value
    } else {
      out[key] = value
    }
  }
  return out
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
