/**
 * The data model of `sync`: what the planner reads (remote events, workflows) and what
 * it returns (a {@link SyncPlan}). Plain data only, so a plan can be printed in every
 * format, saved with `--out`, and applied later with `--plan`.
 */
import type { SourceLocation } from '../types.js'
import type { EventBody, RemoteEventSnapshot } from '../wire/event-body.js'

/** Refold's event bodies and answers, decoded (the wire contract, src/wire). */
export type { EventBody, RemoteEventSnapshot }

/** One `{{event...}}` reference found in a workflow. */
export interface FieldReference {
  /** Normalised dotted path (`items[].sku`); the empty string for the whole payload (`{{event}}`). */
  path: string
  /** The exact text as written in the workflow (`{{ event.items.0.sku }}`). */
  text: string
}

/** A workflow and the trigger variables it reads. */
export interface WorkflowInfo {
  id: string
  name: string
  /** Slug of the app the workflow belongs to, when the API says. */
  app: string | null
  /** Names of the events that trigger it; empty when unknown, and then it counts as reading every event. */
  events: string[]
  references: FieldReference[]
}

/** Outcome of reading the workflow API: without it nobody can say a field is unread. */
export type WorkflowScan = { ok: true; workflows: WorkflowInfo[] } | { ok: false; error: string }

/** Severity of a change, a closed union. `warning`: would break a reader, but the scan found none. */
export type ChangeSeverity = 'breaking' | 'warning' | 'additive' | 'none'

/** Every kind of change the planner reports. */
export type ChangeKind =
  | 'event-created'
  | 'event-deleted'
  | 'event-renamed'
  | 'field-added'
  | 'field-removed'
  | 'field-renamed'
  | 'rename-contracted'
  | 'type-changed'
  | 'nullability-changed'
  | 'format-changed'
  | 'requirement-changed'

/** The shape of one trigger variable, as far as the schema tells. */
export interface FieldShape {
  /** Non-null JSON types, sorted; empty when the schema names none (any value, and then `nullable`). */
  types: string[]
  nullable: boolean
  format: string | null
  required: boolean
}

/** A workflow that reads a changed field or event. */
export interface FieldReader {
  workflowId: string
  workflowName: string
  app: string | null
  /** The exact references that touch the change (`{{event.first_name}}`). */
  references: string[]
}

/** Why a breaking change is allowed through. */
export interface Acknowledgement {
  by: 'renames' | 'allowBreaking' | 'previousNames' | 'flag'
  reason: string
  location: SourceLocation | null
}

/** One change to one event or field. */
export interface PlannedChange {
  kind: ChangeKind
  /** The event the change is about; for `event-renamed`, its old name (`to` is the new one). */
  event: string
  /** Dotted trigger-variable path; null for event-level changes. */
  path: string | null
  /** New path of a renamed field, or new name of a renamed event. */
  to: string | null
  before: FieldShape | null
  after: FieldShape | null
  /** For renames: how the pairing was found. */
  evidence: 'renames-entry' | 'similar-name' | 'same-sample-value' | 'same-fields' | 'previous-names' | null
  severity: ChangeSeverity
  /** A breaking change nobody acknowledged: sync refuses to apply while one exists. */
  blocking: boolean
  /** Why the severity is what it is (who reads it, or why nobody can tell). */
  reason: string
  readers: FieldReader[]
  acknowledged: Acknowledgement | null
  /** Where in the YAML the change is (the field's line, else the event's); null for remote-only events. */
  location: SourceLocation | null
  /** One-line description for every output format. */
  message: string
}

export type EventAction = 'create' | 'update' | 'delete' | 'unchanged'

/** What differs between the YAML and Refold for an update. */
export type EventDifference = 'sample' | 'json_schema'

/** What every event's plan carries, whatever its action. */
interface EventPlanCommon {
  name: string
  /** The YAML file, for events defined locally. */
  file: string | null
  location: SourceLocation | null
  /** What differs for an update: `sample`, `json_schema`; empty otherwise. */
  differences: EventDifference[]
  changes: PlannedChange[]
  /** A created event that probably replaces this remote one, or the remote one a created event replaces. */
  renamedFrom: string | null
  renamedTo: string | null
}

/** A new event: its body is written; there is no remote one yet. */
export interface CreatePlan extends EventPlanCommon {
  action: 'create'
  remoteId: null
  body: EventBody
  remoteFingerprint: null
}

/**
 * An existing event rewritten with `body`. Apply skips it when the remote event no longer
 * matches `remoteFingerprint` (taken when planned).
 */
export interface UpdatePlan extends EventPlanCommon {
  action: 'update'
  remoteId: string
  body: EventBody
  remoteFingerprint: string
}

/** A remote event deleted (`--prune`), unless it changed since it was planned. */
export interface DeletePlan extends EventPlanCommon {
  action: 'delete'
  remoteId: string
  body: null
  remoteFingerprint: string
}

/** An event the same on both sides: never written, so it needs no fingerprint. */
export interface UnchangedPlan extends EventPlanCommon {
  action: 'unchanged'
  remoteId: string
  body: null
  remoteFingerprint: null
}

/**
 * The plan for one event, by action: what apply needs for each action (a body, a remote id,
 * a fingerprint) is there by type, not by convention.
 */
export type EventPlan = CreatePlan | UpdatePlan | DeletePlan | UnchangedPlan

/** A remote event with no YAML, left alone (listed so nobody is surprised). */
export interface UnmanagedEvent {
  name: string
  id: string
  /** Workflows triggered by it. */
  workflows: number
}

/**
 * A rename in expansion (`renames:` entry without `expand: false`): the old field is pushed and
 * fired as a copy of the new one. Reported on every run with the workflows that still read the
 * old name; when none does, the contraction is proposed.
 */
export interface RenameExpansion {
  event: string
  /** The old path, kept as a copy. */
  from: string
  /** The new path. */
  to: string
  /** Workflows that still read the old name. */
  readers: FieldReader[]
  /** The workflow scan succeeded and no workflow reads the old name: the contraction can be applied. */
  contract: boolean
  /** The `renames` entry. */
  location: SourceLocation | null
  message: string
}

/** A remark about the inputs that is not a change (an unused `renames` entry, a case-only name clash). */
export interface PlanNote {
  message: string
  location: SourceLocation | null
}

export interface PlanSummary {
  create: number
  update: number
  delete: number
  unchanged: number
  /** Unacknowledged breaking changes: apply is refused while this is above zero. */
  breaking: number
  acknowledged: number
  warnings: number
  additive: number
}

/** Options that shaped a plan; saved with it so `--plan` applies exactly what was reviewed. */
export interface PlanOptions {
  prune: boolean
  strict: boolean
  allowBreaking: boolean
}

/** The whole plan: pure data, deterministic for the same inputs. */
export interface SyncPlan {
  formatVersion: 1
  /** The environment planned against (never the key). */
  target: { name: string; baseUrl: string }
  options: PlanOptions
  workflowScan: { ok: true; workflows: number } | { ok: false; error: string }
  events: EventPlan[]
  unmanaged: UnmanagedEvent[]
  notes: PlanNote[]
  /** Renames in expansion and who still reads their old names (absent in plans saved before issue 12). */
  renameExpansions: RenameExpansion[]
  summary: PlanSummary
  /** Fingerprints of both sides when planned: `--plan` refuses when either moved. */
  hashes: { local: string; remote: string }
}
