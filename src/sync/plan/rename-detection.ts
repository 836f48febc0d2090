/**
 * Probable field renames: a removed and an added field of the same type whose names are
 * alike (`firstName`/`first_name`, `phone`/`phone_number`) or whose sample values are the
 * same distinctive value. Reporting these as renames rather than a delete plus an add is
 * what lets the plan say "rename it back, or acknowledge it" instead of two unrelated lines.
 */
import { editDistance } from '../../util/suggest.js'
import type { JsonValue } from '../../types.js'
import { canonicalJson } from '../../util/canonical-json.js'
import { parentPath } from '../../util/field-path.js'
import type { TriggerField } from './trigger-fields.js'

export interface RenamePair {
  from: TriggerField
  to: TriggerField
  evidence: 'similar-name' | 'same-sample-value'
}

/** One-to-one pairing of removed and added fields, strongest evidence first; deterministic. */
export function findProbableRenames(removed: readonly TriggerField[], added: readonly TriggerField[]): RenamePair[] {
  const candidates: Array<{ from: TriggerField; to: TriggerField; score: number; evidence: RenamePair['evidence'] }> = []
  const removedValues = valueCounts(removed)
  const addedValues = valueCounts(added)
  for (const from of removed) {
    for (const to of added) {
      if (!sameKind(from, to)) continue
      const nameScore = parentPath(from.segments) === parentPath(to.segments) ? nameSimilarity(lastSegment(from), lastSegment(to)) : 0
      const value = distinctiveValue(from.sample)
      // A value shared by several removed or added fields proves nothing about which pairs with which.
      const sameValue =
        value !== null && value === distinctiveValue(to.sample) && removedValues.get(value) === 1 && addedValues.get(value) === 1
      if (nameScore === 0 && !sameValue) continue
      candidates.push({
        from,
        to,
        score: nameScore + (sameValue ? 2 : 0),
        evidence: nameScore > 0 ? 'similar-name' : 'same-sample-value',
      })
    }
  }
  candidates.sort((a, b) => b.score - a.score || order(a.from.path, b.from.path) || order(a.to.path, b.to.path))
  const pairs: RenamePair[] = []
  const usedFrom = new Set<string>()
  const usedTo = new Set<string>()
  for (const candidate of candidates) {
    if (usedFrom.has(candidate.from.path) || usedTo.has(candidate.to.path)) continue
    usedFrom.add(candidate.from.path)
    usedTo.add(candidate.to.path)
    pairs.push({ from: candidate.from, to: candidate.to, evidence: candidate.evidence })
  }
  return pairs
}

/**
 * 3: same words in another case style (`firstName`, `first_name`, `First-Name`);
 * 2: one name extends the other (`phone` -> `phone_number`);
 * 1: a small typo fix (`adress` -> `address`); 0: unrelated.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = normalise(a)
  const y = normalise(b)
  if (x === '' || y === '') return 0
  if (x === y) return 3
  const shorter = Math.min(x.length, y.length)
  if (shorter >= 4 && (x.startsWith(y) || y.startsWith(x) || x.endsWith(y) || y.endsWith(x))) return 2
  const allowed = shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0
  return allowed > 0 && editDistance(x, y) <= allowed ? 1 : 0
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** Same JSON types, counting integer and number as one (a rename may also widen a count). */
function sameKind(a: TriggerField, b: TriggerField): boolean {
  const kinds = (f: TriggerField): string => [...new Set(f.types.map((t) => (t === 'integer' ? 'number' : t)))].sort().join('|')
  return kinds(a) === kinds(b)
}

/** Canonical text of a sample value specific enough to identify a field, else null. */
function distinctiveValue(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null || typeof value === 'boolean') return null
  if (typeof value === 'string') return value.trim().length >= 3 ? canonicalJson(value) : null
  if (typeof value === 'number') return Math.abs(value) > 1 ? canonicalJson(value) : null
  if (Array.isArray(value)) return value.length > 0 ? canonicalJson(value) : null
  return Object.keys(value).length > 0 ? canonicalJson(value) : null
}

function valueCounts(fields: readonly TriggerField[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const field of fields) {
    const value = distinctiveValue(field.sample)
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  return counts
}

function lastSegment(field: TriggerField): string {
  return field.segments[field.segments.length - 1] ?? ''
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
