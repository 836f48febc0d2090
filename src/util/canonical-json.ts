/**
 * Canonical JSON: the one way sync compares and fingerprints samples, schemas and plans.
 * Object keys are sorted at every depth, so two documents that differ only in key order
 * (a server that re-serialises what it stored, a hand-edited schema) compare equal.
 *
 * Planning compares every event of both sides: equality is decided by walking both values,
 * without writing either (writing both was most of `planSync`'s time for 1,000 events).
 */
import { createHash } from 'node:crypto'
import { setOwn } from './own-property.js'

/**
 * JSON text of `value` with object keys sorted recursively and no whitespace; otherwise
 * exactly `JSON.stringify` (members whose value is `undefined`, a function or a symbol are
 * left out, and written as `null` in arrays; `-0` is `0`). Every object, a `Date` included,
 * is written as its own enumerable keys, sorted (array-index keys such as `"2"`, `"10"` come
 * first, in numeric order, as in any JavaScript object).
 */
export function canonicalJson(value: unknown): string {
  // `undefined` in, `undefined` out, as JSON.stringify.
  return write(value) as string
}

/**
 * Whether two values write the same canonical JSON (`canonicalJson(a) === canonicalJson(b)`):
 * key order, `undefined` members and `-0` make no difference. Not the validators' equality
 * (util/json-equal.ts), which compares values as given, as ajv's `enum` and `const` do.
 */
export function canonicallyEqual(a: unknown, b: unknown): boolean {
  return equal(a, b)
}

/** Hex SHA-256 of the canonical JSON of `value`: a stable fingerprint. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}

/**
 * The canonical text, or undefined for what JSON leaves out. A sorted copy handed to
 * `JSON.stringify` (native) measured faster than writing the text here.
 */
function write(value: unknown): string | undefined {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return Object.is(value, -0) ? 0 : value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key]
    // `undefined` members vanish in JSON; drop them here so {a: undefined} equals {}.
    if (child !== undefined) setOwn(sorted, key, sortKeys(child))
  }
  return sorted
}

/** Structural equality with the semantics of {@link canonicalJson}'s text. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // Primitives that are not identical (NaN, ±Infinity and 0/-0 write alike): compare what JSON makes of them.
    return write(a) === write(b)
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    if (a.length !== other.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(inArray(a[i]), inArray(other[i]))) return false
    return true
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const leftKeys = Object.keys(left)
  const rightKeys = Object.keys(right)
  // Members counted before any is compared: a field added or removed (the usual change
  // between a plan's two sides) is then told at its object, without walking its siblings.
  if (members(left, leftKeys) !== members(right, rightKeys)) return false
  for (const key of leftKeys) {
    const value = left[key]
    if (!omitted(value) && (!Object.hasOwn(right, key) || !equal(value, right[key]))) return false
  }
  return true
}

/** How many of `keys` JSON writes (their values are not {@link omitted}). */
function members(object: Record<string, unknown>, keys: readonly string[]): number {
  let count = keys.length
  for (const key of keys) if (omitted(object[key])) count--
  return count
}

/** Members JSON leaves out of objects. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}

/** What an array element means in JSON (`undefined` and functions are written as `null`). */
function inArray(value: unknown): unknown {
  return omitted(value) ? null : value
}
