/**
 * An event's schema as its validator needs it: only what is checked. Annotations
 * (`description`, `title`, `examples`, `contentSchema`, …) never change a validation result, and ajv copies
 * the schema it compiles into the module, so without them `validators.js` is smaller and
 * only changes when what is checked changes (a reworded description touches index.ts
 * alone). Also dropped: `$id` (ajv knows each schema by file name), `$schema` (one
 * dialect) and `$async` (validators stay synchronous, as the runtime calls them).
 */
import type { JsonSchema } from '../types.js'
import { ANNOTATION_KEYWORDS, holdsSubschemas, SUBSCHEMA_MAP_KEYWORDS } from '../util/schema-keywords.js'

/** Besides annotations: keywords that identify or frame the schema, which a validator module does not need. */
const FRAMING = new Set(['$id', '$schema', '$async'])

/** A copy of `schema` without annotations, at every level. */
export function validatorSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key) || FRAMING.has(key)) continue
    if (!holdsSubschemas(key)) {
      out[key] = value
      continue
    }
    if (SUBSCHEMA_MAP_KEYWORDS.includes(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, dropAnnotations(child)]))
    } else out[key] = Array.isArray(value) ? value.map(dropAnnotations) : dropAnnotations(value)
  }
  return out
}

function dropAnnotations(child: unknown): unknown {
  return isRecord(child) ? validatorSchema(child) : child
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
