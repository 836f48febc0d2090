/**
 * Refold's events API (DESIGN.md "Refold API facts"): list, get, create, update, delete
 * custom events, decoded into the planner's {@link RemoteEventSnapshot}s. Implements
 * sync's {@link EventStore}.
 *
 * Create is the one write that is not idempotent. When its answer is lost (a dropped
 * connection, a 5xx, a timeout) it may or may not have landed, so the event list is read
 * before trying again: found with our content means done, found with other content is a
 * conflict, absent means send it again. No event is ever created twice.
 */
import type { EventStore } from '../sync/apply/apply-plan.js'
import { matchesBody } from '../sync/apply/apply-plan.js'
import { decodeSample } from '../wire/event-body.js'
import type { EventBody, RemoteEventSnapshot } from '../sync/sync-types.js'
import type { JsonSchema } from '../types.js'
import { RemoteConflictError, RemoteError, RemoteProtocolError } from './remote-error.js'
import { backoffDelay, type RemoteHttp } from './remote-http.js'

export const EVENTS_PATH = '/api/v2/public/application/event'

/** Attempts of a create whose answers keep getting lost, before giving up. */
const CREATE_ATTEMPTS = 6

/** The events API over a {@link RemoteHttp}. */
export class RefoldEventsApi implements EventStore {
  constructor(private readonly http: RemoteHttp) {}

  /** Every event Refold has. */
  async list(): Promise<RemoteEventSnapshot[]> {
    const answer = await this.http.request({ method: 'GET', path: EVENTS_PATH, idempotent: true })
    return decodeEventList(answer.body, 'GET', EVENTS_PATH)
  }

  /** One event, or null when Refold has no event with this id. */
  async get(id: string): Promise<RemoteEventSnapshot | null> {
    const path = `${EVENTS_PATH}/${encodeURIComponent(id)}`
    try {
      const answer = await this.http.request({ method: 'GET', path, idempotent: true })
      const value = parseJson(answer.body, 'GET', path)
      // Refold answers the event itself; tolerate a `{data: event}` wrapper.
      const event = isRecord(value) && isRecord(value.data) && value._id === undefined ? value.data : value
      return decodeEvent(event, 'GET', path)
    } catch (error) {
      if (error instanceof RemoteError && error.status === 404) return null
      throw error
    }
  }

  /** Create exactly once; see the module comment. */
  async create(body: EventBody): Promise<{ id: string | null }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.http.request({ method: 'POST', path: EVENTS_PATH, body, idempotent: false, discardAnswer: true })
        return { id: null }
      } catch (error) {
        if (!(error instanceof RemoteError)) throw error
        const nameTaken = error.status === 400 && error.code === 'INVALID_EVENT_ID'
        if (!nameTaken && !error.maybeApplied) throw error
        // Lost answer or name taken: look before doing anything else.
        const existing = (await this.listToCheck(error)).find((e) => e.name === body.name)
        if (existing !== undefined) {
          if (matchesBody(existing, body)) return { id: existing.id }
          throw new RemoteConflictError(
            `Refold already has a different event named "${body.name}" (${existing.id}), created since the plan; not created (run sync again to re-plan)`,
          )
        }
        if (nameTaken || attempt >= CREATE_ATTEMPTS) throw error
        await sleep(backoffDelay(attempt, 200, 5_000, Math.random))
      }
    }
  }

  /** The list, for deciding what became of a create; a failure says which create it was about. */
  private async listToCheck(cause: RemoteError): Promise<RemoteEventSnapshot[]> {
    try {
      return await this.list()
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error
      throw new RemoteError(`${cause.message}; checking whether it landed failed too: ${error.message}`, { ...error, cause: error })
    }
  }

  /**
   * Replace an event; with `keepList`, the list Refold answered with (null when it was not one).
   * Refold before v3.5.35 answered a PUT that keeps the event's name with 400 "Trigger with
   * name ... already exists" (its name check did not exclude the event itself): when the name
   * is not changing (`sameName`), such an answer is met by sending the PUT again without the
   * name, which leaves it as it is.
   */
  async update(id: string, body: EventBody, keepList = false, sameName = false): Promise<RemoteEventSnapshot[] | null> {
    const path = `${EVENTS_PATH}/${encodeURIComponent(id)}`
    const put = async (sent: unknown): Promise<RemoteEventSnapshot[] | null> => {
      const answer = await this.http.request({ method: 'PUT', path, body: sent, idempotent: true, discardAnswer: !keepList })
      return keepList ? listOrNull(answer.body, 'PUT', path) : null
    }
    try {
      return await put(body)
    } catch (error) {
      if (!(sameName && error instanceof RemoteError && error.status === 400 && error.code === 'INVALID_EVENT_ID')) throw error
      const { name: _unchanged, ...withoutName } = body
      return await put(withoutName)
    }
  }

  /** Delete an event (already gone counts as done); `keepList` as for {@link update}. */
  async delete(id: string, keepList = false): Promise<RemoteEventSnapshot[] | null> {
    const path = `${EVENTS_PATH}/${encodeURIComponent(id)}`
    try {
      const answer = await this.http.request({ method: 'DELETE', path, idempotent: true, discardAnswer: !keepList })
      return keepList ? listOrNull(answer.body, 'DELETE', path) : null
    } catch (error) {
      // Gone is what a delete wants, whether an earlier attempt whose answer was lost did it or not.
      if (error instanceof RemoteError && error.status === 404) return null
      throw error
    }
  }
}

/**
 * The event list a write answered with, or null when the answer is something else: the
 * write succeeded, and only the snapshot it could have given is missing (apply then reads
 * the list itself).
 */
function listOrNull(text: string, method: string, path: string): RemoteEventSnapshot[] | null {
  try {
    return decodeEventList(text, method, path)
  } catch (error) {
    if (error instanceof RemoteProtocolError) return null
    throw error
  }
}

/** Decode a list answer: an array of events (tolerating a `{data: [...]}` wrapper). */
export function decodeEventList(text: string, method: string, path: string): RemoteEventSnapshot[] {
  const value = parseJson(text, method, path)
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.data) ? value.data : undefined
  if (list === undefined) throw new RemoteProtocolError(method, path, 'expected an array of events')
  return list.map((item) => decodeEvent(item, method, path))
}

/**
 * One event, in either shape Refold documents: the endpoint pages'
 * `{_id, name, response: [{key, type}], raw_response, json_schema?}`, or the OpenAPI
 * reference's `CustomTrigger`, `{_id, name, response: "<sample as a JSON string>", json_schema?}`
 * with no `raw_response`. The sample is read in both payload forms (payload,
 * `{event, payload}`), whether it arrives as a JSON string or already parsed.
 */
export function decodeEvent(value: unknown, method: string, path: string): RemoteEventSnapshot {
  if (!isRecord(value) || typeof value._id !== 'string' || typeof value.name !== 'string') {
    throw new RemoteProtocolError(method, path, 'expected events shaped {_id, name, response, raw_response}')
  }
  const variables = Array.isArray(value.response)
    ? value.response
        .filter(isRecord)
        .flatMap((v) => (typeof v.key === 'string' ? [{ key: v.key, type: typeof v.type === 'string' ? v.type : 'text' }] : []))
    : []
  const schema = isRecord(value.json_schema) ? (value.json_schema as JsonSchema) : null
  // The variable list is not a sample: with no raw_response, a non-list `response` is the sample.
  const raw = value.raw_response !== undefined || Array.isArray(value.response) ? value.raw_response : value.response
  return { id: value._id, name: value.name, sample: decodeSample(raw, value.name), jsonSchema: schema, variables }
}

function parseJson(text: string, method: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RemoteProtocolError(method, path, `not JSON (${text.length} characters)`)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
