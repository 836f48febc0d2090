/**
 * Field-level diff of one event: what happens to each trigger variable between what
 * Refold has (`before`) and what the YAML says (`after`). Pure; severity comes later
 * (see classify-change.ts), this module only says how risky a change is for a reader.
 */
import type { ChangeKind, PlannedChange } from '../sync-types.js'
import { didYouMean } from '../../util/suggest.js'
import { findProbableRenames } from './rename-detection.js'
import type { FieldMap, TriggerField } from './trigger-fields.js'
import { formatPath, parsePath } from '../../util/field-path.js'

/**
 * How a change can affect a workflow that reads the field:
 * `breaking-if-read` (a reader may get nothing or something it cannot handle),
 * `additive` (something new to read), `safe` (readers keep working: a narrowing),
 * `observed` (a widening the event's recorded examples already show: see observed-widening.ts).
 */
export type ChangeRisk = 'breaking-if-read' | 'additive' | 'safe' | 'observed'

/** One field change before classification. */
export interface FieldDelta {
  kind: Exclude<ChangeKind, 'event-created' | 'event-deleted' | 'event-renamed'>
  /** The old path (the new one for additions). */
  path: string
  /** New path of a rename. */
  to: string | null
  before: TriggerField | null
  after: TriggerField | null
  risk: ChangeRisk
  evidence: PlannedChange['evidence']
}

/** A `renames` entry that matched nothing, worth telling the author about. */
export interface RenameProblem {
  from: string
  message: string
}

/**
 * Diff two field maps; `renames` (old path -> new path) turns a removal plus an addition into a
 * rename. Added paths in `unpaired` are never taken for the new name of a probable rename (the
 * copy of a rename in expansion is an addition of its own, not where a removed field went).
 */
export function diffFields(
  before: FieldMap,
  after: FieldMap,
  renames: Readonly<Record<string, string>> = {},
  unpaired: ReadonlySet<string> = new Set(),
): { deltas: FieldDelta[]; problems: RenameProblem[] } {
  const removed = new Set([...before.keys()].filter((p) => !after.has(p)))
  const added = new Set([...after.keys()].filter((p) => !before.has(p)))
  const deltas: FieldDelta[] = []
  const problems: RenameProblem[] = []

  for (const [fromText, toText] of Object.entries(renames)) {
    const from = formatPath(parsePath(fromText))
    const to = formatPath(parsePath(toText))
    if (!removed.has(from)) {
      if (before.has(from))
        problems.push({
          from: fromText,
          message: `renames entry "${fromText}" -> "${toText}": "${from}" is still in the sample, so nothing is renamed`,
        })
      // Already applied (Refold has the new name and not the old) is the normal steady state;
      // anything else is an entry that matches nothing, most likely a typo: say so, or the
      // rename it meant to acknowledge stays blocking with no hint why.
      else if (!before.has(to)) {
        problems.push({
          from: fromText,
          message: `renames entry "${fromText}" -> "${toText}": Refold has no field "${from}", so it acknowledges nothing${didYouMean(from, removed)}`,
        })
      }
      continue
    }
    if (!added.has(to) && before.has(to) && after.has(to)) {
      // Refold has both names (the rename was expanded) and the YAML keeps only the new one:
      // the contraction, which drops the old name and can break whoever still reads it.
      consume(removed, from)
      deltas.push(delta('rename-contracted', from, to, before.get(from)!, null, 'breaking-if-read', 'renames-entry'))
      continue
    }
    if (!added.has(to)) {
      problems.push({
        from: fromText,
        message: `renames entry "${fromText}" -> "${toText}": there is no new field "${to}"${didYouMean(to, added)}`,
      })
      continue
    }
    consume(removed, from)
    consume(added, to)
    deltas.push(delta('field-renamed', from, to, before.get(from)!, after.get(to)!, 'breaking-if-read', 'renames-entry'))
  }

  const removedTop = topMost(removed, before)
  const addedTop = topMost(added, after)
  const pairable = addedTop.filter((field) => !unpaired.has(field.path))
  for (const pair of findProbableRenames(removedTop, pairable)) {
    removedTop.splice(removedTop.indexOf(pair.from), 1)
    addedTop.splice(addedTop.indexOf(pair.to), 1)
    deltas.push(delta('field-renamed', pair.from.path, pair.to.path, pair.from, pair.to, 'breaking-if-read', pair.evidence))
  }
  for (const field of removedTop) deltas.push(delta('field-removed', field.path, null, field, null, 'breaking-if-read', null))
  for (const field of addedTop) deltas.push(delta('field-added', field.path, null, null, field, 'additive', null))

  for (const [path, old] of before) {
    const now = after.get(path)
    if (now !== undefined) deltas.push(...shapeChanges(old, now))
  }
  return { deltas: deltas.sort(byPathThenKind), problems }
}

/** Type, nullability, format and requirement changes of a field present on both sides. */
function shapeChanges(old: TriggerField, now: TriggerField): FieldDelta[] {
  const out: FieldDelta[] = []
  if (!sameTypes(old.types, now.types)) {
    out.push(delta('type-changed', old.path, null, old, now, isNarrowing(old.types, now.types) ? 'safe' : 'breaking-if-read', null))
  }
  if (old.nullable !== now.nullable) {
    // A reader that never saw null may now get one; the reverse only removes a case.
    out.push(delta('nullability-changed', old.path, null, old, now, now.nullable ? 'breaking-if-read' : 'safe', null))
  }
  if (old.format !== now.format) {
    // Adding a format narrows what arrives; dropping or changing it does not.
    out.push(delta('format-changed', old.path, null, old, now, old.format === null ? 'safe' : 'breaking-if-read', null))
  }
  if (old.required !== now.required) {
    out.push(delta('requirement-changed', old.path, null, old, now, now.required ? 'safe' : 'breaking-if-read', null))
  }
  return out
}

/** Whether every value allowed by `now` was allowed by `old` (no types = any type). */
function isNarrowing(old: readonly string[], now: readonly string[]): boolean {
  if (old.length === 0) return true
  if (now.length === 0) return false
  return now.every((t) => old.includes(t) || (t === 'integer' && old.includes('number')))
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t))
}

/** Paths of `set` with no ancestor in `set`, in the map's order: removing `address` reports once, not per child. */
function topMost(set: Set<string>, fields: FieldMap): TriggerField[] {
  const out: TriggerField[] = []
  for (const path of set) {
    const field = fields.get(path)!
    const hasAncestor = field.segments.slice(0, -1).some((_, i) => set.has(formatPath(field.segments.slice(0, i + 1))))
    if (!hasAncestor) out.push(field)
  }
  return out
}

/** Remove `path` and everything below it from `set`. */
function consume(set: Set<string>, path: string): void {
  for (const candidate of [...set]) {
    if (candidate === path || candidate.startsWith(`${path}.`) || candidate.startsWith(`${path}[]`)) set.delete(candidate)
  }
}

function delta(
  kind: FieldDelta['kind'],
  path: string,
  to: string | null,
  before: TriggerField | null,
  after: TriggerField | null,
  risk: ChangeRisk,
  evidence: FieldDelta['evidence'],
): FieldDelta {
  return { kind, path, to, before, after, risk, evidence }
}

const KIND_ORDER: Record<FieldDelta['kind'], number> = {
  'field-removed': 0,
  'field-renamed': 1,
  'rename-contracted': 1,
  'type-changed': 2,
  'nullability-changed': 3,
  'format-changed': 4,
  'requirement-changed': 5,
  'field-added': 6,
}

function byPathThenKind(a: FieldDelta, b: FieldDelta): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
}
