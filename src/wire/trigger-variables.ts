/**
 * Trigger variables: the dotted field paths of an event payload that workflows read as
 * `{{event.first_name}}`. Refold lists them in an event's `response` as `{key, type}`
 * with type `text` or `object` (docs.refold.ai, "Get all events": nested fields use dot
 * notation, e.g. `prospect.email`). The one home of the `{{event...}}` grammar: the emulator
 * renders and checks references with it, sync finds who reads which field with it. Pure
 * functions, no I/O.
 */
import type { JsonObject, JsonValue } from '../types.js'

/** A trigger variable as Refold lists it in an event's `response`. */
export interface TriggerVariable {
  /** Dotted path (`prospect.email`). */
  key: string
  type: 'text' | 'object'
}

/**
 * The `response` list Refold derives from a sample: every key in document order, nested
 * objects first as `object` and then their fields. Arrays count as `object` (they are
 * objects to the JavaScript that parses the sample) and are not descended into, as
 * Refold's examples never show indexed keys; every other value is `text`.
 */
export function triggerVariables(sample: JsonValue): TriggerVariable[] {
  const variables: TriggerVariable[] = []
  const walk = (value: JsonObject, prefix: string): void => {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix === '' ? key : `${prefix}.${key}`
      if (isObject(child)) {
        variables.push({ key: path, type: 'object' })
        walk(child, path)
      } else {
        variables.push({ key: path, type: Array.isArray(child) ? 'object' : 'text' })
      }
    }
  }
  if (isObject(sample)) walk(sample, '')
  return variables
}

/**
 * A reference: `{{event.a.b}}`, `{{ event.items[0].sku }}`, `{{event["first name"]}}` or
 * `{{event}}` (the whole payload), with an optional `| filter` tail, which is ignored.
 */
const EVENT_VARIABLE = /\{\{\s*event((?:\.[^\s.[\]|}]+|\[[^\]]*\])*)\s*(?:\|[^}]*)?\}\}/g
const SEGMENT = /\.([^\s.[\]|}]+)|\[([^\]]*)\]/g

/**
 * Every reference in `text` in order, repeats included: as written (`{{ event.items[0].sku }}`)
 * and its path part after `event` (`.items[0].sku`, empty for the whole payload).
 */
export function referencesIn(text: string): Array<{ written: string; pathText: string }> {
  return [...text.matchAll(EVENT_VARIABLE)].map((match) => ({ written: match[0], pathText: match[1] ?? '' }))
}

/** Dotted paths (without `event.`) a workflow text references, in order, without duplicates. */
export function referencedVariables(text: string): string[] {
  const seen = new Set<string>()
  for (const match of text.matchAll(EVENT_VARIABLE)) seen.add(dotted(segments(match[1]!)))
  return [...seen]
}

/** Each distinct reference of a workflow text as written (`{{event.items[0].sku}}`) and as a dotted path. */
export function variableReferences(text: string): Array<{ written: string; path: string }> {
  const seen = new Map<string, string>()
  for (const match of text.matchAll(EVENT_VARIABLE)) {
    const path = dotted(segments(match[1]!))
    if (!seen.has(path)) seen.set(path, match[0])
  }
  return [...seen].map(([path, written]) => ({ written, path }))
}

/** The value at a path (dotted, or as parsed segments); numeric segments index arrays. */
export function resolveVariable(
  payload: JsonValue,
  path: string | ReadonlyArray<string | number>,
): { found: true; value: JsonValue } | { found: false } {
  let current: JsonValue = payload
  for (const segment of typeof path === 'string' ? (path === '' ? [] : path.split('.')) : path) {
    if (Array.isArray(current) && (typeof segment === 'number' || /^(0|[1-9]\d*)$/.test(segment))) {
      const index = Number(segment)
      if (index >= current.length) return { found: false }
      current = current[index]!
    } else if (isObject(current) && Object.hasOwn(current, String(segment))) {
      current = current[String(segment)]!
    } else {
      return { found: false }
    }
  }
  return { found: true, value: current }
}

/**
 * Fill `{{event.x}}` references with payload values: strings as they are, `null` as the
 * empty string, other values as JSON. References the payload lacks stay as written and
 * are listed (dotted) in `missing`.
 */
export function renderText(text: string, payload: JsonObject): { output: string; missing: string[] } {
  const missing = new Set<string>()
  const output = text.replace(EVENT_VARIABLE, (whole, path: string) => {
    const parsed = segments(path)
    const resolved = resolveVariable(payload, parsed)
    if (!resolved.found) {
      missing.add(dotted(parsed))
      return whole
    }
    const value = resolved.value
    if (typeof value === 'string') return value
    if (value === null) return ''
    return JSON.stringify(value)
  })
  return { output, missing: [...missing] }
}

/** `.a[0]["b c"]` -> `['a', 0, 'b c']`. */
function segments(path: string): Array<string | number> {
  const result: Array<string | number> = []
  for (const match of path.matchAll(SEGMENT)) {
    if (match[1] !== undefined) {
      result.push(match[1])
      continue
    }
    const inner = match[2]!.trim()
    if (/^\d+$/.test(inner)) result.push(Number(inner))
    else if (/^(["']).*\1$/.test(inner)) result.push(inner.slice(1, -1))
    else result.push(inner)
  }
  return result
}

function dotted(path: ReadonlyArray<string | number>): string {
  return path.join('.')
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
