/**
 * Checks the `schema` override of an event file before it is merged: every keyword must
 * be one JSON Schema 2020-12 knows (a typo such as `fromat` would otherwise be ignored
 * silently and the constraint never applied), and the root keywords refold-events derives
 * from the definition (`title`, `$id`, `$schema`) cannot be set by hand.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js'
import type { JsonSchema, JsonValue } from '../types.js'
import { appendPointer, splitPointer } from '../util/json-pointer.js'
import { cloneJson } from './merge-schema.js'
import { ANNOTATION_KEYWORDS, holdsSubschemas, KNOWN_KEYWORDS, SUBSCHEMA_LIST_KEYWORDS, subschemasUnder } from '../util/schema-keywords.js'
import { didYouMean } from '../util/suggest.js'

/** A problem in the override, at a JSON Pointer into it (prefix `/schema` to locate it). */
export interface OverrideProblem {
  pointer: string
  message: string
}

/** Keywords people carry over from elsewhere, with what JSON Schema says instead. */
const FOREIGN_KEYWORDS: Record<string, string> = {
  nullable: '(OpenAPI 3.0); in JSON Schema write type: [string, "null"]',
  definitions: '(draft-07); draft 2020-12 calls it $defs',
  dependencies: '(draft-07); draft 2020-12 has dependentRequired and dependentSchemas',
  additionalItems: '(draft-07); draft 2020-12 uses items beside prefixItems',
  example: '; JSON Schema has examples: [..]',
}

/** Keywords of the root the compiler sets from the event definition. */
const DERIVED_AT_ROOT: Record<string, string> = {
  title: 'the root title is derived from the event name (it names the generated payload type)',
  $id: 'the root $id is derived from the event name',
  $schema: 'the schema is always JSON Schema draft 2020-12',
}

/**
 * Whether merging `override` can change which payloads are valid. An override that only
 * documents (descriptions, examples, `x-*` extensions) cannot, so samples that satisfy
 * the inferred schema still satisfy the merged one. A `null` removes a keyword, which can.
 */
export function overrideConstrains(override: JsonValue): boolean {
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return true
  for (const key of Object.keys(override)) {
    const value = override[key]!
    if (ANNOTATION_KEYWORDS.has(key) || key.startsWith('x-')) continue
    if (value === null || CONSTRAIN_ANYWAY.has(key)) return true
    // An empty map (`properties: {}`) holds no subschema and constrains nothing.
    const children = subschemasUnder(key, value)
    if (children.length === 0 && !(holdsSubschemas(key) && isObject(value))) return true
    if (children.some((child) => overrideConstrains(child.schema as JsonValue))) return true
  }
  return false
}

/**
 * Subschema keywords that constrain whatever their subschemas say: `not: {}` and
 * `contains: {}` reject payloads, and a list of branches is a union of its own.
 */
const CONSTRAIN_ANYWAY: ReadonlySet<string> = new Set(['not', 'contains', ...SUBSCHEMA_LIST_KEYWORDS])

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Problems of an override, in document order. */
export function checkOverride(override: JsonSchema): OverrideProblem[] {
  const problems: OverrideProblem[] = []
  for (const key of Object.keys(override)) {
    const why = DERIVED_AT_ROOT[key]
    if (why !== undefined && Object.hasOwn(DERIVED_AT_ROOT, key)) {
      problems.push({ pointer: appendPointer('', key), message: `"${key}" cannot be set here: ${why}; remove it` })
    }
  }
  walk(override as JsonValue, '', problems)
  return problems
}

/**
 * A copy of `override` without the keywords `problems` point at. The problems are reported as
 * errors; the rest of the override is still merged so that the samples can be validated in
 * the same run (an unknown keyword must not hide that a sample breaks a known one).
 */
export function withoutProblems(override: JsonSchema, problems: readonly OverrideProblem[]): JsonSchema {
  const copy = cloneJson(override as JsonValue)
  // List entries (a `required` name) are removed after the walk, so indexes stay right.
  const dropped = new Map<JsonValue[], Set<number>>()
  for (const problem of problems) {
    const tokens = splitPointer(problem.pointer)
    const last = tokens.pop()
    let node: JsonValue | undefined = copy
    for (const token of tokens) {
      if (typeof node !== 'object' || node === null) break
      node = Array.isArray(node) ? node[Number(token)] : Object.hasOwn(node, token) ? node[token] : undefined
    }
    if (last === undefined || typeof node !== 'object' || node === null) continue
    if (Array.isArray(node)) dropped.set(node, (dropped.get(node) ?? new Set()).add(Number(last)))
    else if (Object.hasOwn(node, last)) delete node[last]
  }
  for (const [list, indexes] of dropped) {
    const kept = list.filter((_, index) => !indexes.has(index))
    list.splice(0, list.length, ...kept)
  }
  return copy as JsonSchema
}

function walk(schema: JsonValue, pointer: string, problems: OverrideProblem[]): void {
  // A boolean schema has no keywords; anything else that is not an object is the
  // meta-schema's business (reported when the final schema is validated).
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return
  for (const key of Object.keys(schema)) {
    const value = schema[key]!
    const at = appendPointer(pointer, key)
    if (!KNOWN_KEYWORDS.has(key) && !key.startsWith('x-')) {
      problems.push({ pointer: at, message: value === null && /\s/.test(key) ? cutAtComma(key) : unknownKeyword(key) })
      continue
    }
    if (key === 'format' && typeof value === 'string' && !Object.hasOwn(fullFormats, value)) {
      // ajv ignores a format it does not know: the constraint would silently never apply.
      problems.push({ pointer: at, message: unknownFormat(value) })
    } else {
      for (const child of subschemasUnder(key, value)) walk(child.schema as JsonValue, subschemaPointer(at, child.key), problems)
    }
  }
}

function subschemaPointer(keywordPointer: string, key: string | number | undefined): string {
  return key === undefined ? keywordPointer : appendPointer(keywordPointer, key)
}

function unknownKeyword(key: string): string {
  if (Object.hasOwn(FOREIGN_KEYWORDS, key)) return `unknown JSON Schema keyword "${key}" ${FOREIGN_KEYWORDS[key]}`.replace(' ;', ';')
  return `unknown JSON Schema keyword "${key}"${didYouMean(key, KNOWN_KEYWORDS)}; expected a draft 2020-12 keyword, or an extension named x-...`
}

/** The formats payload validation checks (ajv-formats' full set). */
const KNOWN_FORMATS = Object.keys(fullFormats)

function unknownFormat(format: string): string {
  return `unknown format "${format}"${didYouMean(format, KNOWN_FORMATS)}; expected one of ${KNOWN_FORMATS.join(', ')}, or a pattern: "..." for anything else`
}

/** `{ description: Paid, in full }` parses as `description: Paid` plus a key `in full`. */
function cutAtComma(key: string): string {
  return `unexpected key "${key}": this looks like the end of a text cut at a comma; inside { ... } a comma ends a value, so quote the whole text ("..., ${key}")`
}
