/**
 * The warnings inference gives when the samples cannot tell a type: a field that is
 * null in every sample, an array that is always empty, an object that is always empty
 * (closed objects then allow no field at all). Each message names the field as a reader
 * writes it (`items[].tags`) and shows the `schema` override that would settle it, in
 * the YAML flow style an event file can take as is.
 */
import type { InferWarning } from '../types.js'
import { KIND_ARRAY, KIND_NULL, KIND_OBJECT, shapeLineage, shapePath, type SampleShape } from './sample-shape.js'

/** Deeper paths make an override example too long to help; the message then omits it. */
const MAX_EXAMPLE_DEPTH = 4

/** A field seen only as `null`: its type is unknown, its schema accepts anything. */
export function unknownTypeWarning(shape: SampleShape): InferWarning {
  const path = shapePath(shape)
  return {
    kind: 'unknown-type',
    path,
    message:
      `${describeField(shape)} is null in every sample, so its type is unknown and any value is accepted. ` +
      `Add an example where it has a value, or set its type in a \`schema\` override` +
      overrideExample(shape, '{ type: [string, "null"] }'),
  }
}

/** An array never seen with an element: its items' type is unknown. */
export function emptyArrayWarning(shape: SampleShape): InferWarning {
  const path = shapePath(shape)
  return {
    kind: 'empty-array',
    path,
    message:
      `${describeField(shape)} is an empty array in every sample, so the type of its items is unknown and any item is accepted. ` +
      `Add an example with at least one item, or set the item type in a \`schema\` override` +
      overrideExample(shape, '{ items: { type: string } }'),
  }
}

/** An object never seen with a property: with closed objects it admits none. */
export function emptyObjectWarning(shape: SampleShape): InferWarning {
  const path = shapePath(shape)
  return {
    kind: 'unknown-type',
    path,
    message:
      `${describeField(shape)} is an empty object in every sample, so its fields are unknown and, objects being closed, none is allowed. ` +
      `Add an example that has its fields, or declare them in a \`schema\` override` +
      overrideExample(shape, '{ additionalProperties: { type: string } }'),
  }
}

/** `customer.company`, `items[].tags`, `["first name"]`; `The payload` for the root. */
function describeField(shape: SampleShape): string {
  const lineage = shapeLineage(shape)
  if (lineage.length === 0) return 'The payload'
  let out = ''
  for (const { key } of lineage) {
    if (key === undefined) out += '[]'
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return `\`${out}\``
}

/**
 * `, for example: schema: { properties: { a: <leaf> } }` built from the shape's path,
 * or just `.` when the path is too deep or passes through an `anyOf` union, where a
 * `properties` override would not reach the field.
 */
function overrideExample(shape: SampleShape, leaf: string): string {
  let text = leaf
  let depth = 0
  for (let current = shape; current.parent !== undefined; current = current.parent) {
    if (++depth > MAX_EXAMPLE_DEPTH || isAnyOf(current.parent)) return '.'
    text = current.key === undefined ? `{ items: ${text} }` : `{ properties: { ${yamlKey(current.key)}: ${text} } }`
  }
  return `, for example: \`schema: ${text}\`.`
}

/** Whether emit-schema writes this shape as an `anyOf` (objects or arrays mixed with other types). */
function isAnyOf(shape: SampleShape): boolean {
  const structured = shape.kinds & (KIND_OBJECT | KIND_ARRAY)
  if (structured === 0) return false
  const others = shape.kinds & ~(KIND_OBJECT | KIND_ARRAY | KIND_NULL)
  return others !== 0 || structured === (KIND_OBJECT | KIND_ARRAY)
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key)
}
