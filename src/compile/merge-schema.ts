/**
 * The `schema` override of an event file applied over the inferred schema, as a JSON
 * Merge Patch (RFC 7396): objects merge key by key, arrays (`required`, `enum`, `type`)
 * and plain values replace, and `null` removes a keyword (so `format: null` drops an
 * inferred format). Pure: the inputs are never modified.
 *
 * Keys are written as `JSON.parse` writes them, so a field literally named `__proto__`
 * or `constructor` stays data and can never reach a prototype.
 */
import type { JsonSchema, JsonValue } from '../types.js'
import { setOwn } from '../util/own-property.js'

/** `override` deep-merged over `base`; a new object. */
export function mergeSchema(base: JsonSchema, override: JsonSchema | undefined): JsonSchema {
  if (override === undefined) return cloneJson(base as JsonValue) as JsonSchema
  return mergePatch(base as JsonValue, override as JsonValue) as JsonSchema
}

/** RFC 7396 merge of `patch` over `target`; returns a new value. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return cloneJson(patch)
  const result: Record<string, JsonValue> = isObject(target) ? (cloneJson(target) as Record<string, JsonValue>) : {}
  for (const key of Object.keys(patch)) {
    const value = patch[key]!
    if (value === null) {
      if (Object.hasOwn(result, key)) delete result[key]
      continue
    }
    const current = Object.hasOwn(result, key) ? result[key] : undefined
    setOwn(result, key, mergePatch(current, value))
  }
  return result
}

/** A deep copy of a JSON value, built with own data properties only. */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson)
  if (!isObject(value)) return value
  const copy: Record<string, JsonValue> = {}
  for (const key of Object.keys(value)) setOwn(copy, key, cloneJson(value[key]!))
  return copy
}

function isObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
