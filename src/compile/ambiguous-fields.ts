/**
 * Refold names trigger variables by dotted path (`{{event.address.city}}`), so a field
 * literally named `address.city` beside a nested `address` -> `city` gives two fields one
 * name. This finds such pairs in a final schema.
 */
import type { JsonSchema } from '../types.js'
import { appendPointer } from '../util/json-pointer.js'

/** Two fields that share one dotted trigger-variable name. */
export interface AmbiguousField {
  /** The shared dotted name (`address.city`). */
  dotted: string
  /** Payload pointer of the field first seen with that name. */
  first: string
  /** Payload pointer of the other field. */
  second: string
}

/** Every pair of fields of `schema` whose dotted paths coincide, in schema order. */
export function findAmbiguousFields(schema: JsonSchema): AmbiguousField[] {
  const seen = new Map<string, string>()
  const found: AmbiguousField[] = []
  collect(schema, '', '', seen, found)
  return found
}

function collect(schema: JsonSchema, dotted: string, pointer: string, seen: Map<string, string>, found: AmbiguousField[]): void {
  const properties = schema.properties
  if (properties !== undefined && typeof properties === 'object') {
    for (const key of Object.keys(properties)) {
      const childDotted = dotted === '' ? key : `${dotted}.${key}`
      const childPointer = appendPointer(pointer, key)
      const first = seen.get(childDotted)
      if (first === undefined) seen.set(childDotted, childPointer)
      else if (first !== childPointer) found.push({ dotted: childDotted, first, second: childPointer })
      const child = properties[key]
      if (child !== undefined && typeof child === 'object') collect(child, childDotted, childPointer, seen, found)
    }
  }
  // A nullable or mixed object field keeps its fields in the alternatives.
  for (const branch of schema.anyOf ?? []) {
    if (typeof branch === 'object' && branch !== null) collect(branch, dotted, pointer, seen, found)
  }
}
