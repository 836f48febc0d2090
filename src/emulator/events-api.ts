/**
 * Refold's events API (docs.refold.ai "Event" reference): list, create, get, update and
 * delete custom events. Create, update and delete answer with the whole updated array,
 * as Refold does. `response` is written as the sample payload, either a JSON string
 * (current docs) or an object (older docs); both forms of sample, the payload itself or
 * a `{event, payload}` envelope, are stored as given and echoed in `raw_response`.
 */
import type { JsonSchema } from '../types.js'
import { EVENT_PATH, EVENTS_PATH } from '../wire/paths.js'
import type { EmulatorCompat } from './emulator-options.js'
import { ApiError, invalidBody } from './api-error.js'
import { eventNotFound, type EmulatorState, type EventInput } from './emulator-state.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from './read-body.js'
import type { Reply, Route } from './route-table.js'
import { preloadSchemaChecker } from './schema-check.js'

/** The events API routes over `state`. */
export function eventsRoutes(
  state: EmulatorState,
  compat: Pick<Required<EmulatorCompat>, 'unchangedNamePutError'> = { unchangedNamePutError: false },
): Route[] {
  const list = (): Reply => ({ status: 200, body: state.listEventsBody() })
  const common = { routeClass: 'events', auth: true, codeKey: 'error' } as const
  return [
    {
      ...common,
      path: EVENTS_PATH,
      methods: {
        GET: list,
        POST: ({ body }) => {
          state.createEvent(withSchemaChecker(eventInput(body)))
          return list()
        },
      },
    },
    ...[EVENTS_PATH, EVENT_PATH].map(
      (base): Route => ({
        ...common,
        path: `${base}/:eventId`,
        methods: {
          GET: ({ params }) => {
            const event = state.getEvent(params.eventId!)
            if (event === undefined) throw eventNotFound(params.eventId!)
            return { status: 200, body: state.wireEvent(event) }
          },
          PUT: ({ params, body }) => {
            const current = state.getEvent(params.eventId!)
            if (current === undefined) throw eventNotFound(params.eventId!)
            if (compat.unchangedNamePutError) {
              // Refold before v3.5.35: its name check did not exclude the event itself.
              const named = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).name : undefined
              if (named === current.name) throw new ApiError(400, 'INVALID_EVENT_ID', `Trigger with name ${current.name} already exists`)
              if (named === undefined) body = { ...(body as Record<string, unknown>), name: current.name }
            }
            state.updateEvent(params.eventId!, withSchemaChecker(eventInput(body)))
            return list()
          },
          DELETE: ({ params }) => {
            state.deleteEvent(params.eventId!)
            return list()
          },
        },
      }),
    ),
  ]
}

/** An event with a schema will have its fires checked: start loading ajv now, off the fire path. */
function withSchemaChecker(input: EventInput): EventInput {
  if (input.json_schema !== undefined) preloadSchemaChecker()
  return input
}

/** Validate a create/update body: `{name, response, json_schema?}`. */
function eventInput(body: unknown): EventInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidBody('Request body must be a JSON object: {"name": ..., "response": ..., "json_schema"?: ...}')
  }
  const { name, response, json_schema: schema } = body as Record<string, unknown>
  if (name === undefined) throw invalidBody('name is required')
  if (typeof name !== 'string' || name.trim() === '') throw invalidBody('name must be a non-empty string')
  if (response === undefined || response === null) throw invalidBody('response is required: the sample payload, as a JSON string')
  let raw: string
  let sample: unknown
  if (typeof response === 'string') {
    raw = response
    try {
      sample = JSON.parse(response)
    } catch (error) {
      throw invalidBody(`response is not valid JSON: ${(error as Error).message}`)
    }
  } else {
    raw = JSON.stringify(response)
    sample = response
  }
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    throw invalidBody('response must be a JSON object (the sample payload), or a string holding one')
  }
  if (nestsDeeperThan(sample, MAX_JSON_DEPTH)) throw invalidBody(`response nests deeper than ${MAX_JSON_DEPTH} levels`)
  if (schema === undefined || schema === null) return { name, raw_response: raw }
  if (typeof schema !== 'object' || Array.isArray(schema)) throw invalidBody('json_schema must be a JSON Schema object')
  return { name, raw_response: raw, json_schema: schema as JsonSchema }
}
