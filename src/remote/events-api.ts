/**
 * Refold's events API (DESIGN.md "Refold API facts"): list, get, create, update, delete
 * custom events, decoded into the planner's {@link RemoteEventSnapshot}s. Implements
 sync's `EventStore` port (src/sync/apply).
 *
 * Create is the one write that is not idempotent. When its answer is lost (a dropped
 * connection, a 5xx, a timeout) it may or may not have landed, so the event list is read
 * before trying again: found with our content means done, found with other content is a
 * conflict, absent means send it again. No event is ever created twice.
 */
import {
  carriesBody,
  decodeRemoteEvent,
  type EventBody,
  type RemoteEventSnapshot,
  remoteEventItem,
  remoteEventItems,
} from '../wire/event-body.js'
import { EVENTS_PATH, eventPath } from '../wire/paths.js'
import type { EventListing } from '../sync/apply/remote-view.js'
import { EventListText } from './event-list-text.js'
import { RemoteConflictError, RemoteError, RemoteProtocolError } from './remote-error.js'
import { backoffDelay, type RemoteHttp } from './remote-http.js'

/** Attempts of a create whose answers keep getting lost, before giving up. */
const CREATE_ATTEMPTS = 6

/** The events API over a {@link RemoteHttp}. */
export class RefoldEventsApi {
  constructor(private readonly http: RemoteHttp) {}

  /** Every event Refold has. */
  async list(): Promise<RemoteEventSnapshot[]> {
    const answer = await this.http.request({ method: 'GET', path: EVENTS_PATH, idempotent: true })
    return decodeEventList(answer.body, 'GET', EVENTS_PATH)
  }

  /** Every event Refold has, each decoded when looked up (apply's concurrency check reads a few of a big list). */
  async listing(): Promise<EventListing> {
    const answer = await this.http.request({ method: 'GET', path: EVENTS_PATH, idempotent: true })
    const listing = indexEventList(answer.body, 'GET', EVENTS_PATH)
    if (listing === null) throw new RemoteProtocolError('GET', EVENTS_PATH, 'expected an array of events')
    return listing
  }

  /** One event, or null when Refold has no event with this id. */
  async get(id: string): Promise<RemoteEventSnapshot | null> {
    const path = eventPath(id)
    try {
      const answer = await this.http.request({ method: 'GET', path, idempotent: true })
      // Refold answers the event itself; a `{data: event}` wrapper is tolerated.
      return decodeEvent(remoteEventItem(parseJson(answer.body, 'GET', path)), 'GET', path)
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
          if (carriesBody(existing, body)) return { id: existing.id }
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
  async update(id: string, body: EventBody, keepList = false, sameName = false): Promise<EventListing | null> {
    const path = eventPath(id)
    const put = async (sent: unknown): Promise<EventListing | null> => {
      const answer = await this.http.request({ method: 'PUT', path, body: sent, idempotent: true, discardAnswer: !keepList })
      return keepList ? indexEventList(answer.body, 'PUT', path) : null
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
  async delete(id: string, keepList = false): Promise<EventListing | null> {
    const path = eventPath(id)
    try {
      const answer = await this.http.request({ method: 'DELETE', path, idempotent: true, discardAnswer: !keepList })
      return keepList ? indexEventList(answer.body, 'DELETE', path) : null
    } catch (error) {
      // Gone is what a delete wants, whether an earlier attempt whose answer was lost did it or not.
      if (error instanceof RemoteError && error.status === 404) return null
      throw error
    }
  }
}

/**
 * The event list an answer holds, indexed and decoded event by event when looked up (see
 * event-list-text.ts), or null when the answer is something else: after a write, the write
 * succeeded, and only the snapshot it could have given is missing (apply then reads the
 * list itself).
 */
function indexEventList(text: string, method: string, path: string): EventListing | null {
  return EventListText.index(text, (value) => decodeEvent(value, method, path), method, path)
}

/** Decode a list answer: an array of events (tolerating a `{data: [...]}` wrapper). */
export function decodeEventList(text: string, method: string, path: string): RemoteEventSnapshot[] {
  const list = remoteEventItems(parseJson(text, method, path))
  if (list === null) throw new RemoteProtocolError(method, path, 'expected an array of events')
  return list.map((item) => decodeEvent(item, method, path))
}

/** One event in either shape Refold documents (src/wire/event-body.ts), or a protocol error. */
export function decodeEvent(value: unknown, method: string, path: string): RemoteEventSnapshot {
  const event = decodeRemoteEvent(value)
  if (event === null) throw new RemoteProtocolError(method, path, 'expected events shaped {_id, name, response, raw_response}')
  return event
}

function parseJson(text: string, method: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RemoteProtocolError(method, path, `not JSON (${text.length} characters)`)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
