/**
 * `refold-events emulator`: serve the local Refold emulator until interrupted. The first
 * line printed is the base URL, so scripts can read it (`--port 0` picks a free port).
 */
import { loadConfig } from '../../config/load-config.js'

import { DEFAULT_EMULATOR_API_KEY, type EmulatorOptions } from '../../emulator/emulator-options.js'
import { FAIL_STATUSES, type FailStatus, type FaultOptions } from '../../emulator/faults.js'
import type { RequestLogEntry } from '../../emulator/request-pipeline.js'
import { startEmulator } from '../../emulator/start-emulator.js'
import { redactUrl } from '../../emulator/webhook-sender.js'
import { ROUTE_CLASSES, type RouteClass } from '../../emulator/types.js'
import { didYouMean } from '../../util/suggest.js'
import type { CliIO } from '../io.js'
import { displayPath, plural } from '../../diagnostics.js'
import { ExitCode, ExitError } from '../exit.js'
import { positiveNumber, wholeNumber } from '../options.js'

/** Flags as commander hands them over (strings, parsed here so errors can name the flag). */
export interface EmulatorCommandOptions {
  config?: string
  host: string
  port: string
  /** A path, or false for `--no-state`; undefined means the config's (or the default) state file. */
  state?: string | false
  apiKey?: string
  workflows?: string
  webhookUrl?: string
  latency?: string
  failRate?: string
  failStatus?: string
  dropRate?: string
  rateLimit?: string
  burst?: string
  faults?: string
  seed?: string
  maxBody?: string
  history?: string
  quiet?: boolean
}

/** Start the emulator, print its URL, serve until SIGINT/SIGTERM, then shut down cleanly. */
export async function runEmulator(options: EmulatorCommandOptions, io: CliIO): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  const keyFromEnv = io.env.REFOLD_API_KEY
  const apiKey = options.apiKey ?? (keyFromEnv === undefined || keyFromEnv === '' ? undefined : keyFromEnv)
  const stateFile = options.state === false ? null : (options.state ?? config.emulator.state)
  const workflows = options.workflows ?? config.emulator.workflows ?? undefined
  const latency = options.latency === undefined ? undefined : parseLatency(options.latency)

  const emulatorOptions: EmulatorOptions = {
    cwd: io.cwd,
    host: options.host,
    port: wholeNumber('--port', options.port, 0, 65535),
    stateFile,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(workflows === undefined ? {} : { workflows }),
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
    ...(latency === undefined ? {} : { latencyMs: latency }),
    ...(options.failRate === undefined ? {} : { failRate: probability('--fail-rate', options.failRate) }),
    ...(options.failStatus === undefined ? {} : { failStatuses: failStatuses(options.failStatus) }),
    ...(options.dropRate === undefined ? {} : { dropRate: probability('--drop-rate', options.dropRate) }),
    ...(options.rateLimit === undefined
      ? {}
      : { rateLimit: positiveNumber('--rate-limit', options.rateLimit, 'a number of requests per second') }),
    ...(options.burst === undefined ? {} : { burst: wholeNumber('--burst', options.burst, 1, 1_000_000) }),
    ...(options.faults === undefined ? {} : { faultRoutes: routeClasses(options.faults) }),
    ...(options.seed === undefined ? {} : { seed: wholeNumber('--seed', options.seed, 0, Number.MAX_SAFE_INTEGER) }),
    ...(options.maxBody === undefined ? {} : { maxBodyBytes: byteSize('--max-body', options.maxBody) }),
    ...(options.history === undefined ? {} : { historyLimit: wholeNumber('--history', options.history, 1, 10_000_000) }),
    ...(options.quiet === true ? {} : { log: (entry: RequestLogEntry) => io.stdout(formatLogEntry(entry)) }),
    onNotice: (message) => io.stdout(`${message}\n`),
  }
  // Listen for Ctrl+C/SIGTERM before anything can be served, so a signal never finds the default handler.
  const interrupted = io.waitForInterrupt()
  const emulator = await startEmulator(emulatorOptions)
  io.stdout(`${emulator.url}\n`)

  const shown = (path: string): string => displayPath(path, io.cwd)
  const events = emulator.state.events().length
  io.stdout(`state: ${stateFile === null ? 'in memory only (--no-state)' : `${shown(stateFile)} (${plural(events, 'event')})`}\n`)
  if (workflows !== undefined) io.stdout(`workflows: ${emulator.state.workflows().length} from ${shown(workflows)}\n`)
  io.stdout(
    `api key: ${apiKey === undefined ? `the development key "${DEFAULT_EMULATOR_API_KEY}" (set REFOLD_API_KEY or --api-key to choose one)` : options.apiKey !== undefined ? 'from --api-key' : 'from REFOLD_API_KEY'}\n`,
  )
  if (options.webhookUrl !== undefined) io.stdout(`webhooks: ${redactUrl(options.webhookUrl)} (signed with the API key)\n`)
  const faults = describeFaults(emulator.faults.options)
  if (faults !== null) io.stdout(`faults: ${faults}\n`)
  if (!['127.0.0.1', '::1', 'localhost'].includes(options.host))
    io.stderr(`warning: listening on ${options.host}, reachable from other machines\n`)
  io.stdout('Press Ctrl+C to stop.\n')

  await interrupted
  io.stdout('stopping: finishing requests in progress...\n')
  await emulator.close()
  io.stdout('stopped\n')
  return ExitCode.ok
}

function formatLogEntry(entry: RequestLogEntry): string {
  const time = new Date().toISOString().slice(11, 23)
  const fault = entry.fault === undefined ? '' : ` [fault: ${entry.fault}]`
  const note = entry.note === undefined ? '' : `  ${entry.note}`
  return `${time} ${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms${fault}${note}\n`
}

function describeFaults(options: FaultOptions): string | null {
  const parts: string[] = []
  const [min, max] = options.latencyMs
  if (max > 0) parts.push(`latency ${min === max ? `${min}` : `${min}-${max}`} ms`)
  if (options.failRate > 0) parts.push(`${Math.round(options.failRate * 1000) / 10}% ${options.failStatuses.join('/')}`)
  if (options.dropRate > 0) parts.push(`${Math.round(options.dropRate * 1000) / 10}% dropped connections`)
  if (options.rateLimit !== null) parts.push(`rate limit ${options.rateLimit}/s, burst ${options.burst}`)
  if (parts.length === 0) return null
  return `${parts.join(', ')} on ${options.routes.join(',')} (seed ${options.seed})`
}

function probability(flag: string, text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !(value >= 0 && value <= 1))
    throw new ExitError(`${flag} must be a probability from 0 to 1 (e.g. 0.2), got "${text}"`)
  return value
}

/** `20` or `10-50` milliseconds. */
function parseLatency(text: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim())
  const min = Number(match?.[1])
  const max = match?.[2] === undefined ? min : Number(match[2])
  if (match === null || max < min) throw new ExitError(`--latency must be milliseconds (20) or a range (10-50), got "${text}"`)
  return [min, max]
}

/** `1048576`, `512kb`, `5mb`. */
function byteSize(flag: string, text: string): number {
  const match = /^(\d+)\s*(b|kb|k|mb|m)?$/i.exec(text.trim())
  if (match === null) throw new ExitError(`${flag} must be a size in bytes (1048576, 512kb, 5mb), got "${text}"`)
  const unit = (match[2] ?? 'b').toLowerCase()
  const value = Number(match[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1)
  if (value < 1) throw new ExitError(`${flag} must be at least 1 byte`)
  return value
}

/** `503` or `500,503`. */
function failStatuses(text: string): FailStatus[] {
  const statuses = text.split(',').map((part) => Number(part.trim()))
  if (statuses.length === 0 || !statuses.every((status) => FAIL_STATUSES.includes(status as FailStatus))) {
    throw new ExitError(`--fail-status must be a list of ${FAIL_STATUSES.join(', ')}, got "${text}"`)
  }
  return statuses as FailStatus[]
}

function routeClasses(text: string): RouteClass[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  for (const name of names) {
    if (!ROUTE_CLASSES.includes(name as RouteClass)) {
      throw new ExitError(
        `--faults: unknown route class "${name}"${didYouMean(name, ROUTE_CLASSES)}; expected a list of ${ROUTE_CLASSES.join(', ')}`,
      )
    }
  }
  return names as RouteClass[]
}
