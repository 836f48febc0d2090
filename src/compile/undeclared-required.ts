/**
 * A `required` entry naming a field the object does not declare is almost always a typo in
 * the override's `required` list: on a closed object (`additionalProperties: false`) no
 * payload can have it, and on an open one no sample or example has it (inference declares
 * every field they show), so the samples would fail. Reported once at the entry, with a
 * "did you mean", instead of once per sample. Objects with `patternProperties` are skipped:
 * a pattern may declare the name.
 */
import type { JsonSchema } from '../types.js'
import { appendPointer } from '../util/json-pointer.js'
import { didYouMean } from '../util/suggest.js'

export interface UndeclaredRequired {
  /** Pointer into the schema of the `required` entry (`/properties/deal/required/1`). */
  pointer: string
  message: string
}

/** Every unsatisfiable `required` entry of `schema`, in schema order. */
export function findUndeclaredRequired(schema: JsonSchema): UndeclaredRequired[] {
  const found: UndeclaredRequired[] = []
  visit(schema, '', found)
  return found
}

function visit(schema: JsonSchema, pointer: string, found: UndeclaredRequired[]): void {
  const properties = schema.properties ?? {}
  const closed = schema.additionalProperties === false
  if (Array.isArray(schema.required) && (closed || schema.patternProperties === undefined)) {
    const why = closed ? 'the object is closed, so no payload could have it' : 'no sample or example has it'
    schema.required.forEach((name, index) => {
      if (typeof name !== 'string' || Object.hasOwn(properties, name)) return
      found.push({
        pointer: appendPointer(appendPointer(pointer, 'required'), index),
        message: `"${name}" is required but is not a field of this object${didYouMean(name, Object.keys(properties))}; ${why}`,
      })
    })
  }
  for (const key of Object.keys(properties)) {
    const child = properties[key]
    if (typeof child === 'object' && child !== null) visit(child, appendPointer(appendPointer(pointer, 'properties'), key), found)
  }
  if (typeof schema.items === 'object' && schema.items !== null) visit(schema.items, appendPointer(pointer, 'items'), found)
  schema.anyOf?.forEach((branch, index) => {
    if (typeof branch === 'object' && branch !== null) visit(branch, appendPointer(appendPointer(pointer, 'anyOf'), index), found)
  })
}
