/**
 * Shrinks the validator module: an object schema that occurs more than once across the
 * events (GitHub's `repository` or `sender` in every payload, an `address` in several
 * events) is compiled once and referenced, instead of ajv inlining its code at each place.
 *
 * Measured on the corpus (388 events): ajv's standalone output went from 51 MB to 27 MB
 * and its compile time from ~16 s to ~6 s. Validation results are the same: a subschema
 * is only shared when it is identical (same JSON) and self-contained (no `$ref`, `$id`,
 * anchors or `unevaluated*`, whose meaning depends on where the schema sits), and only
 * from a property value or array items, never from an applicator branch (anyOf, allOf...)
 * that shares its instance location with its parent. An event whose schema uses one of
 * those keywords is left out entirely.
 */
import type { JsonSchema } from '../types.js'

/** `$id` of the schema holding the shared parts; refs read `<id>#/$defs/<name>`. */
export const SHARED_SCHEMA_ID = 'refold-shared'

/** Smallest object schema worth sharing, in properties: below that a function call costs more than it saves. */
const MIN_PROPERTIES = 2

/** Keywords whose meaning depends on the schema's place in its document (they block sharing). */
const PLACE_DEPENDENT = new Set([
  '$ref',
  '$dynamicRef',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$defs',
  'definitions',
  'unevaluatedProperties',
  'unevaluatedItems',
])

export interface SharedSubschemas {
  /** The event schemas (same order), shared parts replaced by `$ref`s. */
  schemas: JsonSchema[]
  /** The shared parts by name (`s0`, `s1`, … in order of first appearance); empty when nothing repeats. */
  shared: Record<string, JsonSchema>
}

/** Replace every repeated, self-contained object subschema by a `$ref` to one shared copy. */
export function extractSharedSubschemas(schemas: readonly JsonSchema[]): SharedSubschemas {
  // An event using place-dependent keywords (only overrides can) is left exactly as it is.
  const eligible = schemas.map((schema) => !containsPlaceDependent(schema))
  const counts = new Map<string, number>()
  for (const schema of schemas.filter((_, i) => eligible[i]))
    forEachShareable(schema, (child) => {
      const key = JSON.stringify(child)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    })
  const names = new Map<string, string>()
  const shared: Record<string, JsonSchema> = {}
  const rewrite = (node: JsonSchema, shareable: boolean): JsonSchema => {
    if (shareable && isShareable(node)) {
      const key = JSON.stringify(node)
      if ((counts.get(key) ?? 0) > 1) {
        let name = names.get(key)
        if (name === undefined) {
          name = `s${names.size}`
          names.set(key, name)
          shared[name] = rewriteChildren(node)
        }
        return { $ref: `${SHARED_SCHEMA_ID}#/$defs/${name}` }
      }
    }
    return rewriteChildren(node)
  }
  const rewriteChildren = (node: JsonSchema): JsonSchema => {
    const out: JsonSchema = { ...node }
    if (isRecord(node.properties)) {
      out.properties = Object.fromEntries(
        Object.entries(node.properties).map(([key, child]) => [key, isRecord(child) ? rewrite(child, true) : child]),
      )
    }
    if (isRecord(node.items)) out.items = rewrite(node.items, true)
    for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = node[keyword]
      if (Array.isArray(branches)) out[keyword] = branches.map((branch) => (isRecord(branch) ? rewrite(branch, false) : branch))
    }
    return out
  }
  return { schemas: schemas.map((schema, i) => (eligible[i] ? rewrite(schema, false) : schema)), shared }
}

/** Call `visit` for every subschema in a shareable position (property values, array items). */
function forEachShareable(node: JsonSchema, visit: (child: JsonSchema) => void): void {
  const children: Array<[JsonSchema, boolean]> = []
  if (isRecord(node.properties)) for (const child of Object.values(node.properties)) if (isRecord(child)) children.push([child, true])
  if (isRecord(node.items)) children.push([node.items, true])
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[keyword]
    if (Array.isArray(branches)) for (const branch of branches) if (isRecord(branch)) children.push([branch, false])
  }
  for (const [child, shareable] of children) {
    if (shareable && isShareable(child)) visit(child)
    forEachShareable(child, visit)
  }
}

function isShareable(node: JsonSchema): boolean {
  return isRecord(node.properties) && Object.keys(node.properties).length >= MIN_PROPERTIES
}

function containsPlaceDependent(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsPlaceDependent)
  if (!isRecord(value)) return false
  for (const [key, child] of Object.entries(value)) {
    if (PLACE_DEPENDENT.has(key)) return true
    if (containsPlaceDependent(child)) return true
  }
  return false
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
