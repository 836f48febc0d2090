/**
 * Refold's workflow API, read to learn who reads which trigger variable:
 * `GET /api/v2/public/workflow` (paginated `{docs, page, totalPages, hasNextPage}` of
 * `{_id, name, published, slug}`) and `GET /api/v2/public/workflow/{id}` (the workflow with
 * its `nodes`; the start node's `triggers` name the event). References are collected from
 * the whole workflow document, wherever a node keeps its `{{event...}}` templates.
 */
import type { RemoteEventSnapshot, WorkflowInfo, WorkflowScan } from '../sync/sync-types.js'
import { findReferences } from '../sync/plan/workflow-references.js'
import { RemoteProtocolError } from './remote-error.js'
import type { RemoteHttp } from './remote-http.js'

export const WORKFLOW_PATH = '/api/v2/public/workflow'

/** Pages read at most; a server that always says "more" must not keep sync busy forever. */
const MAX_PAGES = 1_000
const PAGE_SIZE = 100

/**
 * Scan every workflow. Never throws: a failure becomes `{ok: false}`, and the planner then
 * treats every change that could break a reader as breaking.
 */
export async function scanWorkflows(http: RemoteHttp, events: readonly RemoteEventSnapshot[]): Promise<WorkflowScan> {
  try {
    const summaries = await listWorkflows(http)
    const namesById = new Map(events.map((e) => [e.id, e.name]))
    const workflows = await Promise.all(summaries.map((s) => readWorkflow(http, s, namesById)))
    return { ok: true, workflows }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

interface WorkflowSummary {
  id: string
  name: string
  app: string | null
}

async function listWorkflows(http: RemoteHttp): Promise<WorkflowSummary[]> {
  const found = new Map<string, WorkflowSummary>()
  for (let page = 1; page <= MAX_PAGES; page++) {
    const path = `${WORKFLOW_PATH}?page=${page}&limit=${PAGE_SIZE}`
    const value = parseJson((await http.request({ method: 'GET', path, idempotent: true })).body, path)
    const docs = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.docs) ? value.docs : undefined
    if (docs === undefined) throw new RemoteProtocolError('GET', path, 'expected {docs: [...]} or an array of workflows')
    for (const doc of docs) {
      if (!isRecord(doc) || typeof doc._id !== 'string')
        throw new RemoteProtocolError('GET', path, 'expected workflows shaped {_id, name, slug}')
      found.set(doc._id, {
        id: doc._id,
        name: typeof doc.name === 'string' ? doc.name : doc._id,
        app: typeof doc.slug === 'string' ? doc.slug : null,
      })
    }
    // A bare array is the whole list; otherwise follow the pagination the answer describes.
    if (Array.isArray(value) || !isRecord(value) || value.hasNextPage !== true || docs.length === 0) break
  }
  return [...found.values()]
}

async function readWorkflow(http: RemoteHttp, summary: WorkflowSummary, namesById: Map<string, string>): Promise<WorkflowInfo> {
  const path = `${WORKFLOW_PATH}/${encodeURIComponent(summary.id)}`
  const value = parseJson((await http.request({ method: 'GET', path, idempotent: true })).body, path)
  const doc = isRecord(value) && isRecord(value.data) && value._id === undefined ? value.data : value
  if (!isRecord(doc)) throw new RemoteProtocolError('GET', path, 'expected a workflow object')
  return {
    id: summary.id,
    name: typeof doc.name === 'string' ? doc.name : summary.name,
    app: typeof doc.slug === 'string' ? doc.slug : summary.app,
    events: triggerEvents(doc, namesById),
    references: findReferences(doc),
  }
}

/** Names of the events in the start node's triggers (by name, else by id); empty when none is said. */
export function triggerEvents(doc: Record<string, unknown>, namesById: ReadonlyMap<string, string>): string[] {
  const names = new Set<string>()
  const nodes = Array.isArray(doc.nodes) ? doc.nodes.filter(isRecord) : []
  for (const node of nodes) {
    const triggers = Array.isArray(node.triggers) ? node.triggers.filter(isRecord) : []
    for (const trigger of triggers) {
      if (typeof trigger.event === 'string' && trigger.event !== '') names.add(trigger.event)
      else if (typeof trigger.event_id === 'string' && namesById.has(trigger.event_id)) names.add(namesById.get(trigger.event_id)!)
    }
  }
  return [...names].sort()
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RemoteProtocolError('GET', path, `not JSON (${text.length} characters)`)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
