/**
 * What a fire caused, when the target is a Refold emulator: any server that answers
 * `GET /_emulator/health` (the built-in `local` environment, or `refold-events emulator` reached
 * through `REFOLD_BASE_URL` or an environment). Read over HTTP through the emulator's
 * inspection routes, so an emulator in another process is shown like the embedded one.
 */
import type { RunRecord } from '../emulator/index.js'
import { RemoteError, RemoteProtocolError } from '../remote/remote-error.js'
import type { RemoteHttp } from '../remote/remote-http.js'
import { RefoldWorkflowsApi } from '../remote/workflows-api.js'
import type { RemoteWorkflow } from '../wire/workflow-document.js'

/** The runs of one fire, and which apps have workflows for its event (to explain zero runs). */
export interface FireRuns {
  runs: RunRecord[]
  /** Apps with a workflow triggered by the event; read only when the fire caused no run. */
  appsWithWorkflows: string[]
}

/** Whether the target answers the emulator's health route. */
export async function isEmulator(http: RemoteHttp): Promise<boolean> {
  try {
    const answer = await http.request({ method: 'GET', path: '/_emulator/health', idempotent: true })
    const body = JSON.parse(answer.body) as unknown
    return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok'
  } catch (error) {
    // Real Refold answers 404 (or an HTML page): not an emulator, nothing to show.
    if (error instanceof RemoteError || error instanceof RemoteProtocolError || error instanceof SyntaxError) return false
    throw error
  }
}

/**
 * The runs of the newest fire of `event` for `account` (and `slug`). The emulator runs
 * workflows before it answers a fire, so they are complete when this is called. Another
 * client firing the same event for the same account at the same moment could be read instead.
 */
export async function runsOfLastFire(
  http: RemoteHttp,
  fire: { event: string; account: string; slug: string | undefined },
): Promise<FireRuns> {
  const query = new URLSearchParams({ event: fire.event, linked_account_id: fire.account, limit: '1' })
  if (fire.slug !== undefined) query.set('slug', fire.slug)
  const fires = await getJson<Array<{ id: string }>>(http, `/_emulator/fires?${query}`)
  const last = fires.at(-1)
  const runs = last === undefined ? [] : await getJson<RunRecord[]>(http, `/_emulator/runs?${new URLSearchParams({ fire_id: last.id })}`)
  if (runs.length > 0) return { runs, appsWithWorkflows: [] }
  // Which apps have workflows for the event, to say why none ran; unreadable workflows say nothing.
  const workflows = await new RefoldWorkflowsApi(http).workflows([]).catch((): RemoteWorkflow[] => [])
  const apps = workflows.filter((w) => w.events.includes(fire.event) && w.app !== null).map((w) => w.app!)
  return { runs, appsWithWorkflows: [...new Set(apps)].sort() }
}

/**
 * The runs as the CLI prints them; with no run, why none ran. `addWorkflow` says where a
 * workflow would be added (the workflows file in use, or that none is configured).
 */
export function describeRuns(result: FireRuns, event: string, slug: string | undefined, target: string, addWorkflow: string): string {
  const { runs, appsWithWorkflows: apps } = result
  if (runs.length === 0) {
    if (apps.length === 0) return `No workflow is attached to "${event}" on ${target} (${addWorkflow}).\n`
    const list = apps.map((app) => `"${app}"`).join(', ')
    if (slug !== undefined && !apps.includes(slug)) {
      return `No workflow ran: a fire for app "${slug}" runs only that app's workflows, and the workflows of "${event}" on ${target} are for ${list}.\n`
    }
    return `No workflow ran: "${event}" has workflows on ${target} (for ${list}), but none is published for this fire.\n`
  }
  const lines = [`Workflow runs it caused (${runs.length}):`]
  for (const run of runs) {
    lines.push(`  ${run.status === 'COMPLETED' ? '✓' : '✗'} ${run.workflow_name} (${run.slug}): ${run.status}, instance ${run.id}`)
    for (const step of run.steps) lines.push(`      ${step.name}: ${step.output.replace(/\s*\n\s*/g, ' ')}`)
    if (run.missing_variables.length > 0)
      lines.push(`      missing trigger variables: ${run.missing_variables.map((v) => `{{event.${v}}}`).join(', ')}`)
  }
  return `${lines.join('\n')}\n`
}

async function getJson<T>(http: RemoteHttp, path: string): Promise<T> {
  const answer = await http.request({ method: 'GET', path, idempotent: true })
  try {
    return JSON.parse(answer.body) as T
  } catch {
    throw new RemoteProtocolError('GET', path, `not JSON (${answer.body.length} characters)`)
  }
}
