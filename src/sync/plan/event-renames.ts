/**
 * Probable event renames: a remote event with no YAML any more and a new YAML event
 * with no remote counterpart, carrying mostly the same trigger variables. Workflows are
 * attached to the old name, so firing the new one silently stops them: worth saying.
 */
import type { FieldMap } from './trigger-fields.js'

/** Share of trigger variables two events must have in common to count as one renamed event. */
const EVENT_RENAME_THRESHOLD = 0.75

export interface EventRenamePair {
  from: string
  to: string
  /** Jaccard similarity of the two events' trigger variables (path and type). */
  similarity: number
}

/**
 * Pair vanished remote events with new local ones, most similar first, one-to-one.
 * `gone` and `fresh` map event names to their fields.
 */
export function findEventRenames(gone: ReadonlyMap<string, FieldMap>, fresh: ReadonlyMap<string, FieldMap>): EventRenamePair[] {
  const candidates: EventRenamePair[] = []
  for (const [from, oldFields] of gone) {
    const oldKeys = fieldKeys(oldFields)
    if (oldKeys.size === 0) continue
    for (const [to, newFields] of fresh) {
      const similarity = jaccard(oldKeys, fieldKeys(newFields))
      if (similarity >= EVENT_RENAME_THRESHOLD) candidates.push({ from, to, similarity })
    }
  }
  candidates.sort((a, b) => b.similarity - a.similarity || order(a.from, b.from) || order(a.to, b.to))
  const pairs: EventRenamePair[] = []
  const used = new Set<string>()
  for (const candidate of candidates) {
    if (used.has(`from:${candidate.from}`) || used.has(`to:${candidate.to}`)) continue
    used.add(`from:${candidate.from}`)
    used.add(`to:${candidate.to}`)
    pairs.push(candidate)
  }
  return pairs
}

/** Jaccard similarity of two events' trigger variables (path and type), for a rename the YAML declares. */
export function fieldSimilarity(a: FieldMap, b: FieldMap): number {
  return jaccard(fieldKeys(a), fieldKeys(b))
}

/** `path:type` per field: the same path with another type is not the same field. */
function fieldKeys(fields: FieldMap): Set<string> {
  const keys = new Set<string>()
  for (const field of fields.values()) keys.add(`${field.path}:${field.types.map((t) => (t === 'integer' ? 'number' : t)).join('|')}`)
  return keys
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let shared = 0
  for (const key of a) if (b.has(key)) shared++
  return shared / (a.size + b.size - shared)
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
