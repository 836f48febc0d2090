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
import type { InferWarning, InferWarningKind } from '../types.js'
import { escapeToken } from '../util/json-pointer.js'
import { KIND_ARRAY, KIND_NULL, KIND_OBJECT, type SampleShape } from './sample-shape.js'

/** Deeper paths make an override example too long to help; the message then omits it. */
const MAX_EXAMPLE_DEPTH = 4

/** A field seen only as `null`: its type is unknown, its schema accepts anything. */
export function unknownTypeWarning(shape: SampleShape): InferWarning {
  return warning(
    'unknown-type',
    shape,
    'is null in every sample, so its type is unknown and any value is accepted. ' +
      'Add an example where it has a value, or set its type in a `schema` override',
    '{ type: [string, "null"] }',
  )
}

/** An array never seen with an element: its items' type is unknown. */
export function emptyArrayWarning(shape: SampleShape): InferWarning {
  return warning(
    'empty-array',
    shape,
    'is an empty array in every sample, so the type of its items is unknown and any item is accepted. ' +
      'Add an example with at least one item, or set the item type in a `schema` override',
    '{ items: { type: string } }',
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
  )
}

/**
 * The warning for `shape`: its JSON Pointer (`*` for array items), a message that names
 * it as `customer.company` / `items[].tags` / `["first name"]` (`The payload` at the
 * root), and, where it helps, `, for example: schema: { properties: { a: <leaf> } }`.
 * The example is left out when the path is deep or passes through an `anyOf` union,
 * where a `properties` override would not reach the field.
 */
function warning(kind: InferWarningKind, shape: SampleShape, problem: string, leaf: string): InferWarning {
  const keys: Array<string | undefined> = []
  let example: string | undefined = leaf
  for (let current = shape; current.parent !== undefined; current = current.parent) {
    keys.push(current.key)
    if (example === undefined) continue
    if (keys.length > MAX_EXAMPLE_DEPTH || isAnyOf(current.parent)) example = undefined
    else example = current.key === undefined ? `{ items: ${example} }` : `{ properties: { ${yamlKey(current.key)}: ${example} } }`
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
  const suffix = example === undefined ? '.' : `, for example: \`schema: ${example}\`.`
  return { kind, path, message: `${field} ${problem}${suffix}` }
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
