/**
 * Plain-data types of the local Refold emulator: what it stores, what its inspection
 * routes answer, and what a workflows file declares. Shapes that Refold's public API
 * defines use Refold's snake_case field names; the emulator's own records follow them.
 */
import type { JsonObject, JsonSchema } from '../types.js'
import type { ApiEvent } from '../wire/event-body.js'
import type { TriggerVariable } from '../wire/trigger-variables.js'

export type { TriggerVariable }

/** The route classes faults can be aimed at (`--faults events,fire,workflows`). */
export type RouteClass = 'events' | 'fire' | 'workflows'

/** Every route class, in the order they are listed in help and docs. */
export const ROUTE_CLASSES: readonly RouteClass[] = ['events', 'fire', 'workflows']

/** An event as Refold's events API answers it (the wire contract, src/wire). */
export type { ApiEvent }

/** An event as the state file keeps it; `response` is derived from `raw_response` on load. */
export interface StoredEvent {
  _id: string
  name: string
  raw_response: string
  json_schema?: JsonSchema
  /**
   * Names the event had before renames (oldest first). Workflows bind to an event's id, as
   * on Refold: one defined against a former name stays attached to the renamed event.
   */
  former_names?: string[]
  created_at: string
  updated_at: string
}

/** One failing path of a fire's payload against the event's `json_schema`. */
export interface SchemaMismatch {
  /** JSON Pointer into the payload (`/email`); empty for the payload itself. */
  path: string
  message: string
}

/** A fire the emulator accepted (answered 200 `Webhook Fired Success`). */
export interface FireRecord {
  id: string
  received_at: string
  event: string
  event_id: string
  /** App slug from the path or the `slug` header; null when the fire named no app. */
  slug: string | null
  linked_account_id: string
  config_id: string | null
  instance_tag: string | null
  /** Request headers as received, lower-cased, minus the API key and other credentials. */
  headers: Record<string, string>
  payload: JsonObject
  /** Mismatches against the event's `json_schema`; empty when it has none or the payload fits. */
  schema_errors: SchemaMismatch[]
  /** Ids of the workflow runs this fire started. */
  run_ids: string[]
}

export type RunStatus = 'COMPLETED' | 'ERRORED'

/** One step of a workflow run: its text with the trigger variables filled in. */
export interface RunStep {
  name: string
  status: RunStatus
  /** The step text with every `{{event.x}}` that resolved replaced by its value. */
  output: string
  /** Variables the step referenced that the payload lacks (dotted, without `event.`). */
  missing_variables: string[]
}

/** A workflow run caused by a fire: the emulator's stand-in for a Refold workflow instance. */
export interface RunRecord {
  /** The instance id, as Refold's workflow webhooks call it. */
  id: string
  fire_id: string
  workflow_id: string
  workflow_name: string
  /** App slug of the workflow. */
  slug: string
  event: string
  linked_account_id: string
  config_id: string
  instance_tag: string | null
  status: RunStatus
  /** Every variable referenced by a step and missing from the payload. */
  missing_variables: string[]
  steps: RunStep[]
  started_at: string
  finished_at: string
}

/** One attempt to deliver a workflow webhook. */
export interface DeliveryAttempt {
  at: string
  /** HTTP status the receiver answered, or null when the request failed. */
  status: number | null
  /** Why the attempt failed (network error, timeout), when it did. */
  error: string | null
  duration_ms: number
}

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'abandoned'

/** A "Workflow Completed" / "Workflow Errored" webhook and its attempts. */
export interface WebhookDelivery {
  id: string
  run_id: string
  url: string
  event: 'Workflow Completed' | 'Workflow Errored'
  /** The exact body sent (signed with `x-cobalt-signature`). */
  body: string
  state: DeliveryState
  attempts: DeliveryAttempt[]
}

/** A step of a workflow as declared in the workflows file. */
export interface WorkflowStep {
  name: string
  /** Text that references trigger variables as `{{event.first_name}}`. */
  text: string
}

/** A workflow as declared in the workflows file (see README "Workflows file"). */
export interface WorkflowDefinition {
  /** Stable id; derived from the app and name when the file gives none. */
  id?: string
  name: string
  /** App slug the workflow belongs to (`hubspot`). */
  app: string
  /** Exact, case-sensitive name of the event the workflow is attached to. */
  event: string
  description?: string
  /** Unpublished workflows are listed but never run. Default true. */
  published?: boolean
  steps: WorkflowStep[]
}

/** A workflow with its id resolved, as the emulator holds it. */
export interface Workflow extends Required<Omit<WorkflowDefinition, 'description'>> {
  description: string
}
