/**
 * Type- and format-preserving stand-ins for recorded payloads, so `learn` can fold real
 * traffic into event files without copying personal data into a repository.
 *
 * A stand-in must leave inference where the real value puts it: the same JSON type
 * (integer stays integer, a fraction stays a fraction) and, for strings, exactly the same
 * set of formats the inferrer's own detector sees in it (`matchFormats`), so a date-time
 * stays a date-time and a plain label never becomes one. A string whose set of formats no
 * stand-in reproduces keeps its real value, and says so. Keys and array lengths are kept:
 * they are the shape being learned.
 */
import { ALL_FORMATS, matchFormats } from '../infer/string-formats.js'
import type { JsonObject, JsonValue } from '../types.js'
import { appendPointer, splitPointer } from '../util/json-pointer.js'
import { setOwn } from '../util/own-property.js'

/** A redacted copy of a payload and the places whose real value it had to keep. */
export interface Redacted {
  value: JsonObject
  /** JSON Pointers of strings kept as they are (no stand-in has their formats). */
  kept: string[]
}

/** Candidate stand-ins for strings; each is used for the set of formats it matches. */
const STRING_STAND_INS = [
  'redacted',
  '2000-01-01T00:00:00Z',
  '2000-01-01',
  'user@example.com',
  'https://example.com/',
  '00000000-0000-4000-8000-000000000000',
  'urn:uuid:00000000-0000-4000-8000-000000000000',
  'mailto:user@example.com',
  '00:00:00Z',
]

/** Format mask -> the first stand-in with exactly those formats. */
const BY_FORMATS: ReadonlyMap<number, string> = (() => {
  const map = new Map<number, string>()
  for (const standIn of STRING_STAND_INS) {
    const mask = matchFormats(standIn, ALL_FORMATS)
    if (!map.has(mask)) map.set(mask, standIn)
  }
  return map
})()

/** The stand-in for one string, or undefined when none has the same formats. */
export function standInString(value: string): string | undefined {
  return BY_FORMATS.get(matchFormats(value, ALL_FORMATS))
}

/** The stand-in for one number: `0` for an integer, `0.5` for a fraction. */
function standInNumber(value: number): number {
  return Number.isInteger(value) ? 0 : 0.5
}

/** A redacted copy of `payload` (iterative: payload depth is bounded elsewhere, never by the call stack). */
export function redactPayload(payload: JsonObject): Redacted {
  const kept: string[] = []
  const root: JsonObject = {}
  // Each entry: a real container and its copy being filled, at a pointer.
  const stack: Array<[real: JsonObject | JsonValue[], copy: JsonObject | JsonValue[], pointer: string]> = [[payload, root, '']]
  while (stack.length > 0) {
    const [real, copy, pointer] = stack.pop()!
    const entries: Array<[string | number, JsonValue]> = Array.isArray(real) ? real.map((v, i) => [i, v]) : Object.entries(real)
    for (const [key, value] of entries) {
      const at = appendPointer(pointer, key)
      let out: JsonValue
      if (Array.isArray(value)) {
        out = []
        stack.push([value, out, at])
      } else if (typeof value === 'object' && value !== null) {
        out = {}
        stack.push([value, out, at])
      } else if (typeof value === 'string') {
        const standIn = standInString(value)
        if (standIn === undefined) kept.push(at)
        out = standIn ?? value
      } else if (typeof value === 'number') {
        out = standInNumber(value)
      } else if (typeof value === 'boolean') {
        out = false
      } else {
        out = value
      }
      if (Array.isArray(copy)) copy.push(out)
      else setOwn(copy, key as string, out)
    }
  }
  return { value: root, kept: kept.sort() }
}

/**
 * `redacted` with the real value of `payload` put back at `pointer` (the whole subtree),
 * for a place where a stand-in does not pass a check the real value passes.
 */
export function restoreValue(redacted: JsonObject, payload: JsonObject, pointer: string): JsonObject {
  const tokens = splitPointer(pointer)
  if (tokens.length === 0) return structuredClone(payload)
  const copy = structuredClone(redacted)
  let real: JsonValue = payload
  let target: JsonValue = copy
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const last = i === tokens.length - 1
    const realNext = childOf(real, token)
    if (realNext === undefined) return copy
    if (last) {
      if (Array.isArray(target)) target[Number(token)] = structuredClone(realNext)
      else if (typeof target === 'object' && target !== null) setOwn(target, token, structuredClone(realNext))
      return copy
    }
    const targetNext = childOf(target, token)
    if (targetNext === undefined) return copy
    real = realNext
    target = targetNext
  }
  return copy
}

function childOf(value: JsonValue, token: string): JsonValue | undefined {
  if (Array.isArray(value)) {
    const index = Number(token)
    return Number.isInteger(index) && index >= 0 && index < value.length ? value[index] : undefined
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, token)) return value[token]
  return undefined
}
