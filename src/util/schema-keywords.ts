/**
 * The JSON Schema keyword table every schema walker reads: which keywords hold subschemas
 * (one, a list, or a map by name), which only annotate, and which are known at all. Walkers
 * that each kept their own list disagreed on `contentSchema` and `definitions`; the answers
 * here follow draft 2020-12 (https://json-schema.org/draft/2020-12):
 *
 * - `contentSchema` holds a schema (Validation §8.5), but it is an annotation: it describes
 *   the decoded content of a string and never makes an instance valid or invalid (ajv
 *   ignores it too). Walkers looking for keywords go into it; walkers about validation do not.
 * - `definitions` is not a 2020-12 keyword, yet the 2020-12 meta-schema still describes it
 *   (deprecated) as a map of schemas, as `$defs`, and a `$ref` may point into it. So it is a
 *   schema map here; an override written by hand is still told to say `$defs`.
 */

/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYWORDS: readonly string[] = [
  'items',
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
  // draft-07, read by ajv; 2020-12 says prefixItems + items.
  'additionalItems',
]

/** Keywords whose value is a list of subschemas. */
export const SUBSCHEMA_LIST_KEYWORDS: readonly string[] = ['prefixItems', 'allOf', 'anyOf', 'oneOf']

/** Keywords whose value maps names (data, not keywords) to subschemas. */
export const SUBSCHEMA_MAP_KEYWORDS: readonly string[] = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']

/**
 * Keywords that never change whether an instance is valid: annotations (Meta-Data §9 and
 * Content §8 of 2020-12), plus `$comment` and what editors and json-schema-to-typescript read.
 */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'markdownDescription',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'tsType',
  'tsEnumNames',
])

/** Subschema keywords of draft-07 that walkers follow (ajv does) but 2020-12 does not know. */
const DRAFT_07_ONLY: ReadonlySet<string> = new Set(['additionalItems', 'definitions'])

/** Keywords whose value is data: nothing inside is a keyword. */
export const DATA_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'examples', 'default'])

/**
 * Every keyword of draft 2020-12 (Core and Validation, all vocabularies), plus the
 * annotations editors and code generators read. `definitions`, `dependencies` and
 * `additionalItems` are draft-07 and left out: an override written for 2020-12 says
 * `$defs`, `dependentSchemas`/`dependentRequired` and `prefixItems`.
 */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  ...[...SUBSCHEMA_KEYWORDS, ...SUBSCHEMA_LIST_KEYWORDS, ...SUBSCHEMA_MAP_KEYWORDS].filter((keyword) => !DRAFT_07_ONLY.has(keyword)),
  '$schema',
  '$id',
  '$ref',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
  '$comment',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'format',
  'contentEncoding',
  'contentMediaType',
  // Read by editors and by json-schema-to-typescript.
  'markdownDescription',
  'tsType',
  'tsEnumNames',
])

/** One subschema and where it sits: its keyword, and the name or index inside it when there is one. */
export interface Subschema {
  schema: unknown
  keyword: string
  key?: string | number
}

/**
 * The subschemas `value` holds as the value of `keyword` (objects or booleans, as written),
 * in order; none for a keyword that holds no schema or a value of the wrong shape.
 */
export function subschemasUnder(keyword: string, value: unknown): Subschema[] {
  if (SUBSCHEMA_KEYWORDS.includes(keyword)) {
    // draft-07 `items` may be a list; ajv reads it so.
    return Array.isArray(value) ? value.map((schema, key) => ({ schema, keyword, key })) : [{ schema: value, keyword }]
  }
  if (SUBSCHEMA_LIST_KEYWORDS.includes(keyword)) return Array.isArray(value) ? value.map((schema, key) => ({ schema, keyword, key })) : []
  if (SUBSCHEMA_MAP_KEYWORDS.includes(keyword) && isPlainObject(value)) {
    return Object.keys(value).map((key) => ({ schema: value[key], keyword, key }))
  }
  return []
}

/** Whether `keyword` holds subschemas (one, a list, or a map). */
export function holdsSubschemas(keyword: string): boolean {
  return SUBSCHEMA_KEYWORDS.includes(keyword) || SUBSCHEMA_LIST_KEYWORDS.includes(keyword) || SUBSCHEMA_MAP_KEYWORDS.includes(keyword)
}

/**
 * Every direct subschema of `schema`, in key order. `applicatorsOnly` skips subschemas under
 * annotations (`contentSchema`): those never take part in validation.
 */
export function subschemasOf(schema: Readonly<Record<string, unknown>>, options: { applicatorsOnly?: boolean } = {}): Subschema[] {
  const out: Subschema[] = []
  for (const keyword of Object.keys(schema)) {
    if (options.applicatorsOnly === true && ANNOTATION_KEYWORDS.has(keyword)) continue
    out.push(...subschemasUnder(keyword, schema[keyword]))
  }
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
