/**
 * A widening that real traffic already shows is no change for readers. `examples` hold
 * payloads recorded from production (`refold-events learn` adds them), never pushed to Refold:
 * when one of them already has `null` where the definition now allows null, lacks a field the
 * definition now makes optional, or carries a value of a type the definition now adds, every
 * workflow reading the field has been getting that shape all along. The definition only
 * catches up with reality, so sync treats such a change as additive (issue 10, item 6),
 * instead of refusing the very pull request that makes Refold stop rejecting real events.
 */
import type { JsonValue } from '../../types.js'
import type { FieldDelta } from './field-diff.js'
import { ITEMS } from '../../util/field-path.js'

/** Whether one of `examples` already shows the shape `delta` widens the field to. */
export function widenedShapeObserved(examples: readonly JsonValue[], delta: FieldDelta): boolean {
  const { before, after } = delta
  if (before === null || after === null || delta.to !== null) return false
  const segments = after.segments
  const field = segments.at(-1)
  if (field === undefined || field === ITEMS) return false
  const parents = examples.flatMap((example) => valuesAt(example, segments.slice(0, -1)))
  const objects = parents.filter(
    (parent): parent is Record<string, JsonValue> => typeof parent === 'object' && parent !== null && !Array.isArray(parent),
  )
  switch (delta.kind) {
    case 'nullability-changed':
      return after.nullable && objects.some((parent) => Object.hasOwn(parent, field) && parent[field] === null)
    case 'requirement-changed':
      return !after.required && objects.some((parent) => !Object.hasOwn(parent, field))
    case 'type-changed': {
      const added = after.types.filter((type) => !before.types.includes(type))
      return objects.some((parent) => Object.hasOwn(parent, field) && added.includes(jsonType(parent[field]!)))
    }
    default:
      return false
  }
}

/** Every value at `segments` (`[]` = each element) inside `value`. */
function valuesAt(value: JsonValue, segments: readonly string[]): JsonValue[] {
  let current: JsonValue[] = [value]
  for (const segment of segments) {
    const next: JsonValue[] = []
    for (const item of current) {
      if (segment === ITEMS) {
        if (Array.isArray(item)) next.push(...item)
      } else if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.hasOwn(item, segment)) {
        next.push(item[segment]!)
      }
    }
    current = next
  }
  return current
}

/** The JSON Schema type name of a value (`integer` for whole numbers). */
function jsonType(value: JsonValue): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}
