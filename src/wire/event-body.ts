/**
 * What sync writes for an event, and the fingerprints that tell whether a remote event
 * still is what a plan saw. Refold's create/update body is `{name, response, json_schema}`
 * where `response` is the sample payload as a JSON string, either the payload itself or
 * the `{event, payload}` envelope some of Refold's documented examples use.
 */
import type { ResponseForm } from '../config/define-config.js'
import type { CompiledEvent, JsonObject, JsonSchema } from '../types.js'
import { fingerprint } from '../util/canonical-json.js'
import type { EventBody, RemoteEventSnapshot } from '../sync/sync-types.js'

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
export function sampleOfBody(body: EventBody): JsonObject | null {
  return decodeSample(body.response, body.name)
}

/** What a remote event is, for "did it change since the plan": name, sample and schema, key order ignored. */
export function remoteEventFingerprint(event: Pick<RemoteEventSnapshot, 'name' | 'sample' | 'jsonSchema'>): string {
  return fingerprint({ name: event.name, sample: event.sample, schema: event.jsonSchema })
}

/** The schema a remote event effectively has: its `json_schema`, else what its sample infers to. */
export function effectiveRemoteSchema(
  event: RemoteEventSnapshot,
  inferSchema: (sample: JsonObject, name: string) => JsonSchema,
): JsonSchema | null {
  if (event.jsonSchema !== null) return event.jsonSchema
  return event.sample === null ? null : inferSchema(event.sample, event.name)
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
