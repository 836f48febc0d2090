/**
 * The emulator's own routes under `/_emulator/`, a prefix Refold's API never uses: what
 * arrived (fires), what it caused (runs, webhook deliveries), a reset, and the fault
 * settings, readable and changeable while running. They need the API key like the
 * rest (the history holds payloads), except `health`; they are never faulted.
 */
import type { JsonValue } from '../types.js'
import { ApiError, invalidBody } from './api-error.js'
import type { EmulatorState, ResetScope } from './emulator-state.js'
import type { FailStatus, FaultInjector, FaultOptions } from './faults.js'
import type { Reply, Route } from './route-table.js'
import type { RouteClass, Workflow } from './types.js'

const INSPECTION_PREFIX = '/_emulator'

/** The inspection routes. */
export function inspectionRoutes(state: EmulatorState, faults: FaultInjector, workflows: () => readonly Workflow[]): Route[] {
  const common = { routeClass: null, auth: true, codeKey: 'error_code' } as const
  const byId = <T extends { id: string }>(list: readonly T[], id: string, what: string): Reply => {
    const found = list.find((item) => item.id === id)
    if (found === undefined) throw new ApiError(404, 'RESOURCE_NOT_FOUND', `${what} with id ${id} not found`)
    return { status: 200, body: found }
  }
  return [
    {
      ...common,
      auth: false,
      path: `${INSPECTION_PREFIX}/health`,
      methods: { GET: () => ({ status: 200, body: { status: 'ok', events: state.listEvents().length, workflows: workflows().length } }) },
    },
    {
      ...common,
      path: `${INSPECTION_PREFIX}/fires`,
      methods: {
        GET: ({ query }) => ({ status: 200, body: filtered(state.fires, query, ['event', 'linked_account_id', 'slug', 'event_id']) }),
      },
    },
    { ...common, path: `${INSPECTION_PREFIX}/fires/:id`, methods: { GET: ({ params }) => byId(state.fires, params.id!, 'Fire') } },
    {
      ...common,
      path: `${INSPECTION_PREFIX}/runs`,
      methods: {
        GET: ({ query }) => ({
          status: 200,
          body: filtered(state.runs, query, ['event', 'workflow_id', 'status', 'fire_id', 'linked_account_id', 'slug']),
        }),
      },
    },
    { ...common, path: `${INSPECTION_PREFIX}/runs/:id`, methods: { GET: ({ params }) => byId(state.runs, params.id!, 'Run') } },
    {
      ...common,
      path: `${INSPECTION_PREFIX}/webhooks`,
      methods: { GET: ({ query }) => ({ status: 200, body: filtered(state.deliveries, query, ['state', 'run_id', 'event']) }) },
    },
    {
      ...common,
      path: `${INSPECTION_PREFIX}/reset`,
      methods: {
        POST: ({ query }) => {
          const scope = query.get('scope') ?? 'all'
          if (scope !== 'all' && scope !== 'history')
            throw new ApiError(400, 'INVALID_QUERY', `scope must be "all" or "history", got "${scope}"`)
          state.reset(scope as ResetScope)
          return { status: 200, body: { message: 'Emulator state reset', scope } }
        },
      },
    },
    {
      ...common,
      path: `${INSPECTION_PREFIX}/faults`,
      methods: {
        GET: () => ({ status: 200, body: faultsBody(faults.options) }),
        PUT: ({ body }) => {
          const changes = faultChanges(body)
          try {
            return { status: 200, body: faultsBody(faults.update(changes)) }
          } catch (error) {
            throw invalidBody((error as Error).message)
          }
        },
      },
    },
  ]
}

/**
 * Records whose fields equal every given query parameter, oldest first; `limit=N` keeps
 * the newest N.
 */
function filtered<T extends object>(list: readonly T[], query: URLSearchParams, fields: string[]): T[] {
  const wanted = fields.flatMap((field) => {
    const value = query.get(field)
    return value === null ? [] : [[field, value] as const]
  })
  let result =
    wanted.length === 0
      ? [...list]
      : list.filter((item) => wanted.every(([field, value]) => (item as Record<string, unknown>)[field] === value))
  const limit = query.get('limit')
  if (limit !== null) {
    if (!/^\d{1,9}$/.test(limit)) throw new ApiError(400, 'INVALID_QUERY', `limit must be a whole number, got "${limit}"`)
    result = Number(limit) === 0 ? [] : result.slice(-Number(limit))
  }
  return result
}

/** Fault settings in the API's snake_case. */
function faultsBody(options: FaultOptions): Record<string, JsonValue> {
  return {
    latency_ms: [...options.latencyMs],
    fail_rate: options.failRate,
    fail_statuses: [...options.failStatuses],
    drop_rate: options.dropRate,
    rate_limit: options.rateLimit,
    burst: options.burst,
    routes: [...options.routes],
    seed: options.seed,
  }
}

function faultChanges(body: unknown): Partial<FaultOptions> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidBody('Request body must be a JSON object of fault settings')
  const input = body as Record<string, unknown>
  const known = ['latency_ms', 'fail_rate', 'fail_statuses', 'drop_rate', 'rate_limit', 'burst', 'routes', 'seed']
  const unknown = Object.keys(input).find((key) => !known.includes(key))
  if (unknown !== undefined) throw invalidBody(`unknown fault setting "${unknown}" (expected ${known.join(', ')})`)
  const changes: Partial<FaultOptions> = {}
  const number = (key: string): number => {
    if (typeof input[key] !== 'number') throw invalidBody(`${key} must be a number`)
    return input[key]
  }
  if ('latency_ms' in input) {
    const value = input.latency_ms
    if (typeof value === 'number') changes.latencyMs = [value, value]
    else if (Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number'))
      changes.latencyMs = [value[0] as number, value[1] as number]
    else throw invalidBody('latency_ms must be a number or [min, max]')
  }
  if ('fail_rate' in input) changes.failRate = number('fail_rate')
  if ('fail_statuses' in input) {
    if (!Array.isArray(input.fail_statuses) || !input.fail_statuses.every((status) => typeof status === 'number'))
      throw invalidBody('fail_statuses must be a list of statuses')
    changes.failStatuses = input.fail_statuses as FailStatus[]
  }
  if ('drop_rate' in input) changes.dropRate = number('drop_rate')
  if ('rate_limit' in input) changes.rateLimit = input.rate_limit === null ? null : number('rate_limit')
  if ('burst' in input) changes.burst = number('burst')
  if ('seed' in input) changes.seed = number('seed')
  if ('routes' in input) {
    if (!Array.isArray(input.routes) || !input.routes.every((route) => typeof route === 'string'))
      throw invalidBody('routes must be a list of route classes')
    changes.routes = input.routes as RouteClass[]
  }
  return changes
}
