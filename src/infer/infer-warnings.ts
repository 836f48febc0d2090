/**
 * The warnings inference gives when the samples cannot tell a type: a field that is
 * null in every sample, an array that is always empty, an object that is always empty
 * (closed objects then allow no field at all). Each message names the field as a reader
 * writes it (`items[].tags`) and shows the `schema` override that would settle it, in
 * the YAML flow style an event file can take as is.
 *
 * Real payloads have many such places (the GitHub corpus: about ten per payload), so a
 * warning is built from one walk up the shape tree, without regular expressions.
 */
import type { InferWarning, InferWarningKind, JsonSchema, SchemaType } from '../types.js'
import { setOwn } from '../util/own-property.js'
import { escapeToken } from '../util/json-pointer.js'
import {
  KIND_ARRAY,
  KIND_BOOLEAN,
  KIND_INTEGER,
  KIND_NULL,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  type SampleShape,
} from './sample-shape.js'

/** What precedes the proposed override in a message (the compiler swaps in a merged one). */
export const EXAMPLE_LEAD = ', for example: `schema: '

/** Deeper paths make an override example too long to help; the message then omits it. */
const MAX_EXAMPLE_DEPTH = 4

/**
 * A field seen only as `null`: its type is unknown, its schema accepts anything. The
 * override it proposes is built from the evidence: where another place of the payload with
 * the same name holds a value (`pull_request.milestone` beside an always-null
 * `issue.milestone`), its type; text otherwise, the commonest case.
 */
export function unknownTypeWarning(shape: SampleShape, evidence?: Evidence): InferWarning {
  const other = shape.key === undefined ? undefined : evidence?.withValue.get(shape.key)
  if (other !== undefined) {
    return warning(
      'unknown-type',
      shape,
      `is null in every sample, so its type is unknown and any value is accepted. ` +
        `\`${readableName(other)}\` holds ${describeKinds(other.kinds)}; if this is the same kind of value, set its type in a \`schema\` override ` +
        'or add an example where it has a value',
      `{ type: ${yamlTypeList(other.kinds | KIND_NULL)} }`,
      { type: typeOverride(other.kinds | KIND_NULL) },
    )
  }
  return warning(
    'unknown-type',
    shape,
    'is null in every sample, so its type is unknown and any value is accepted. ' +
      'Add an example where it has a value, or set its type in a `schema` override',
    '{ type: [string, "null"] }',
    { type: ['string', 'null'] },
  )
}

/** An array never seen with an element: its items' type is unknown (proposed from a same-named array that has items). */
export function emptyArrayWarning(shape: SampleShape, evidence?: Evidence): InferWarning {
  const other = shape.key === undefined ? undefined : evidence?.withItems.get(shape.key)
  const items = other?.items
  if (other !== undefined && items !== undefined) {
    const type = yamlTypeList(items.kinds)
    return warning(
      'empty-array',
      shape,
      `is an empty array in every sample, so the type of its items is unknown and any item is accepted. ` +
        `\`${readableName(other)}\` holds items of ${describeKinds(items.kinds)}; if these are alike, set the item type in a \`schema\` override ` +
        'or add an example with at least one item',
      `{ items: { type: ${type} } }`,
      { items: { type: typeOverride(items.kinds) } },
    )
  }
  return warning(
    'empty-array',
    shape,
    'is an empty array in every sample, so the type of its items is unknown and any item is accepted. ' +
      'Add an example with at least one item, or set the item type in a `schema` override',
    '{ items: { type: string } }',
    { items: { type: 'string' } },
  )
}

/**
 * A field seen as text in some payloads and as a number or boolean in others (`"80"` and `80`):
 * it becomes a union, which is right only if both really occur; often one sample is wrong.
 */
export function mixedTypesWarning(shape: SampleShape, types: readonly SchemaType[]): InferWarning {
  const list = `[${types.map((type) => (type === 'null' ? '"null"' : type)).join(', ')}]`
  return warning(
    'mixed-types',
    shape,
    `is text in some samples and ${types.includes('boolean') ? 'true/false' : 'a number'} in others, so it accepts both (type ${list}). ` +
      'If one sample has it wrong, fix that sample; if both really occur, confirm the union in a `schema` override',
    `{ type: ${list} }`,
    { type: [...types] },
  )
}

/** An object never seen with a property: with closed objects it admits none. */
export function emptyObjectWarning(shape: SampleShape): InferWarning {
  return warning(
    'unknown-type',
    shape,
    'is an empty object in every sample, so its fields are unknown and, objects being closed, none is allowed. ' +
      'Add an example that has its fields, or declare them in a `schema` override',
    '{ additionalProperties: { type: string } }',
    { additionalProperties: { type: 'string' } },
  )
}

/**
 * The warning for `shape`: its JSON Pointer (`*` for array items), a message that names
 * it as `customer.company` / `items[].tags` / `["first name"]` (`The payload` at the
 * root), and, where it helps, `, for example: schema: { properties: { a: <leaf> } }`.
 * The example is left out when the path is deep or passes through an `anyOf` union,
 * where a `properties` override would not reach the field.
 */
function warning(kind: InferWarningKind, shape: SampleShape, problem: string, leaf: string, leafOverride: JsonSchema): InferWarning {
  const keys: Array<string | undefined> = []
  let example: string | undefined = leaf
  let override: JsonSchema | undefined = leafOverride
  for (let current = shape; current.parent !== undefined; current = current.parent) {
    keys.push(current.key)
    if (example === undefined) continue
    if (keys.length > MAX_EXAMPLE_DEPTH || isAnyOf(current.parent)) {
      example = undefined
      override = undefined
    } else if (current.key === undefined) {
      example = `{ items: ${example} }`
      override = { items: override! }
    } else {
      example = `{ properties: { ${yamlKey(current.key)}: ${example} } }`
      const properties: Record<string, JsonSchema> = {}
      setOwn(properties, current.key, override!)
      override = { properties }
    }
  }
  let path = ''
  let name = ''
  for (let index = keys.length - 1; index >= 0; index--) {
    const key = keys[index]
    if (key === undefined) {
      path += '/*'
      name += '[]'
    } else {
      path += `/${key.includes('~') || key.includes('/') ? escapeToken(key) : key}`
      if (!isPlainKey(key, true)) name += `[${JSON.stringify(key)}]`
      else name += name === '' ? key : `.${key}`
    }
  }
  const field = name === '' ? 'The payload' : `\`${name}\``
  const suffix = example === undefined ? '.' : `${EXAMPLE_LEAD}${example}\`.`
  const result: InferWarning = { kind, path, message: `${field} ${problem}${suffix}` }
  if (example !== undefined && override !== undefined) result.override = override
  return result
}

/** What other places of the payload hold, by property name: evidence for places that are always null or empty. */
export interface Evidence {
  /** The first place (document order) of each name that held a value other than null. */
  withValue: Map<string, SampleShape>
  /** The first array of each name that had items other than null. */
  withItems: Map<string, SampleShape>
}

/**
 * Evidence for the property names in `wanted`, from one iterative pre-order walk of the tree
 * (shape trees can be deeper than the call stack). Only names asked for are recorded, so the
 * walk allocates next to nothing; it runs only when some place needs it.
 */
export function findEvidence(root: SampleShape, wanted: ReadonlySet<string>): Evidence {
  const evidence: Evidence = { withValue: new Map(), withItems: new Map() }
  const stack: SampleShape[] = [root]
  while (stack.length > 0) {
    const current = stack.pop() as SampleShape
    const key = current.key
    if (key !== undefined && wanted.has(key)) {
      if ((current.kinds & ~KIND_NULL) !== 0 && !evidence.withValue.has(key)) evidence.withValue.set(key, current)
      const items = current.items
      if (items !== undefined && (items.kinds & ~KIND_NULL) !== 0 && !evidence.withItems.has(key)) evidence.withItems.set(key, current)
    }
    if (current.items !== undefined) stack.push(current.items)
    const fields = current.fields
    if (fields !== undefined) for (let index = fields.length - 1; index >= 0; index--) stack.push(fields[index] as SampleShape)
  }
  return evidence
}

/** `an object`, `text`, `a number or text`: the non-null kinds of a place, for a message. */
function describeKinds(kinds: number): string {
  const words: string[] = []
  if (kinds & KIND_OBJECT) words.push('an object')
  if (kinds & KIND_ARRAY) words.push('an array')
  if (kinds & KIND_STRING) words.push('text')
  if (kinds & KIND_NUMBER) words.push('a number')
  else if (kinds & KIND_INTEGER) words.push('an integer')
  if (kinds & KIND_BOOLEAN) words.push('true/false')
  return words.join(' or ')
}

/** The kinds as a YAML flow `type` value: `string`, `[object, "null"]` (null quoted: bare it is YAML's null). */
function yamlTypeList(kinds: number): string {
  const names = typeNames(kinds).map((name) => (name === 'null' ? '"null"' : name))
  return names.length === 1 ? (names[0] as string) : `[${names.join(', ')}]`
}

/** The same list as data, for the override a warning carries (`type` is a name or a list). */
function typeOverride(kinds: number): SchemaType | SchemaType[] {
  const names = typeNames(kinds)
  return names.length === 1 ? (names[0] as SchemaType) : names
}

function typeNames(kinds: number): SchemaType[] {
  const names: SchemaType[] = []
  if (kinds & KIND_OBJECT) names.push('object')
  if (kinds & KIND_ARRAY) names.push('array')
  if (kinds & KIND_STRING) names.push('string')
  if (kinds & KIND_NUMBER) names.push('number')
  else if (kinds & KIND_INTEGER) names.push('integer')
  if (kinds & KIND_BOOLEAN) names.push('boolean')
  if (kinds & KIND_NULL) names.push('null')
  return names
}

/** A place as a reader writes it (`pull_request.milestone`, `items[].tags`). */
function readableName(shape: SampleShape): string {
  const keys: Array<string | undefined> = []
  for (let current = shape; current.parent !== undefined; current = current.parent) keys.push(current.key)
  let name = ''
  for (let index = keys.length - 1; index >= 0; index--) {
    const key = keys[index]
    if (key === undefined) name += '[]'
    else if (!isPlainKey(key, true)) name += `[${JSON.stringify(key)}]`
    else name += name === '' ? key : `.${key}`
  }
  return name
}

/** Whether emit-schema writes this shape as an `anyOf` (objects or arrays mixed with other types). */
function isAnyOf(shape: SampleShape): boolean {
  const structured = shape.kinds & (KIND_OBJECT | KIND_ARRAY)
  if (structured === 0) return false
  const others = shape.kinds & ~(KIND_OBJECT | KIND_ARRAY | KIND_NULL)
  return others !== 0 || structured === (KIND_OBJECT | KIND_ARRAY)
}

/** A key YAML takes unquoted in flow style; quoted (JSON is valid YAML) otherwise. */
function yamlKey(key: string): string {
  return isPlainKey(key, false) ? key : JSON.stringify(key)
}

/**
 * Letters, digits, `_`, `-` (and `$` when `dollar`), not starting with a digit or `-`:
 * safe after a `.` in a readable path, and unquoted in YAML flow style.
 */
function isPlainKey(key: string, dollar: boolean): boolean {
  if (key.length === 0) return false
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index)
    const lower = code | 0x20
    const ok =
      (lower >= 97 && lower <= 122) ||
      code === 95 || // _
      (dollar && code === 36) || // $
      (index > 0 && ((code >= 48 && code <= 57) || code === 45)) // digits, -
    if (!ok) return false
  }
  return true
}
