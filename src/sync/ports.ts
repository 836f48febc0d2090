/**
 * What sync needs from Refold, as ports: the orchestrator (run-sync.ts) reads, plans and applies
 * through them, and `src/remote` implements them over HTTP (tests use memory stores).
 */
import type { EventBody, RemoteEventSnapshot } from '../wire/event-body.js'
import type { EventListing } from './apply/remote-view.js'
import type { RemoteWorkflow } from '../wire/workflow-document.js'

/** What sync needs from Refold's events API. */
export interface EventStore {
  /** Every event as it is now. */
  list(): Promise<RemoteEventSnapshot[]>
  /** Every event as it is now, for apply's check of a few: the store may decode each only when it is looked up. */
  listing(): Promise<EventListing>
  /** Create it exactly once (a lost answer is checked before any retry); the new id when known. */
  create(body: EventBody): Promise<{ id: string | null }>
  /**
   * Replace it. With `keepList`, resolves with the event list Refold answered the write with
   * (the state just after it; decoding each event can wait until it is looked up), or null
   * when the answer was not such a list; else null.
   * `sameName`: the name is not changing (Refold before v3.5.35 refused such a PUT as a
   * name already taken; the store may then resend it without the name).
   */
  update(id: string, body: EventBody, keepList?: boolean, sameName?: boolean): Promise<EventListing | null>
  /** Delete it (already gone counts as done); `keepList` as for {@link update}. */
  delete(id: string, keepList?: boolean): Promise<EventListing | null>
}

/** Where the workflows come from: each whole, to find who reads which trigger variable. */
export interface WorkflowSource {
  /** Every workflow; `events` name the triggers a workflow gives by id. Throws when they cannot be read. */
  workflows(events: readonly RemoteEventSnapshot[]): Promise<RemoteWorkflow[]>
}

/** Both ports, as a sync run uses them. */
export interface SyncPorts {
  events: EventStore
  workflows: WorkflowSource
}
