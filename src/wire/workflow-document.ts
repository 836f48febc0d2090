/**
 * A workflow as Refold's workflow API answers it (`GET /api/v2/public/workflow/{id}`): the
 * workflow with its `nodes`, the start node's `triggers` naming the event. Read by the
 * management adapter; the emulator answers in this shape.
 */

/** One workflow, decoded: who it is, which events trigger it, and the whole document. */
export interface RemoteWorkflow {
  id: string
  name: string
  /** Slug of the app the workflow belongs to, when the API says. */
  app: string | null
  /** Names of the events that trigger it; empty when the document does not say. */
  events: string[]
  /** The document as answered: its nodes, mappings and templates, wherever they keep `{{event...}}`. */
  document: Record<string, unknown>
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
