/**
 * Refold's public API paths (docs.refold.ai API reference), written once for the runtime, the
 * management adapter (`src/remote`) and the emulator. Two path families name an event:
 * `/api/v2/public/event/...` (firing; Refold's SDK also reads, updates and deletes one event
 * there) and `/api/v2/public/application/event/...` (the events API the reference documents).
 */

/** The events API: list and create here, one event at `/{id}`. */
export const EVENTS_PATH = '/api/v2/public/application/event'

/**
 * The fire family: `POST /{slug}` runs one app's workflows, `POST /trigger` every attached
 * workflow; the bare path appears only in the legacy Cobalt pages. Refold's SDK also reaches one
 * event at `/{id}` (GET, PUT, DELETE).
 */
export const EVENT_PATH = '/api/v2/public/event'

/** The fire path without a slug (the slug then travels in a `slug` header, optional). */
export const FIRE_TRIGGER_PATH = `${EVENT_PATH}/trigger`

/** The workflow API: a paginated list here, one workflow at `/{id}`. */
export const WORKFLOW_PATH = '/api/v2/public/workflow'

/** One event in the events API. */
export function eventPath(id: string): string {
  return `${EVENTS_PATH}/${encodeURIComponent(id)}`
}

/** One workflow in the workflow API. */
export function workflowPath(id: string): string {
  return `${WORKFLOW_PATH}/${encodeURIComponent(id)}`
}

/** The fire path for a fire with or without an app slug (below the base URL's path prefix). */
export function firePath(slug: string | undefined): string {
  return slug === undefined ? FIRE_TRIGGER_PATH : `${EVENT_PATH}/${encodeURIComponent(slug)}`
}
