/**
 * What `sync` does once the YAML is compiled: read Refold's side (events, then the workflow
 * scan that says who reads which field) and plan against it. One place, so the command,
 * saved-plan checks and the benchmark all read and plan the same way.
 */
import type { InferOptions } from '../types.js'
import { planSync, type PlanInput } from '../sync/plan-sync.js'
import { remoteSchemaLookup } from '../sync/remote-schemas.js'
import type { RemoteEventSnapshot, SyncPlan, WorkflowScan } from '../sync/sync-types.js'
import type { RefoldEventsApi } from './events-api.js'
import type { RemoteHttp } from './remote-http.js'
import { scanWorkflows } from './workflows-api.js'

/** Refold's side of a plan, read once. */
export interface RemoteSide {
  remote: RemoteEventSnapshot[]
  workflows: WorkflowScan
}

/** List the events, then scan the workflows attached to them. */
export async function readRemoteSide(api: RefoldEventsApi, http: RemoteHttp): Promise<RemoteSide> {
  const remote = await api.list()
  const workflows = await scanWorkflows(http, remote)
  return { remote, workflows }
}

/** The planner's input minus what is read from Refold; `inference` types remote events without `json_schema`. */
export type PlanRequest = Omit<PlanInput, 'remote' | 'workflows' | 'inferSchema'> & { inference: InferOptions }

/** Read Refold's side and plan the YAML against it. */
export async function planAgainstRemote(api: RefoldEventsApi, http: RemoteHttp, request: PlanRequest): Promise<SyncPlan> {
  const { inference, ...input } = request
  const { remote, workflows } = await readRemoteSide(api, http)
  return planSync({ ...input, remote, workflows, inferSchema: await remoteSchemaLookup(remote, inference, input.local) })
}
