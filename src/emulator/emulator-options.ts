/**
 * Options of {@link startEmulator} (the `emulator` command's flags, in code) and their
 * defaults, resolved once before anything starts.
 */
import { randomInt } from 'node:crypto'
import { resolve } from 'node:path'
import type { EventShape } from '../wire/event-body.js'
import { defaultFaultOptions, validateFaultOptions, type FailStatus, type FaultOptions } from './faults.js'
import type { RequestLogEntry } from './request-pipeline.js'
import { ROUTE_CLASSES, type RouteClass, type WorkflowDefinition } from './types.js'

/**
 * The API key the emulator accepts when none is given. A documented development key,
 * not a secret: it only opens the local emulator. It starts with `tk`, like Refold's test keys.
 */
export const DEFAULT_EMULATOR_API_KEY = 'tk_emulator'
export const DEFAULT_EMULATOR_PORT = 4010
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
export const DEFAULT_HISTORY_LIMIT = 1000

export interface EmulatorOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string
  /** Port; 0 picks a free one. Default 4010. */
  port?: number
  /** State file, relative to `cwd`; null keeps the state in memory only. Default null (the CLI defaults to `.refold/emulator.json`). */
  stateFile?: string | null
  /** The `x-api-key` the emulator accepts; also the webhook signing secret. Default {@link DEFAULT_EMULATOR_API_KEY}. */
  apiKey?: string
  /** A workflows file (YAML or JSON, relative to `cwd`), or the workflows themselves. */
  workflows?: string | readonly WorkflowDefinition[] | null
  /** Where "Workflow Completed"/"Workflow Errored" webhooks go; none when null. */
  webhookUrl?: string | null
  /** Added latency per faulted request: a fixed number of ms or a [min, max] range. */
  latencyMs?: number | readonly [number, number]
  /** Share of faulted requests answered with a 5xx (before they take effect). */
  failRate?: number
  /** Statuses those answers use, equally often. Default [500, 503]. */
  failStatuses?: readonly FailStatus[]
  /** Share of faulted requests whose connection is dropped. */
  dropRate?: number
  /** Requests per second per route class before 429; null for none. Refold documents 20. */
  rateLimit?: number | null
  /** Token bucket size of the rate limit. Default 5, as Refold documents. */
  burst?: number
  /** Route classes faults apply to. Default all. */
  faultRoutes?: readonly RouteClass[]
  /** Seed of the fault PRNG; random (and reported in `faults.options.seed`) when absent. */
  seed?: number
  /** Largest request body accepted, in bytes (413 beyond). Default 1 MiB. */
  maxBodyBytes?: number
  /** Fires, runs and webhook deliveries kept (each). Default 1000. */
  historyLimit?: number
  /** Delay before the first webhook retry, doubled for each next one. Default 500 ms. */
  webhookBackoffMs?: number
  /** Timeout of one webhook delivery attempt. Default 10 s. */
  webhookTimeoutMs?: number
  /** Receives one entry per request. */
  log?: (entry: RequestLogEntry) => void
  /** Receives a line when something happens outside a request (the workflows file reloaded, or failed to). */
  onNotice?: (message: string) => void
  /** Reload the workflows file when it changes. Default true. */
  watchWorkflows?: boolean
  /** Base of relative paths. Default `process.cwd()`. */
  cwd?: string
  /** Where Refold's documents disagree, answer as the other one does (so clients are tested against both). */
  compat?: EmulatorCompat
}

/**
 * Documented Refold behaviours the emulator can reproduce instead of its defaults.
 * `eventShape`: `endpoint` (default) answers events as the endpoint pages show them,
 * `{_id, name, response: [{key, type}], raw_response, json_schema?}`; `openapi` as the
 * OpenAPI reference's `CustomTrigger`, `{_id, name, response: "<sample JSON>", json_schema?}`.
 */
export interface EmulatorCompat {
  eventShape?: EventShape
  /**
   * Refold before v3.5.35: a PUT that keeps the event's name is refused with 400
   * `INVALID_EVENT_ID` "Trigger with name ... already exists"; a PUT without `name` keeps it.
   * Default false (today's Refold accepts it).
   */
  unchangedNamePutError?: boolean
  /**
   * How a request beyond the rate limit is refused: `429` (default, Refold's API reference) or
   * `403`, the "Rate Limit Hit" of Refold's older overview; both carry `retry-after` and
   * `retry-after-ms`. Clients must retry that 403 and never an auth 403.
   */
  rateLimitStatus?: 429 | 403
}

/** The two documented shapes of an event in answers (the wire contract, src/wire). */
export type { EventShape }

/** Options with every default filled in. */
export interface ResolvedEmulatorOptions {
  host: string
  port: number
  stateFile: string | null
  apiKey: string
  workflows: string | readonly WorkflowDefinition[] | null
  webhookUrl: string | null
  faults: FaultOptions
  maxBodyBytes: number
  historyLimit: number
  webhookBackoffMs: number
  webhookTimeoutMs: number
  log: ((entry: RequestLogEntry) => void) | undefined
  notice: (message: string) => void
  watchWorkflows: boolean
  compat: Required<EmulatorCompat>
}

/** Fill defaults and check ranges; throws a plain Error naming the bad option. */
export function resolveEmulatorOptions(options: EmulatorOptions): ResolvedEmulatorOptions {
  const cwd = options.cwd ?? process.cwd()
  const latency = options.latencyMs ?? 0
  const faults: FaultOptions = {
    ...defaultFaultOptions(options.seed ?? randomInt(0, 2 ** 31)),
    latencyMs: typeof latency === 'number' ? [latency, latency] : [latency[0], latency[1]],
    failRate: options.failRate ?? 0,
    failStatuses: options.failStatuses ?? [500, 503],
    dropRate: options.dropRate ?? 0,
    rateLimit: options.rateLimit ?? null,
    burst: options.burst ?? 5,
    routes: options.faultRoutes ?? ROUTE_CLASSES,
  }
  validateFaultOptions(faults)
  const port = options.port ?? DEFAULT_EMULATOR_PORT
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`port must be 0-65535, got ${port}`)
  const apiKey = options.apiKey ?? DEFAULT_EMULATOR_API_KEY
  if (apiKey === '' || /[\r\n]/.test(apiKey)) throw new Error('the API key must be a non-empty single-line string')
  const webhookUrl = options.webhookUrl ?? null
  if (webhookUrl !== null && !/^https?:\/\/[^/]/.test(webhookUrl))
    throw new Error(`webhook URL must be an http(s) URL, got "${webhookUrl}"`)
  const positive = (name: string, value: number): number => {
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a whole number > 0, got ${value}`)
    return value
  }
  const workflows = options.workflows ?? null
  return {
    host: options.host ?? '127.0.0.1',
    port,
    stateFile: options.stateFile === undefined || options.stateFile === null ? null : resolve(cwd, options.stateFile),
    apiKey,
    workflows: typeof workflows === 'string' ? resolve(cwd, workflows) : workflows,
    webhookUrl,
    faults,
    maxBodyBytes: positive('max body bytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    historyLimit: positive('history limit', options.historyLimit ?? DEFAULT_HISTORY_LIMIT),
    webhookBackoffMs: positive('webhook backoff', options.webhookBackoffMs ?? 500),
    webhookTimeoutMs: positive('webhook timeout', options.webhookTimeoutMs ?? 10_000),
    log: options.log,
    notice: options.onNotice ?? (() => {}),
    watchWorkflows: options.watchWorkflows ?? true,
    compat: resolveCompat(options.compat ?? {}),
  }
}

function resolveCompat(compat: EmulatorCompat): Required<EmulatorCompat> {
  const eventShape = compat.eventShape ?? 'endpoint'
  if (eventShape !== 'endpoint' && eventShape !== 'openapi')
    throw new Error(`compat.eventShape must be "endpoint" or "openapi", got ${JSON.stringify(eventShape)}`)
  const rateLimitStatus = compat.rateLimitStatus ?? 429
  if (rateLimitStatus !== 429 && rateLimitStatus !== 403)
    throw new Error(`compat.rateLimitStatus must be 429 or 403, got ${JSON.stringify(rateLimitStatus)}`)
  return { eventShape, unchangedNamePutError: compat.unchangedNamePutError === true, rateLimitStatus }
}
