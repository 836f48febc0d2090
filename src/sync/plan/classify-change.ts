/**
 * Severity and acknowledgement: the rules that decide whether sync may apply a change.
 *
 * A change that can break a reader (removed, retyped, renamed field; deleted or renamed
 * event) is `breaking` when a workflow reads it, and also when the workflow scan failed
 * (nobody can then say it is unread). When the scan succeeded and no workflow reads it,
 * it is a non-blocking `warning`, unless `--strict` keeps it `breaking`. Additions are
 * `additive`; narrowings (a field that can no longer be null, a new format) are `none`.
 */
import type { AllowBreaking, EventDefinition, SourceLocation } from '../../types.js'
import { recordedLocation } from '../../definitions/locate.js'
import { appendPointer } from '../../util/json-pointer.js'
import type { ChangeRisk } from './field-diff.js'
import type { Acknowledgement, ChangeSeverity, FieldReader, PlanOptions, PlannedChange } from '../sync-types.js'
import { didYouMean } from '../../util/suggest.js'
import { formatPath, isWithin, parsePath } from '../../util/field-path.js'
import { plural } from '../../diagnostics.js'

/** What the rules need besides the change itself. */
export interface ClassifyContext {
  scanOk: boolean
  scanError: string | null
  options: PlanOptions
}

/** Severity, blocking flag and the reason behind them. */
export function classify(
  risk: ChangeRisk,
  readers: readonly FieldReader[],
  acknowledged: Acknowledgement | null,
  context: ClassifyContext,
): Pick<PlannedChange, 'severity' | 'blocking' | 'reason' | 'acknowledged'> {
  if (risk === 'additive') return { severity: 'additive', blocking: false, reason: 'new; no reader can break', acknowledged: null }
  if (risk === 'safe') return { severity: 'none', blocking: false, reason: 'narrows what readers receive', acknowledged: null }
  if (risk === 'observed') {
    return {
      severity: 'additive',
      blocking: false,
      reason: 'real payloads already have this shape (an example shows it): readers get nothing new',
      acknowledged: null,
    }
  }
  let severity: ChangeSeverity
  let reason: string
  if (readers.length > 0) {
    severity = 'breaking'
    reason = `read by ${plural(readers.length, 'workflow')}`
  } else if (!context.scanOk) {
    severity = 'breaking'
    reason = `workflows could not be scanned (${context.scanError ?? 'unknown error'}), so any workflow may read it`
  } else if (context.options.strict) {
    severity = 'breaking'
    reason = 'no workflow reads it, but --strict keeps it blocking'
  } else {
    severity = 'warning'
    reason = 'no workflow reads it'
  }
  // `--allow-breaking` is about blocking changes; on a warning it would only add noise.
  const ack = severity === 'warning' && acknowledged?.by === 'flag' ? null : acknowledged
  return { severity, blocking: severity === 'breaking' && ack === null, reason, acknowledged: ack }
}

/**
 * The acknowledgement covering a change, strongest first: a `renames` entry, an
 * `allowBreaking` entry for the field (or an enclosing object, or `*` for the event),
 * then `--allow-breaking`. `paths` are the change's old and new paths; null for an event.
 */
export function findAcknowledgement(
  definition: EventDefinition | null,
  paths: ReadonlyArray<string> | null,
  fromRenamesEntry: string | null,
  options: PlanOptions,
): Acknowledgement | null {
  if (definition !== null && fromRenamesEntry !== null) {
    return {
      by: 'renames',
      reason: `renames: ${fromRenamesEntry} -> ${definition.renames[fromRenamesEntry]}`,
      location: recordedLocation(definition, appendPointer('/renames', fromRenamesEntry)),
    }
  }
  if (definition !== null) {
    const index = definition.allowBreaking.findIndex((entry) => covers(entry, paths))
    if (index >= 0) {
      const entry = definition.allowBreaking[index]!
      return { by: 'allowBreaking', reason: entry.reason, location: recordedLocation(definition, `/allowBreaking/${index}`) }
    }
  }
  if (options.allowBreaking) return { by: 'flag', reason: '--allow-breaking', location: null }
  return null
}

/** An `allowBreaking` entry that names no field of the event, with where it is and what it was probably meant to be. */
export interface UnmatchedAllowBreaking {
  index: number
  message: string
  location: SourceLocation | null
}

/**
 * `allowBreaking` entries that name no field on either side (`fields`: every trigger
 * variable Refold has and the YAML has); the suggestion prefers a risky change's path. Such an entry acknowledges nothing, most likely
 * a typo; without a note the change it meant stays blocking with no hint why. An entry for
 * a field that exists but did not change is the normal state after a change was applied.
 */
export function unmatchedAllowBreaking(
  definition: EventDefinition,
  fields: ReadonlySet<string>,
  /** Paths of the changes that can break a reader: what an entry most likely meant. */
  risky: readonly string[] = [],
): UnmatchedAllowBreaking[] {
  const out: UnmatchedAllowBreaking[] = []
  definition.allowBreaking.forEach((entry, index) => {
    if (entry.field.trim() === '*') return
    const field = formatPath(parsePath(entry.field))
    for (const path of fields) if (isWithin(path, field)) return
    out.push({
      index,
      message: `allowBreaking entry "${entry.field}": the event has no field "${field}", so it acknowledges nothing${didYouMean(field, risky) || didYouMean(field, fields)}`,
      location: recordedLocation(definition, `/allowBreaking/${index}/field`) ?? recordedLocation(definition, `/allowBreaking/${index}`),
    })
  })
  return out
}

function covers(entry: AllowBreaking, paths: ReadonlyArray<string> | null): boolean {
  if (entry.field.trim() === '*') return true
  if (paths === null) return false
  const field = formatPath(parsePath(entry.field))
  return paths.some((path) => isWithin(path, field))
}
