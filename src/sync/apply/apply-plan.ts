/**
 * Applying a plan: bounded concurrency, creates and updates before deletes (a renamed
 * event's new name exists before its old one goes), and before each write a check that the
 * remote event is still what the plan saw, skipping that event when it moved. The check reads
 * a recent snapshot of the event list (see remote-view.ts: the list each write answers with,
 * or one list read when none is coming), not the event itself: one request per change. Every
 * event ends up applied or not applied with a reason, so a partial failure is reported
 * exactly and a rerun (which replans from the new state) converges.
 *
 * The HTTP side is behind {@link EventStore}; `src/remote` implements it.
 */
import { carriesBody } from '../../wire/event-body.js'
import { remoteEventFingerprint } from '../plan/plan-hashes.js'
import type { EventStore } from '../ports.js'
import { type EventListing, RemoteView } from './remote-view.js'
import type { EventPlan, RemoteEventSnapshot, SyncPlan } from '../sync-types.js'

export type { EventStore }

/** The plans apply writes: every action but `unchanged`. */
type WritePlan = Exclude<EventPlan, { action: 'unchanged' }>

/** One event's outcome. */
export interface ApplyOutcome {
  name: string
  action: WritePlan['action']
  /** Why it was not applied, or a remark about how it was (e.g. "already deleted"). */
  detail: string | null
}

export interface ApplyResult {
  applied: ApplyOutcome[]
  notApplied: ApplyOutcome[]
}

export interface ApplyOptions {
  /** Events written at once. */
  concurrency: number
  /** Called after each event finishes (applied or not). */
  onProgress?: (done: number, total: number) => void
  /** Stops starting new events (those in flight finish); the rest are reported not applied. */
  signal?: AbortSignal
  /**
   * How long after it arrived a snapshot of Refold's list is used to check events before
   * their writes, in ms (see remote-view.ts). Default 1000: about a second of exposure, and
   * one list (megabytes at 1,000 events) decoded per ~500 ms of writes, whatever their number.
   */
  snapshotMaxAgeMs?: number
  /** Time source in ms (tests). Default `performance.now`. */
  now?: () => number
}

/** Default {@link ApplyOptions.snapshotMaxAgeMs}. */
const SNAPSHOT_MAX_AGE_MS = 1000

/** Apply every create, update and delete of `plan` through `store`. */
export async function applyPlan(plan: SyncPlan, store: EventStore, options: ApplyOptions): Promise<ApplyResult> {
  const work = plan.events.filter((e): e is WritePlan => e.action !== 'unchanged')
  const phases: WritePlan[][] = [work.filter((e) => e.action !== 'delete'), work.filter((e) => e.action === 'delete')]
  const result: ApplyResult = { applied: [], notApplied: [] }
  const now = options.now ?? (() => performance.now())
  const view = new RemoteView(() => store.listing(), options.snapshotMaxAgeMs ?? SNAPSHOT_MAX_AGE_MS, now)
  const writer: Writer = { store, view, now }
  let done = 0
  for (const phase of phases) {
    await runPool(phase, Math.max(1, options.concurrency), async (event) => {
      const { action } = event
      if (options.signal?.aborted === true) {
        result.notApplied.push({ name: event.name, action, detail: 'interrupted before it started' })
      } else {
        try {
          const detail = await applyEvent(event, writer)
          result.applied.push({ name: event.name, action, detail })
        } catch (error) {
          result.notApplied.push({ name: event.name, action, detail: error instanceof Error ? error.message : String(error) })
        }
      }
      options.onProgress?.(++done, work.length)
    })
  }
  const order = new Map(work.map((e, i) => [`${e.action}:${e.name}`, i]))
  const byPlanOrder = (a: ApplyOutcome, b: ApplyOutcome): number =>
    order.get(`${a.action}:${a.name}`)! - order.get(`${b.action}:${b.name}`)!
  result.applied.sort(byPlanOrder)
  result.notApplied.sort(byPlanOrder)
  return result
}

/** A remote event moved between plan and apply; the event is skipped. */
class ChangedSincePlanError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChangedSincePlanError'
  }
}

interface Writer {
  store: EventStore
  view: RemoteView
  now: () => number
}

async function applyEvent(event: WritePlan, { store, view, now }: Writer): Promise<string | null> {
  if (event.action === 'create') {
    await store.create(event.body)
    return null
  }
  const current = await view.current(event.remoteId)
  if (event.action === 'delete') {
    if (current === null) return 'already deleted'
    if (remoteEventFingerprint(current) !== event.remoteFingerprint) {
      throw new ChangedSincePlanError('changed on Refold since the plan was made; not deleted (run sync again to re-plan)')
    }
    await write(view, now, (keep) => store.delete(event.remoteId, keep))
    return null
  }
  if (current === null)
    throw new ChangedSincePlanError('deleted on Refold since the plan was made; not updated (run sync again to re-plan)')
  if (remoteEventFingerprint(current) !== event.remoteFingerprint) {
    if (carriesBody(current, event.body)) return 'already up to date'
    throw new ChangedSincePlanError('changed on Refold since the plan was made; not updated (run sync again to re-plan)')
  }
  await write(view, now, (keep) => store.update(event.remoteId, event.body, keep, current.name === event.body.name))
  return null
}

/** Send a write, keeping its answer as the view's next snapshot when the view asks for one. */
async function write(view: RemoteView, now: () => number, send: (keepList: boolean) => Promise<EventListing | null>): Promise<void> {
  const keep = view.keepNextAnswer()
  const sentAt = now()
  const answer = send(keep)
  if (keep) view.track(answer, sentAt)
  await answer
}

async function runPool<T>(items: readonly T[], size: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker))
}
