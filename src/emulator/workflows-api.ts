/**
 * The workflows of the workflows file, read-only, in the shape of Refold's workflow API
 * (Refold API reference, "List Workflows" and "Get Workflow"):
 * `GET /api/v2/public/workflow` answers a paginated envelope `{docs, schema, totalDocs,
 * limit, page, totalPages, hasNextPage}` of `{_id, name, published, slug}`, filtered by
 * `slug`, `name` and `published`; `GET /api/v2/public/workflow/{id}` answers the workflow
 * with its `nodes` (the start node carries the trigger: the event) and `edges`. Each step
 * is an action node whose `input_data.text` holds the step text, `{{event.x}}` included,
 * which is where a client finds which trigger variables a workflow reads.
 */
import { createHash } from 'node:crypto'
import { WORKFLOW_PATH } from '../wire/paths.js'
import { ApiError } from './api-error.js'
import type { EmulatorState } from './emulator-state.js'
import type { Route } from './route-table.js'
import type { Workflow } from './types.js'

const MAX_LIMIT = 100

/** The workflow API routes over the loaded workflows. */
export function workflowRoutes(workflows: () => readonly Workflow[], state: EmulatorState, environment: string): Route[] {
  const common = { routeClass: 'workflows', auth: true, codeKey: 'error_code' } as const
  return [
    {
      ...common,
      path: WORKFLOW_PATH,
      methods: {
        GET: ({ query }) => {
          const page = positiveInteger(query, 'page', 1)
          const limit = Math.min(positiveInteger(query, 'limit', 10), MAX_LIMIT)
          const slug = query.get('slug')
          const name = query.get('name')?.toLowerCase()
          const published = booleanParam(query, 'published')
          const matching = workflows().filter(
            (w) =>
              (slug === null || w.app === slug) &&
              (name === undefined || w.name.toLowerCase().includes(name)) &&
              (published === null || w.published === published),
          )
          const totalPages = Math.ceil(matching.length / limit)
          const docs = matching
            .slice((page - 1) * limit, page * limit)
            .map((w) => ({ _id: w.id, name: w.name, published: w.published, slug: w.app }))
          return {
            status: 200,
            body: { docs, schema: null, totalDocs: matching.length, limit, page, totalPages, hasNextPage: page < totalPages },
          }
        },
      },
    },
    {
      ...common,
      path: `${WORKFLOW_PATH}/:workflowId`,
      methods: {
        GET: ({ params }) => {
          const workflow = workflows().find((w) => w.id === params.workflowId)
          if (workflow === undefined) throw new ApiError(404, 'RESOURCE_NOT_FOUND', `Workflow with id ${params.workflowId} not found`)
          // Bound by id: a renamed event's workflows show its current name.
          const event = state.boundEvent(workflow.event)
          return {
            status: 200,
            body: workflowDocument(event === undefined ? workflow : { ...workflow, event: event.name }, event?._id ?? null, environment),
          }
        },
      },
    },
  ]
}

/** One workflow as `GET /api/v2/public/workflow/{id}` answers it. */
function workflowDocument(workflow: Workflow, eventId: string | null, environment: string): Record<string, unknown> {
  const start = {
    id: '1',
    type: 'start',
    name: 'Start',
    triggers: [{ application: 'Custom App', event: workflow.event, event_id: eventId }],
  }
  const steps = workflow.steps.map((step, index) => ({
    id: String(index + 2),
    type: 'action',
    name: step.name,
    input_data: { text: step.text },
  }))
  const nodes = [start, ...steps]
  const edges = nodes.slice(1).map((node, index) => ({ id: `e${nodes[index]!.id}-${node.id}`, source: nodes[index]!.id, target: node.id }))
  return {
    _id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    published: workflow.published,
    slug: workflow.app,
    associated_application: applicationId(workflow.app),
    is_v2: true,
    nodes,
    edges,
    environment,
  }
}

/** A stable 24-hex application id for an app slug (Refold returns the app's id). */
function applicationId(slug: string): string {
  return createHash('sha256').update(`app\u0000${slug}`).digest('hex').slice(0, 24)
}

function positiveInteger(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name)
  if (text === null) return fallback
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new ApiError(400, 'INVALID_QUERY', `${name} must be a whole number >= 1, got "${text}"`)
  return Number(text)
}

function booleanParam(query: URLSearchParams, name: string): boolean | null {
  const text = query.get(name)
  if (text === null) return null
  if (text === 'true' || text === 'false') return text === 'true'
  throw new ApiError(400, 'INVALID_QUERY', `${name} must be true or false, got "${text}"`)
}
