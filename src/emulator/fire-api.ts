/**
 * Firing events (docs.refold.ai "Trigger an event"): `POST /api/v2/public/event/{slug}`,
 * `POST /api/v2/public/event/trigger` (app slug optional, in the `slug` header) and
 * `POST /api/v2/public/event`. Body `{event | trigger, payload}`, header
 * `linked_account_id` (required), optional `config_id` and `instance_tag`. An unknown
 * name, matched exactly and case-sensitively, is 404 `INVALID_EVENT` "Trigger not found".
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { JsonObject } from '../types.js'
import { setOwn } from '../util/own-property.js'
import { EVENT_PATH, FIRE_TRIGGER_PATH } from '../wire/paths.js'
import { ApiError, invalidBody } from './api-error.js'
import type { EmulatorState } from './emulator-state.js'
import { newObjectId } from './object-id.js'
import { FormBody } from './read-body.js'
import type { Reply, RequestInput, Route } from './route-table.js'
import { attachedWorkflows, runWorkflows } from './run-workflows.js'
import { checkPayload } from './schema-check.js'
import type { FireRecord, RunRecord, Workflow } from './types.js'
import type { WebhookSender } from './webhook-sender.js'
import { plural } from '../diagnostics.js'

/** Refold's answer to an accepted fire, serialized once. */
const FIRED = JSON.stringify({ message: 'Webhook Fired Success' })
/** Headers never recorded with a fire: credentials. */
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization', 'cookie'])

export interface FireDependencies {
  state: EmulatorState
  workflows: () => readonly Workflow[]
  webhooks: WebhookSender | null
  /** Used only to keep the key out of recorded headers. */
  apiKey: string
}

/** The three fire routes. */
export function fireRoutes(deps: FireDependencies): Route[] {
  const fromHeader: (input: RequestInput) => string | null = ({ request }) => header(request.headers, 'slug')
  const common = { routeClass: 'fire', auth: true, codeKey: 'error_code' } as const
  return [
    { ...common, forms: true, path: EVENT_PATH, methods: { POST: (input) => fire(deps, input, fromHeader(input)) } },
    { ...common, forms: true, path: FIRE_TRIGGER_PATH, methods: { POST: (input) => fire(deps, input, fromHeader(input)) } },
    { ...common, forms: true, path: `${EVENT_PATH}/:slug`, methods: { POST: (input) => fire(deps, input, input.params.slug!) } },
  ]
}

/**
 * A multipart fire, as the OpenAPI reference documents it: an `event` (or `trigger`) field,
 * `payload` as a JSON string, and file fields merged into the payload under their field
 * name, each as `{filename, content_type, size, content_base64}` (the emulator's rendering:
 * Refold's reference says they are merged, not how a file reads in a workflow).
 */
function formFire(form: FormBody): Record<string, unknown> {
  const text = (name: string): string | undefined => {
    const field = form.fields.find(([key, value]) => key === name && typeof value === 'string')
    return field?.[1] as string | undefined
  }
  let payload: unknown = {}
  const json = text('payload')
  if (json !== undefined) {
    try {
      payload = JSON.parse(json)
    } catch (error) {
      throw invalidBody(`payload must be a JSON string in a multipart fire: ${(error as Error).message}`)
    }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalidBody('payload must be a JSON object')
  const merged: Record<string, unknown> = { ...(payload as Record<string, unknown>) }
  for (const [name, value] of form.fields) {
    if (typeof value === 'string') continue
    setOwn(merged, name, {
      filename: value.filename,
      content_type: value.contentType,
      size: value.bytes.length,
      content_base64: value.bytes.toString('base64'),
    })
  }
  const body: Record<string, unknown> = { payload: merged }
  const event = text('event')
  const trigger = text('trigger')
  if (event !== undefined) body.event = event
  if (trigger !== undefined) body.trigger = trigger
  return body
}

async function fire(deps: FireDependencies, { request, body: received }: RequestInput, slug: string | null): Promise<Reply> {
  const body = received instanceof FormBody ? formFire(received) : received
  const linkedAccountId = header(request.headers, 'linked_account_id')
  if (linkedAccountId === null) {
    throw new ApiError(400, 'LINKED_ACCOUNT_ID_REQUIRED', 'linked_account_id header is required: the linked account the event fires for')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidBody('Request body must be a JSON object: {"event": NAME, "payload": {...}}')
  }
  const { event: eventName, trigger, payload = {} } = body as Record<string, unknown>
  const name = eventName ?? trigger
  if (name === undefined) throw invalidBody('event is required: the event name (or "trigger")')
  if (typeof name !== 'string') throw invalidBody('event must be a string: the exact event name')
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalidBody('payload must be a JSON object')

  const event = deps.state.findEventByName(name)
  if (event === undefined) throw new ApiError(404, 'INVALID_EVENT', 'Trigger not found')
  const schemaErrors = event.json_schema === undefined ? [] : await checkPayload(event.json_schema, payload as JsonObject)

  const record: FireRecord = {
    id: newObjectId(),
    received_at: new Date().toISOString(),
    event: name,
    event_id: event._id,
    slug,
    linked_account_id: linkedAccountId,
    config_id: header(request.headers, 'config_id'),
    instance_tag: header(request.headers, 'instance_tag'),
    headers: recordedHeaders(request.headers, deps.apiKey),
    payload: payload as JsonObject,
    schema_errors: schemaErrors,
    run_ids: [],
  }
  const bound = (workflowEvent: string): string | undefined => deps.state.boundEvent(workflowEvent)?._id
  const attached = attachedWorkflows(deps.workflows(), event._id, slug, bound)
  const runs = runWorkflows(attached, record)
  record.run_ids = runs.map((run) => run.id)
  deps.state.addFire(record, runs)
  const webhooks = deps.webhooks
  return {
    status: 200,
    body: FIRED,
    after: webhooks === null || runs.length === 0 ? undefined : () => runs.forEach((run) => webhooks.send(run)),
    note: fireNote(record, runs, attached.length === 0 && slug !== null ? appsOf(deps.workflows(), event._id, bound) : []),
  }
}

/**
 * `"New Contact Created" for acct-1: 2 runs, 1 errored (Score lead: company.name)`. With no run
 * because the fire named an app, it says which apps the event's workflows are for.
 */
function fireNote(fire: FireRecord, runs: RunRecord[], otherApps: string[]): string {
  const errored = runs.filter((run) => run.status === 'ERRORED')
  let note = `${JSON.stringify(fire.event)} for ${fire.linked_account_id}: ${plural(runs.length, 'run')}`
  if (otherApps.length > 0)
    note += ` (no workflow for app ${JSON.stringify(fire.slug)}; this event's workflows are for ${otherApps.join(', ')})`
  if (errored.length > 0)
    note += `, ${errored.length} errored (${errored.map((run) => `${run.workflow_name}: ${run.missing_variables.join(', ')}`).join('; ')})`
  if (fire.schema_errors.length > 0) note += `, ${fire.schema_errors.length} schema mismatch${fire.schema_errors.length === 1 ? '' : 'es'}`
  return note
}

/** Apps with a published workflow of `event`, sorted. */
function appsOf(workflows: readonly Workflow[], eventId: string, bound: (workflowEvent: string) => string | undefined): string[] {
  return [...new Set(attachedWorkflows(workflows, eventId, null, bound).map((workflow) => workflow.app))].sort()
}

/** A single header value, or null when absent or empty. */
function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name]
  const text = Array.isArray(value) ? value[0] : value
  return text === undefined || text === '' ? null : text
}

/** The request headers worth showing, with credentials (and anything holding the key) left out. */
function recordedHeaders(headers: IncomingHttpHeaders, apiKey: string): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    if (apiKey !== '' && text.includes(apiKey)) continue
    kept[name] = text
  }
  return kept
}
