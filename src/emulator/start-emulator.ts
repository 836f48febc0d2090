/**
 * Starts the local Refold emulator: Refold's events, fire and workflow APIs on loopback,
 * state persisted atomically, workflows run on fires, webhooks, and fault injection
 * (DESIGN.md "Local Refold emulator"). Used by the `emulator` command, by `sync` as the
 * built-in `local` environment, and by tests.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EmulatorStartError } from '../errors.js'
import { EmulatorState, type ResetScope, type StateSnapshot } from './emulator-state.js'
import { resolveEmulatorOptions, type EmulatorOptions, type ResolvedEmulatorOptions } from './emulator-options.js'
import { eventsRoutes } from './events-api.js'
import { FaultInjector, type FaultOptions } from './faults.js'
import { fireRoutes } from './fire-api.js'
import { inspectionRoutes } from './inspection-api.js'
import { createPipeline } from './request-pipeline.js'
import { RouteTable } from './route-table.js'
import { preloadSchemaChecker } from './schema-check.js'
import { lockStateFile, readStateFile, recordLockUrl, removeStaleTempFiles, StateWriter } from './state-file.js'
import type { ApiEvent, FireRecord, RunRecord, WebhookDelivery, Workflow } from './types.js'
import { WebhookSender } from './webhook-sender.js'
import { loadWorkflowsFile, workflowsFromDefinitions } from './workflows-file.js'
import { workflowRoutes } from './workflows-api.js'
import { watchWorkflows } from './watch-workflows.js'
import { displayPath } from '../diagnostics.js'

/** Read access to what the emulator holds, for tests and tools. */
export interface EmulatorInspector {
  /** Events as `GET /api/v2/public/application/event` answers them. */
  events(): ApiEvent[]
  fires(): FireRecord[]
  runs(): RunRecord[]
  deliveries(): WebhookDelivery[]
  workflows(): readonly Workflow[]
  /** Clear everything, or only fires, runs and deliveries; resolves once saved. */
  reset(scope?: ResetScope): Promise<void>
  /** Resolves once every change so far is on disk. */
  flushed(): Promise<void>
  /** Resolves once every webhook delivery has succeeded or given up. */
  webhooksSettled(): Promise<void>
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, `http://127.0.0.1:PORT` (the real port when started with port 0). */
  url: string
  host: string
  port: number
  state: EmulatorInspector
  /** The fault settings in force, and a way to change them while running. */
  faults: { readonly options: FaultOptions; set(changes: Partial<FaultOptions>): FaultOptions }
  /** Stop accepting connections, finish requests in progress, save, release the state file. */
  close(): Promise<void>
}

/** How long `close()` lets requests in progress finish before cutting their connections. */
const SHUTDOWN_GRACE_MS = 10_000

/** Start an emulator. Startup problems (state file in use or unreadable, port taken) throw {@link EmulatorStartError}. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOrExit(options)
  const cwd = options.cwd ?? process.cwd()
  const shown = (path: string): string => displayPath(path, cwd)
  const stateFile = resolved.stateFile

  const release = stateFile === null ? async () => {} : await lockStateFile(stateFile, shown(stateFile))
  let stopWatching = (): void => {}
  try {
    let workflows: readonly Workflow[] = []
    if (typeof resolved.workflows === 'string') {
      const file = resolved.workflows
      workflows = await loadWorkflowsFile(file, shown(file))
      if (resolved.watchWorkflows) stopWatching = watchWorkflows(file, shown(file), (next) => (workflows = next), resolved.notice)
    } else if (resolved.workflows !== null) {
      workflows = workflowsFromDefinitions(resolved.workflows)
    }

    let snapshot: StateSnapshot | undefined
    if (stateFile !== null) {
      await removeStaleTempFiles(stateFile)
      snapshot = await readStateFile(stateFile, shown(stateFile))
    }
    const state = new EmulatorState(resolved.historyLimit, snapshot, resolved.compat.eventShape)
    // Deliveries a previous process had pending died with it.
    for (const delivery of state.deliveries) if (delivery.state === 'pending') delivery.state = 'abandoned'
    const writer = stateFile === null ? null : new StateWriter(stateFile, state)
    const commit = writer === null ? () => Promise.resolve() : () => writer.commit()

    const environment = resolved.apiKey.startsWith('pk') ? 'production' : 'test'
    const faults = new FaultInjector(resolved.faults)
    const webhooks =
      resolved.webhookUrl === null
        ? null
        : new WebhookSender(
            {
              url: resolved.webhookUrl,
              secret: resolved.apiKey,
              environment,
              backoffMs: resolved.webhookBackoffMs,
              timeoutMs: resolved.webhookTimeoutMs,
            },
            state,
          )
    const listWorkflows = (): readonly Workflow[] => workflows
    const routes = new RouteTable([
      ...eventsRoutes(state, resolved.compat),
      ...fireRoutes({ state, workflows: listWorkflows, webhooks, apiKey: resolved.apiKey }),
      ...workflowRoutes(listWorkflows, state, environment),
      ...inspectionRoutes(state, faults, listWorkflows),
    ])
    const pipeline = createPipeline({
      routes,
      faults,
      apiKey: resolved.apiKey,
      maxBodyBytes: resolved.maxBodyBytes,
      rateLimitStatus: resolved.compat.rateLimitStatus,
      commit,
      log: resolved.log,
    })
    const server = createServer({ keepAliveTimeout: 65_000 }, pipeline.listener)
    await listen(server, resolved.host, resolved.port)
    if (state.listEvents().some((event) => event.json_schema !== undefined)) preloadSchemaChecker()

    const address = server.address() as AddressInfo
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const url = `http://${urlHost}:${address.port}`
    if (stateFile !== null) await recordLockUrl(stateFile, url)
    let closing: Promise<void> | null = null
    return {
      url,
      host: address.address,
      port: address.port,
      state: {
        events: () => state.listEvents(),
        fires: () => [...state.fires],
        runs: () => [...state.runs],
        deliveries: () => [...state.deliveries],
        workflows: listWorkflows,
        reset: async (scope = 'all') => {
          state.reset(scope)
          await commit()
        },
        flushed: () => writer?.idle() ?? Promise.resolve(),
        webhooksSettled: () => webhooks?.idle() ?? Promise.resolve(),
      },
      faults: {
        get options() {
          return faults.options
        },
        set: (changes) => faults.update(changes),
      },
      close: () => {
        closing ??= (async () => {
          stopWatching()
          await stopServer(server, pipeline.inFlight)
          await webhooks?.close()
          await writer?.idle()
          await release()
        })()
        return closing
      },
    }
  } catch (error) {
    stopWatching()
    await release()
    throw error
  }
}

function resolveOrExit(options: EmulatorOptions): ResolvedEmulatorOptions {
  try {
    return resolveEmulatorOptions(options)
  } catch (error) {
    throw new EmulatorStartError('options', `emulator: ${(error as Error).message}`)
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'the address is already in use; pick another with --port (0 for any free port)' : error.message
      reject(new EmulatorStartError('cannot-listen', `emulator: cannot listen on ${host}:${port}: ${why}`))
    })
    server.listen({ host, port }, () => resolve())
  })
}

/** Close the listener, let requests in progress finish (up to a grace period), then close every connection. */
async function stopServer(server: Server, inFlight: () => number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const deadline = Date.now() + SHUTDOWN_GRACE_MS
  while (inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  // Keep-alive connections that served those requests are idle now.
  server.closeAllConnections()
  await closed
}
