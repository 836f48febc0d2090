/**
 * Canonical JSON: the one way sync compares and fingerprints samples, schemas and plans.
 * Object keys are sorted at every depth, so two documents that differ only in key order
 * (a server that re-serialises what it stored, a hand-edited schema) compare equal.
 */
import { createHash } from 'node:crypto'
import { setOwn } from '../util/own-property.js'

/** JSON text of `value` with object keys sorted recursively and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** Whether two JSON values are equal regardless of key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

/** Hex SHA-256 of the canonical JSON of `value`: a stable fingerprint. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
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
