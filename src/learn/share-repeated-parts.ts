/**
 * Equal parts of new examples made one shared object, so the `yaml` package writes each once
 * with an anchor and then as aliases (`&learned1` ... `*learned1`). Redacted examples repeat
 * whole objects (a GitHub `user` or `repository` redacted is the same everywhere), which
 * makes a learned diff an order of magnitude smaller.
 *
 * Readers of the file bound aliases: the loader by nodes expanded, the `yaml` package by a
 * budget of `references x aliases inside the anchored part` (100 by default, what editors
 * keep), so aliases inside aliased parts multiply. Hence three forms, tried in order by the
 * caller until one reads back:
 * - `nested`: every repeated part aliased, parents and children alike (the smallest);
 * - `maximal`: the largest repeated parts aliased whole, nothing aliased inside an anchored
 *   part (every anchor costs 1 per reference);
 * - `flat`: only parts that hold no alias are shared.
 */
import type { JsonObject, JsonValue } from '../types.js'
import { setOwn } from '../util/own-property.js'

/** How repeated parts are shared, most compact first. */
export type Sharing = 'nested' | 'maximal' | 'flat'

/** The forms to try, most compact first. */
export const SHARING_MODES: readonly Sharing[] = ['nested', 'maximal', 'flat']

/** Parts smaller than this (as JSON) are written out even when repeated: an alias would not be shorter to read. */
const MIN_SHARED_JSON = 64

/** `examples` with equal objects and arrays of at least {@link MIN_SHARED_JSON} characters shared as `sharing` says. */
export function shareRepeatedParts(examples: readonly JsonObject[], sharing: Sharing): JsonObject[] {
  return sharing === 'maximal' ? shareMaximal(examples) : shareBottomUp(examples, sharing === 'flat')
}

/** Bottom-up, so an equal parent is shared whole; with `flat`, a part holding an alias is not shared itself. */
function shareBottomUp(examples: readonly JsonObject[], flat: boolean): JsonObject[] {
  const seen = new Map<string, JsonValue>()
  /** The part, possibly shared, and whether it is or holds an alias. */
  const share = (value: JsonValue): [JsonValue, boolean] => {
    if (typeof value !== 'object' || value === null) return [value, false]
    let holdsAlias = false
    const copy = mapChildren(value, (child) => {
      const [shared, alias] = share(child)
      holdsAlias ||= alias
      return shared
    })
    if (holdsAlias && flat) return [copy, true]
    const key = JSON.stringify(copy)
    if (key.length < MIN_SHARED_JSON) return [copy, holdsAlias]
    const first = seen.get(key)
    if (first !== undefined) return [first, true]
    seen.set(key, copy)
    return [copy, holdsAlias]
  }
  return examples.map((example) => share(example)[0] as JsonObject)
}

/**
 * Top-down: a part seen before is aliased whole, unless it lies inside an anchored part
 * (then it is written out, so no anchored part holds an alias); a first occurrence of a part
 * that repeats becomes an anchor.
 */
function shareMaximal(examples: readonly JsonObject[]): JsonObject[] {
  const keys = new Map<object, string>()
  const counts = new Map<string, number>()
  const count = (value: JsonValue): void => {
    if (typeof value !== 'object' || value === null) return
    for (const child of Array.isArray(value) ? value : Object.values(value)) count(child)
    const key = JSON.stringify(value)
    keys.set(value, key)
    if (key.length >= MIN_SHARED_JSON) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  for (const example of examples) count(example)
  const anchored = new Map<string, JsonValue>()
  const build = (value: JsonValue, insideAnchor: boolean): JsonValue => {
    if (typeof value !== 'object' || value === null) return value
    const key = keys.get(value)!
    const repeats = (counts.get(key) ?? 0) >= 2
    const first = anchored.get(key)
    if (first !== undefined && !insideAnchor) return first
    const anchor = repeats && first === undefined
    const copy = mapChildren(value, (child) => build(child, insideAnchor || anchor))
    if (anchor) anchored.set(key, copy)
    return copy
  }
  return examples.map((example) => build(example, false) as JsonObject)
}

/** A fresh container with `map` applied to each child; keys set as data (`__proto__` included). */
function mapChildren(value: JsonObject | JsonValue[], map: (child: JsonValue) => JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(map)
  const object: JsonObject = {}
  for (const [key, child] of Object.entries(value)) setOwn(object, key, map(child))
  return object
}
