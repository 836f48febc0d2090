/**
 * What `sync` does once the YAML is compiled: read Refold's side (events, then the workflow
 * scan that says who reads which field) and plan against it. One place, so the command,
 * saved-plan checks and the benchmark all read and plan the same way.
 */
import type { InferOptions } from '../types.js'
import { planSync, type PlanInput } from './plan/plan-sync.js'
import { remoteSchemaLookup } from './plan/remote-schemas.js'
import type { RemoteEventSnapshot, SyncPlan, WorkflowScan } from './sync-types.js'
import type { RefoldEventsApi } from '../remote/events-api.js'
import type { RemoteHttp } from '../remote/remote-http.js'
import { scanWorkflows } from '../remote/workflows-api.js'

/** Refold's side of a plan, read once. */
export interface RemoteSide {
  remote: RemoteEventSnapshot[]
  workflows: WorkflowScan
}

/** The phases of reading and planning, for a progress display. */
export type PlanPhase = 'events' | 'workflows' | 'plan'

/** List the events, then scan the workflows attached to them. */
export async function readRemoteSide(api: RefoldEventsApi, http: RemoteHttp, onPhase?: (phase: PlanPhase) => void): Promise<RemoteSide> {
  onPhase?.('events')
  const remote = await api.list()
  onPhase?.('workflows')
  const workflows = await scanWorkflows(http, remote)
  return { remote, workflows }
}

/** The planner's input minus what is read from Refold; `inference` types remote events without `json_schema`. */
export type PlanRequest = Omit<PlanInput, 'remote' | 'workflows' | 'inferSchema'> & { inference: InferOptions }

/** Read Refold's side and plan the YAML against it. */
export async function planAgainstRemote(
  api: RefoldEventsApi,
  http: RemoteHttp,
  request: PlanRequest,
  onPhase?: (phase: PlanPhase) => void,
): Promise<SyncPlan> {
  const { inference, ...input } = request
  const { remote, workflows } = await readRemoteSide(api, http, onPhase)
  onPhase?.('plan')
  return planSync({ ...input, remote, workflows, inferSchema: await remoteSchemaLookup(remote, inference, input.local) })
}
