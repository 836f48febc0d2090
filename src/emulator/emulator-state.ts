/**
 * The emulator's in-memory state: event definitions, and the recent history of fires,
 * workflow runs and webhook deliveries. Every mutation is synchronous and bumps
 * `revision`, so a snapshot taken at any instant is a consistent state and the persister
 * knows what it has written. History is capped (oldest first out) so the state file and
 * its write cost stay bounded however long the emulator runs.
 */
import type { JsonSchema } from '../types.js'
import type { EventShape } from './emulator-options.js'
import { ApiError } from './api-error.js'
import { newObjectId } from './object-id.js'
import { JsonPieces } from './json-pieces.js'
import { openApiEvent } from '../wire/event-body.js'
import { triggerVariables } from '../wire/trigger-variables.js'
import type { ApiEvent, FireRecord, RunRecord, StoredEvent, WebhookDelivery } from './types.js'

const OPEN_BRACKET = Buffer.from('[')
const CLOSE_BRACKET = Buffer.from(']')

/** Identifies the state file format; bumped on incompatible changes. */
export const STATE_FORMAT = 'refold-events-emulator-state'
export const STATE_VERSION = 1

/** What the state file holds. */
export interface StateSnapshot {
  format: typeof STATE_FORMAT
  version: typeof STATE_VERSION
  events: StoredEvent[]
  fires: FireRecord[]
  runs: RunRecord[]
  deliveries: WebhookDelivery[]
}

/** An event definition as a create or update writes it. */
export interface EventInput {
  name: string
  raw_response: string
  json_schema?: JsonSchema | undefined
}

/** What `reset` clears: everything, or only the history (fires, runs, deliveries). */
export type ResetScope = 'all' | 'history'

/** Events and history of one emulator; see the module comment. */
export class EmulatorState {
  /** Bumped by every mutation. */
  revision = 0
  readonly historyLimit: number
  #events = new Map<string, { stored: StoredEvent; api: ApiEvent }>()
  #idsByName = new Map<string, string>()
  /** Former name -> id of the event renamed away from it (see {@link boundEvent}). */
  #idsByFormerName = new Map<string, string>()
  #listBody: JsonPieces | null = null
  #fires: FireRecord[] = []
  #runs: RunRecord[] = []
  #deliveries: WebhookDelivery[] = []
  /** Serialized records and events: none changes once made, so each is stringified once. */
  #json = new WeakMap<object, string>()
  #onChange: () => void = () => {}

  /** How events are answered over HTTP (see {@link EventShape}). */
  readonly eventShape: EventShape
  /** Each event's wire form, made once per event object. */
  #wire = new WeakMap<ApiEvent, object>()
  /** Each event's wire form as JSON bytes (after a comma), made once per event object. */
  #bytes = new WeakMap<ApiEvent, Buffer>()

  constructor(historyLimit: number, snapshot?: StateSnapshot, eventShape: EventShape = 'endpoint') {
    this.historyLimit = historyLimit
    this.eventShape = eventShape
    if (snapshot !== undefined) {
      for (const stored of snapshot.events) this.#put(stored)
      this.#fires = snapshot.fires.slice(-historyLimit)
      this.#runs = snapshot.runs.slice(-historyLimit)
      this.#deliveries = snapshot.deliveries.slice(-historyLimit)
    }
  }

  /** Called after every mutation (the persister schedules a write). */
  onChange(listener: () => void): void {
    this.#onChange = listener
  }

  // --- events -------------------------------------------------------------------------

  /** All events, in creation order, as Refold's events API answers them. */
  listEvents(): ApiEvent[] {
    return [...this.#events.values()].map((entry) => entry.api)
  }

  /**
   * {@link listEvents} as the UTF-8 pieces of its JSON, cached until the next change. Every
   * create, update and delete answers with it (~5 MB at 1,000 events), so it is sent from
   * each event's bytes, encoded once per event, without copying them into one buffer: joining
   * and encoding the whole text on every write was most of the emulator's time in the sync
   * benchmark, so a loopback measurement of apply measured the emulator, not the client.
   */
  listEventsBody(): JsonPieces {
    if (this.#listBody === null) {
      const pieces: Buffer[] = [OPEN_BRACKET]
      for (const event of this.listEvents()) {
        const bytes = this.#wireBytes(event)
        // Each event's bytes start with the comma that separates it from the one before.
        pieces.push(pieces.length === 1 ? bytes.subarray(1) : bytes)
      }
      pieces.push(CLOSE_BRACKET)
      this.#listBody = new JsonPieces(pieces)
    }
    return this.#listBody
  }

  /** `,` and an event's wire JSON as UTF-8, made once per event object (an update replaces the object). */
  #wireBytes(event: ApiEvent): Buffer {
    let bytes = this.#bytes.get(event)
    if (bytes === undefined) {
      bytes = Buffer.from(`,${JSON.stringify(this.wireEvent(event))}`)
      this.#bytes.set(event, bytes)
    }
    return bytes
  }

  /** An event as the HTTP API answers it, in the configured {@link EventShape}. */
  wireEvent(event: ApiEvent): object {
    if (this.eventShape === 'endpoint') return event
    let wire = this.#wire.get(event)
    if (wire === undefined) {
      wire = openApiEvent(event)
      this.#wire.set(event, wire)
    }
    return wire
  }

  getEvent(id: string): ApiEvent | undefined {
    return this.#events.get(id)?.api
  }

  /** The event with exactly this name (case-sensitive, as Refold matches fires). */
  findEventByName(name: string): ApiEvent | undefined {
    const id = this.#idsByName.get(name)
    return id === undefined ? undefined : this.#events.get(id)?.api
  }

  /**
   * The event a workflow defined against `name` is attached to. Refold binds workflows to
   * the event's id, so after a rename they follow the event: an event renamed away from
   * `name` keeps its workflows; otherwise the event currently named `name`.
   */
  boundEvent(name: string): ApiEvent | undefined {
    const id = this.#idsByFormerName.get(name) ?? this.#idsByName.get(name)
    return id === undefined ? undefined : this.#events.get(id)?.api
  }

  createEvent(input: EventInput): ApiEvent {
    this.#assertNameFree(input.name, undefined)
    const now = new Date().toISOString()
    const stored: StoredEvent = { _id: newObjectId(), ...definition(input), created_at: now, updated_at: now }
    const api = this.#put(stored)
    this.#changed()
    return api
  }

  /** Replace an event's definition; an absent `json_schema` removes the stored one. */
  updateEvent(id: string, input: EventInput): ApiEvent {
    const current = this.#events.get(id)
    if (current === undefined) throw eventNotFound(id)
    this.#assertNameFree(input.name, id)
    this.#idsByName.delete(current.stored.name)
    const stored: StoredEvent = {
      ...definition(input),
      _id: id,
      created_at: current.stored.created_at,
      updated_at: new Date().toISOString(),
    }
    const former = [...(current.stored.former_names ?? []), ...(current.stored.name === input.name ? [] : [current.stored.name])].filter(
      (n) => n !== input.name,
    )
    if (former.length > 0) stored.former_names = [...new Set(former)]
    for (const name of current.stored.former_names ?? []) if (this.#idsByFormerName.get(name) === id) this.#idsByFormerName.delete(name)
    const api = this.#put(stored)
    this.#changed()
    return api
  }

  deleteEvent(id: string): void {
    const current = this.#events.get(id)
    if (current === undefined) throw eventNotFound(id)
    this.#events.delete(id)
    this.#idsByName.delete(current.stored.name)
    for (const name of current.stored.former_names ?? []) if (this.#idsByFormerName.get(name) === id) this.#idsByFormerName.delete(name)
    this.#changed()
  }

  // --- history ------------------------------------------------------------------------

  /** Record an accepted fire and the runs it started, in one change. */
  addFire(fire: FireRecord, runs: RunRecord[]): void {
    this.#fires = capped(this.#fires, fire, this.historyLimit)
    for (const run of runs) this.#runs = capped(this.#runs, run, this.historyLimit)
    this.#changed()
  }

  addDelivery(delivery: WebhookDelivery): void {
    this.#deliveries = capped(this.#deliveries, delivery, this.historyLimit)
    this.#changed()
  }

  /** Call after mutating a delivery record in place (a new attempt, a new state). */
  deliveryChanged(): void {
    this.#changed()
  }

  get fires(): readonly FireRecord[] {
    return this.#fires
  }

  get runs(): readonly RunRecord[] {
    return this.#runs
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.#deliveries
  }

  reset(scope: ResetScope): void {
    if (scope === 'all') {
      this.#events.clear()
      this.#idsByName.clear()
      this.#idsByFormerName.clear()
    }
    this.#fires = []
    this.#runs = []
    this.#deliveries = []
    this.#changed()
  }

  /** {@link snapshot} as JSON text, built from cached record JSON (the write path, run on every commit). */
  snapshotJson(): string {
    const events = this.#arrayJson([...this.#events.values()].map((entry) => entry.stored))
    return `{"format":"${STATE_FORMAT}","version":${STATE_VERSION},"events":${events},"fires":${this.#arrayJson(this.#fires)},"runs":${this.#arrayJson(this.#runs)},"deliveries":${JSON.stringify(this.#deliveries)}}`
  }

  /**
   * `JSON.stringify(items)`, from each item's JSON stringified once: records and event
   * objects are never changed once made (an update replaces them), and the state file is
   * written after every batch of changes.
   */
  #arrayJson(items: readonly object[]): string {
    const parts = items.map((item) => {
      let text = this.#json.get(item)
      if (text === undefined) {
        text = JSON.stringify(item)
        this.#json.set(item, text)
      }
      return text
    })
    return `[${parts.join(',')}]`
  }

  /** The whole state as the file stores it. */
  snapshot(): StateSnapshot {
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      events: [...this.#events.values()].map((entry) => entry.stored),
      fires: this.#fires,
      runs: this.#runs,
      deliveries: this.#deliveries,
    }
  }

  #put(stored: StoredEvent): ApiEvent {
    const api: ApiEvent = {
      _id: stored._id,
      name: stored.name,
      response: triggerVariables(JSON.parse(stored.raw_response)),
      raw_response: stored.raw_response,
    }
    if (stored.json_schema !== undefined) api.json_schema = stored.json_schema
    this.#events.set(stored._id, { stored, api })
    this.#idsByName.set(stored.name, stored._id)
    for (const name of stored.former_names ?? []) this.#idsByFormerName.set(name, stored._id)
    return api
  }

  #assertNameFree(name: string, exceptId: string | undefined): void {
    const owner = this.#idsByName.get(name)
    if (owner !== undefined && owner !== exceptId) {
      throw new ApiError(400, 'INVALID_EVENT_ID', `Trigger with name ${name} already exists`)
    }
  }

  #changed(): void {
    this.revision++
    this.#listBody = null
    this.#onChange()
  }
}

/** 404 for an event id that does not exist. */
export function eventNotFound(id: string): ApiError {
  return new ApiError(404, 'RESOURCE_NOT_FOUND', `Event with id ${id} not found`)
}

function definition(input: EventInput): Pick<StoredEvent, 'name' | 'raw_response' | 'json_schema'> {
  return input.json_schema === undefined
    ? { name: input.name, raw_response: input.raw_response }
    : { name: input.name, raw_response: input.raw_response, json_schema: input.json_schema }
}

function capped<T>(list: T[], item: T, limit: number): T[] {
  list.push(item)
  if (list.length > limit) list.splice(0, list.length - limit)
  return list
}
