/**
 * Refold's workflow API, read to learn who reads which trigger variable:
 * `GET /api/v2/public/workflow` (paginated `{docs, page, totalPages, hasNextPage}` of
 * `{_id, name, published, slug}`) and `GET /api/v2/public/workflow/{id}` (the workflow with
 * its `nodes`; the start node's `triggers` name the event). Answers each workflow whole;
 * sync finds the `{{event...}}` references in it. Implements sync's `WorkflowSource` port.
 */
import type { RemoteEventSnapshot } from '../wire/event-body.js'
import { WORKFLOW_PATH, workflowPath } from '../wire/paths.js'
import { type RemoteWorkflow, triggerEvents } from '../wire/workflow-document.js'
import { RemoteProtocolError } from './remote-error.js'
import type { RemoteHttp } from './remote-http.js'

/** Pages read at most; a server that always says "more" must not keep sync busy forever. */
const MAX_PAGES = 1_000
const PAGE_SIZE = 100

/** The workflow API over a {@link RemoteHttp}. */
export class RefoldWorkflowsApi {
  constructor(private readonly http: RemoteHttp) {}

  /** Every workflow, whole; `events` name the triggers given by id. Throws when the API fails. */
  async workflows(events: readonly RemoteEventSnapshot[]): Promise<RemoteWorkflow[]> {
    const summaries = await listWorkflows(this.http)
    const namesById = new Map(events.map((e) => [e.id, e.name]))
    return await Promise.all(summaries.map((s) => readWorkflow(this.http, s, namesById)))
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

async function readWorkflow(http: RemoteHttp, summary: WorkflowSummary, namesById: Map<string, string>): Promise<RemoteWorkflow> {
  const path = workflowPath(summary.id)
  const value = parseJson((await http.request({ method: 'GET', path, idempotent: true })).body, path)
  const doc = isRecord(value) && isRecord(value.data) && value._id === undefined ? value.data : value
  if (!isRecord(doc)) throw new RemoteProtocolError('GET', path, 'expected a workflow object')
  return {
    id: summary.id,
    name: typeof doc.name === 'string' ? doc.name : summary.name,
    app: typeof doc.slug === 'string' ? doc.slug : summary.app,
    events: triggerEvents(doc, namesById),
    document: doc,
  }
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
