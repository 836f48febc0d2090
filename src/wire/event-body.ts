/**
 * An event on Refold's events API, both ways. Refold's create/update body is
 * `{name, response, json_schema}` where `response` is the sample payload as a JSON string,
 * either the payload itself or the `{event, payload}` envelope some of Refold's documented
 * examples use. An event is answered in either shape Refold documents: the endpoint pages'
 * `{_id, name, response: [{key, type}], raw_response, json_schema?}`, or the OpenAPI
 * reference's `CustomTrigger`, `{_id, name, response: "<sample as a JSON string>",
 * json_schema?}` with no `raw_response`.
 */
import type { CompiledEvent, JsonObject, JsonSchema } from '../types.js'
import { canonicallyEqual } from '../util/canonical-json.js'
import type { TriggerVariable } from './trigger-variables.js'

/** How `response` is written when pushing a sample: the payload itself, or `{event, payload}`. */
export type ResponseForm = 'payload' | 'envelope'

/** Refold's create/update body for one event. */
export interface EventBody {
  name: string
  response: string
  json_schema: JsonSchema
}

/** One event as Refold answers it, decoded. */
export interface RemoteEventSnapshot {
  /** Refold's `_id`. */
  id: string
  name: string
  /** The sample payload decoded from `raw_response` (payload or `{event, payload}` form); null when unreadable. */
  sample: JsonObject | null
  /** `json_schema` as stored, or null when the event has none. */
  jsonSchema: JsonSchema | null
  /** Trigger variables as Refold lists them in `response` (`prospect.email` -> `text`/`object`). */
  variables: Array<{ key: string; type: string }>
}

/** The two documented shapes of an event in answers: the endpoint pages' and the OpenAPI reference's. */
export type EventShape = 'endpoint' | 'openapi'

/** An event as the endpoint pages answer it (`GET /api/v2/public/application/event`). */
export interface ApiEvent {
  _id: string
  name: string
  response: TriggerVariable[]
  /** The sample exactly as it was written, a JSON string. */
  raw_response: string
  json_schema?: JsonSchema
}

/** The OpenAPI reference's `CustomTrigger`: `response` is the sample as a JSON string. */
export interface OpenApiEvent {
  _id: string
  name: string
  response: string
  json_schema?: JsonSchema
}

/** An event in the OpenAPI reference's shape. */
export function openApiEvent(event: ApiEvent): OpenApiEvent {
  return event.json_schema === undefined
    ? { _id: event._id, name: event.name, response: event.raw_response }
    : { _id: event._id, name: event.name, response: event.raw_response, json_schema: event.json_schema }
}

/** The body sync sends to create or update `event`. */
export function buildEventBody(event: CompiledEvent, form: ResponseForm): EventBody {
  const { name, sample } = event.definition
  const response = form === 'envelope' ? JSON.stringify({ event: name, payload: sample }) : JSON.stringify(sample)
  return { name, response, json_schema: event.schema }
}

/**
 * Decode a `raw_response` (a JSON string, or already-parsed JSON) into the sample payload,
 * accepting both the payload form and the `{event, payload}` envelope. Null when unreadable.
 */
export function decodeSample(raw: unknown, eventName: string): JsonObject | null {
  let value: unknown = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      return null
    }
  }
  if (!isObject(value)) return null
  // The envelope is recognised only when it is exactly {event: <this name>, payload: {...}}:
  // a real payload may well have fields called `event` and `payload`.
  const keys = Object.keys(value)
  if (keys.length === 2 && value.event === eventName && isObject(value.payload)) return value.payload
  return value
}

/** The sample a body carries, whichever form it was written in. */
function sampleOfBody(body: EventBody): JsonObject | null {
  return decodeSample(body.response, body.name)
}

/** Whether a remote event already is what `body` would make it (name, sample and schema; key order ignored). */
export function carriesBody(remote: RemoteEventSnapshot, body: EventBody): boolean {
  return (
    remote.name === body.name &&
    canonicallyEqual(remote.sample, sampleOfBody(body)) &&
    canonicallyEqual(remote.jsonSchema, body.json_schema)
  )
}

/**
 * One event of an answer, in either documented shape (see the module comment); null when it
 * is not shaped `{_id, name, ...}`. The sample is read in both payload forms, whether it
 * arrives as a JSON string or already parsed.
 */
export function decodeRemoteEvent(value: unknown): RemoteEventSnapshot | null {
  if (!isObject(value) || typeof value._id !== 'string' || typeof value.name !== 'string') return null
  const variables = Array.isArray(value.response)
    ? value.response
        .filter(isObject)
        .flatMap((v) => (typeof v.key === 'string' ? [{ key: v.key, type: typeof v.type === 'string' ? v.type : 'text' }] : []))
    : []
  const schema = isObject(value.json_schema) ? (value.json_schema as JsonSchema) : null
  // The variable list is not a sample: with no raw_response, a non-list `response` is the sample.
  const raw = value.raw_response !== undefined || Array.isArray(value.response) ? value.raw_response : value.response
  return { id: value._id, name: value.name, sample: decodeSample(raw, value.name), jsonSchema: schema, variables }
}

/** The events of a list answer: an array (or a `{data: [...]}` wrapper); null when it is neither. */
export function remoteEventItems(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value
  return isObject(value) && Array.isArray(value.data) ? value.data : null
}

/** The event of a one-event answer: the event itself, or a `{data: event}` wrapper. */
export function remoteEventItem(value: unknown): unknown {
  return isObject(value) && isObject(value.data) && value._id === undefined ? value.data : value
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
