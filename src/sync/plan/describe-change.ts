/**
 * One-line descriptions of changes, shared by every output format so the human, GitHub
 * and Markdown outputs and the JSON plan all say the same thing in the same words.
 */
import type { SourceLocation } from '../../types.js'
import type { ChangeKind, FieldReader, FieldShape, PlannedChange } from '../sync-types.js'

/** What the planner knows when describing a change. */
export interface DescribeInput {
  kind: ChangeKind
  event: string
  path: string | null
  to: string | null
  before: FieldShape | null
  after: FieldShape | null
  evidence: string | null
  /** Fields of a created event; share of fields in common for an event rename. */
  fieldCount?: number
  similarity?: number
}

/** `field "first_name" removed`, `event "Old" probably renamed to "New" (90% of fields in common)`, ... */
export function describeChange(change: DescribeInput): string {
  const field = `field "${change.path ?? ''}"`
  switch (change.kind) {
    case 'event-created':
      return `event "${change.event}" created${change.fieldCount === undefined ? '' : ` (${change.fieldCount} trigger variables)`}`
    case 'event-deleted':
      return `event "${change.event}" deleted`
    case 'event-renamed': {
      if (change.evidence === 'previous-names') return `event "${change.event}" renamed to "${change.to ?? ''}" (its previousNames)`
      const share = change.similarity === undefined ? '' : ` (${Math.round(change.similarity * 100)}% of trigger variables in common)`
      return `event "${change.event}" probably renamed to "${change.to ?? ''}"${share}`
    }
    case 'field-added':
      return `${field} added (${change.after?.required === true ? 'required' : 'optional'}, ${typeText(change.after)})`
    case 'field-removed':
      return `${field} removed`
    case 'field-renamed': {
      const how =
        change.evidence === 'renames-entry'
          ? 'renamed'
          : `probably renamed (${change.evidence === 'same-sample-value' ? 'same sample value' : 'similar name'})`
      const retyped = typeText(change.before) === typeText(change.after) ? '' : `, ${typeText(change.before)} -> ${typeText(change.after)}`
      return `${field} ${how} to "${change.to ?? ''}"${retyped}`
    }
    case 'rename-contracted':
      return `${field} dropped: its rename to "${change.to ?? ''}" is contracted (expand: false)`
    case 'type-changed':
      return `${field} type changed from ${typeText(change.before)} to ${typeText(change.after)}`
    case 'nullability-changed':
      return change.after?.nullable === true ? `${field} can now be null` : `${field} can no longer be null`
    case 'format-changed':
      return `${field} format changed from ${formatText(change.before)} to ${formatText(change.after)}`
    case 'requirement-changed':
      return change.after?.required === true ? `${field} is now required` : `${field} is now optional (may be absent)`
  }
}

/** `string`, `integer | string`, or `any` when the schema does not say. */
function typeText(shape: FieldShape | null): string {
  if (shape === null || shape.types.length === 0) return 'any'
  return shape.types.join(' | ')
}

function formatText(shape: FieldShape | null): string {
  return shape?.format ?? 'none'
}

/** `"Sync contact" (hubspot) via {{event.first_name}}`. */
export function describeReader(reader: FieldReader): string {
  const app = reader.app === null ? '' : ` (${reader.app})`
  const via = reader.references.length === 0 ? '' : ` via ${reader.references.join(', ')}`
  return `"${reader.workflowName}"${app}${via}`
}

/** `events/a.yaml:5:3`, or null for a change with no YAML (a remote-only event). */
export function whereText(location: SourceLocation | null): string | null {
  return location === null ? null : `${location.file}:${location.line}:${location.column}`
}

/** What a change's acknowledgement says: `renames: a -> b (events/x.yaml:9:3)`. */
export function describeAcknowledgement(change: PlannedChange): string | null {
  const ack = change.acknowledged
  if (ack === null) return null
  const at = whereText(ack.location)
  const by = ack.by === 'allowBreaking' ? `allowBreaking: ${ack.reason}` : ack.reason
  return at === null ? by : `${by} (${at})`
}

/** What a rename in expansion means for its readers, and the contraction when nobody reads the old name. */
export function describeExpansion(
  expansion: { from: string; to: string; readers: readonly FieldReader[]; contract: boolean },
  scanError: string | null,
): string {
  const kept = `field "${expansion.from}" kept as a copy of "${expansion.to}" (rename in expansion)`
  if (expansion.readers.length > 0)
    return `${kept}: still read by ${expansion.readers.length} ${expansion.readers.length === 1 ? 'workflow' : 'workflows'}; contract it once none does`
  if (!expansion.contract)
    return `${kept}: workflows could not be scanned (${scanError ?? 'unknown error'}), so nobody can say whether one still reads it`
  const entry = `${yamlText(expansion.from)}: { to: ${yamlText(expansion.to)}, expand: false }`
  return `${kept}: no workflow reads "${expansion.from}" any more; to contract, write \`${entry}\` under renames, run generate, then sync`
}

/** A path as YAML text that stays one plain scalar inside a flow map (`items[].sku` needs quotes there). */
function yamlText(path: string): string {
  return /^[\w.-]+$/.test(path) ? path : JSON.stringify(path)
}

/** How to get a blocking change through. */
export function howToProceed(change: PlannedChange): string {
  if (change.kind === 'event-deleted') return 'keep its YAML, drop --prune, or pass --allow-breaking'
  if (change.kind === 'event-renamed')
    return `add \`previousNames: [${JSON.stringify(change.event)}]\` to the YAML (a rename in place; helpers fall back to the old name until it is applied), keep the old name, add \`allowBreaking: [{ field: "*", reason: ... }]\`, or pass --allow-breaking`
  const path = change.path ?? ''
  if (change.kind === 'rename-contracted')
    return `keep the expansion until no workflow reads "${path}" (drop \`expand: false\` from its renames entry), add \`allowBreaking: [{ field: ${path}, reason: ... }]\` to the YAML, or pass --allow-breaking`
  const rename = change.kind === 'field-renamed' ? `add \`renames: { ${path}: ${change.to ?? ''} }\`, ` : ''
  return `${rename}add \`allowBreaking: [{ field: ${path}, reason: ... }]\` to the YAML, or pass --allow-breaking`
}
