/**
 * One sync run, through ports (ports.ts): read Refold's side (events, then the workflow scan
 * that says who reads which field), plan the YAML against it or verify that a saved plan still
 * holds, and apply it unless something forbids it. One place, so the command, saved-plan
 * checks and the benchmark all read and plan the same way. Nothing here prints or exits:
 * the outcome is data, and the CLI says it.
 */
import type { CompiledEvent, InferOptions } from '../types.js'
import type { ResponseForm } from '../wire/event-body.js'
import { type ApplyOptions, type ApplyResult, applyPlan } from './apply/apply-plan.js'
import { hashLocal, hashRemote } from './plan/plan-hashes.js'
import { hasWork, isBlocked } from './plan/plan-summary.js'
import { type PlanInput, planSync } from './plan/plan-sync.js'
import { remoteSchemaLookup } from './plan/remote-schemas.js'
import { findReferences } from './plan/workflow-references.js'
import type { SyncPorts, WorkflowSource } from './ports.js'
import type { RemoteEventSnapshot, SyncPlan, WorkflowScan } from './sync-types.js'

/** Refold's side of a plan, read once. */
export interface RemoteSide {
  remote: RemoteEventSnapshot[]
  workflows: WorkflowScan
}

/** The phases of reading and planning, for a progress display. */
export type PlanPhase = 'events' | 'workflows' | 'plan'

/**
 * Scan every workflow for the references it holds. Never throws: a failure becomes
 * `{ok: false}`, and the planner then treats every change that could break a reader as breaking.
 */
export async function scanWorkflows(source: WorkflowSource, events: readonly RemoteEventSnapshot[]): Promise<WorkflowScan> {
  try {
    const workflows = await source.workflows(events)
    return {
      ok: true,
      workflows: workflows.map(({ id, name, app, events: triggers, document }) => ({
        id,
        name,
        app,
        events: triggers,
        references: findReferences(document),
      })),
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/** List the events, then scan the workflows attached to them. */
export async function readRemoteSide(ports: SyncPorts, onPhase?: (phase: PlanPhase) => void): Promise<RemoteSide> {
  onPhase?.('events')
  const remote = await ports.events.list()
  onPhase?.('workflows')
  const workflows = await scanWorkflows(ports.workflows, remote)
  return { remote, workflows }
}

/** The planner's input minus what is read from Refold; `inference` types remote events without `json_schema`. */
export type PlanRequest = Omit<PlanInput, 'remote' | 'workflows' | 'inferSchema'> & { inference: InferOptions }

/** Read Refold's side and plan the YAML against it. */
export async function planAgainstRemote(ports: SyncPorts, request: PlanRequest, onPhase?: (phase: PlanPhase) => void): Promise<SyncPlan> {
  const { inference, ...input } = request
  const { remote, workflows } = await readRemoteSide(ports, onPhase)
  onPhase?.('plan')
  return planSync({ ...input, remote, workflows, inferSchema: await remoteSchemaLookup(remote, inference, input.local) })
}

/** Why a saved plan may not be applied. */
export type SavedPlanMismatch = 'other-target' | 'local-changed' | 'remote-changed'

/** A saved plan that no longer describes this target, this YAML or this Refold: nothing was applied. */
export class SavedPlanError extends Error {
  constructor(
    readonly mismatch: SavedPlanMismatch,
    readonly plan: SyncPlan,
  ) {
    super(`the saved plan does not hold: ${mismatch}`)
    this.name = 'SavedPlanError'
  }
}

/** Where a plan is applied. */
export interface SyncTarget {
  name: string
  baseUrl: string
  /** The target's address is new on every run (the embedded emulator): its name is its identity. */
  addressChangesEachRun: boolean
}

/**
 * Check that a saved plan was made for this target, from this YAML, against Refold as it is
 * now; the plan as it will be applied (shown at today's address), or {@link SavedPlanError}.
 */
export async function verifySavedPlan(
  plan: SyncPlan,
  ports: SyncPorts,
  check: { local: readonly CompiledEvent[]; responseForm: ResponseForm; target: SyncTarget },
  onPhase?: (phase: PlanPhase) => void,
): Promise<SyncPlan> {
  const { local, responseForm, target } = check
  const sameTarget = plan.target.name === target.name && (target.addressChangesEachRun || plan.target.baseUrl === target.baseUrl)
  if (!sameTarget) throw new SavedPlanError('other-target', plan)
  if (hashLocal(local, responseForm) !== plan.hashes.local) throw new SavedPlanError('local-changed', plan)
  const { remote, workflows } = await readRemoteSide(ports, onPhase)
  if (hashRemote(remote, workflows, local) !== plan.hashes.remote) throw new SavedPlanError('remote-changed', plan)
  return { ...plan, target: { name: target.name, baseUrl: target.baseUrl } }
}

/** What became of a reviewed plan. */
export type SyncOutcome =
  | { kind: 'blocked' }
  | { kind: 'not-applied'; reason: 'dry-run' | 'saved' | 'plan-only' }
  | { kind: 'nothing-to-do' }
  | { kind: 'applied'; result: ApplyResult }

/** How a reviewed plan is handled: applied, or only shown (and why). */
export interface ApplyRequest {
  /** Set when the run only plans: `dry-run`, `saved` (`--out`) or `plan-only` (`--detailed-exitcode`). */
  withhold: 'dry-run' | 'saved' | 'plan-only' | null
  /** Called only when the plan is applied (so a display or a signal handler is set up only then). */
  applyOptions: () => ApplyOptions
}

/**
 * The last step of a run: a plan with an unacknowledged breaking change is never applied; a
 * withheld one is not; an empty one needs nothing; anything else is applied through the store.
 */
export async function settlePlan(plan: SyncPlan, ports: SyncPorts, request: ApplyRequest): Promise<SyncOutcome> {
  if (isBlocked(plan)) return { kind: 'blocked' }
  if (request.withhold !== null) return { kind: 'not-applied', reason: request.withhold }
  if (!hasWork(plan)) return { kind: 'nothing-to-do' }
  return { kind: 'applied', result: await applyPlan(plan, ports.events, request.applyOptions()) }
}
