/**
 * Fingerprints of both sides of a plan. A saved plan (`--out`) records them; applying it
 * (`--plan`) recomputes them and refuses when either moved, so what is applied is exactly
 * what was reviewed (Terraform's saved-plan rule).
 */
import type { ResponseForm } from '../config/define-config.js'
import type { CompiledEvent } from '../types.js'
import { fingerprint } from './canonical-json.js'
import { buildEventBody } from './event-body.js'
import type { RemoteEventSnapshot, WorkflowScan } from './sync-types.js'

/** What the YAML asks for: every body sync would write, plus the acknowledgements that gate it. */
export function hashLocal(events: readonly CompiledEvent[], form: ResponseForm): string {
  const state = [...events]
    .map((event) => ({
      body: buildEventBody(event, form),
      renames: event.definition.renames,
      allowBreaking: event.definition.allowBreaking,
    }))
    .sort((a, b) => (a.body.name < b.body.name ? -1 : a.body.name > b.body.name ? 1 : 0))
  return fingerprint(state)
}

/**
 * What Refold has: every event (id, name, sample, schema) and who reads what. A workflow
 * that starts reading a field after review changes the verdict, so it invalidates the plan.
 */
export function hashRemote(events: readonly RemoteEventSnapshot[], scan: WorkflowScan): string {
  const remote = [...events]
    .map((e) => ({ id: e.id, name: e.name, sample: e.sample, schema: e.jsonSchema }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const workflows = scan.ok
    ? [...scan.workflows]
        .map((w) => ({ id: w.id, name: w.name, app: w.app, events: [...w.events].sort(), references: w.references.map((r) => r.text).sort() }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    : { scanFailed: true }
  return fingerprint({ remote, workflows })
}
