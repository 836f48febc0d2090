/**
 * Who reads what: finds `{{event...}}` trigger-variable references in workflow definitions
 * and answers "which workflows read this field of this event". Shape-agnostic on purpose:
 * a workflow's nodes, mappings and templates are walked as plain JSON, so a reference is
 * found wherever the workflow keeps it.
 */
import { referencesIn } from '../../wire/trigger-variables.js'
import type { FieldReader, FieldReference, WorkflowInfo } from '../sync-types.js'
import { formatPath, isWithin, parsePath } from '../../util/field-path.js'

/** Every `{{event...}}` reference in any string anywhere inside `value`, in document order, deduplicated. */
export function findReferences(value: unknown): FieldReference[] {
  const found = new Map<string, FieldReference>()
  walkStrings(value, (text) => {
    for (const { written, pathText } of referencesIn(text)) {
      const path = formatPath(parsePath(pathText))
      const key = `${path}\u0000${written}`
      if (!found.has(key)) found.set(key, { path, text: written })
    }
  })
  return [...found.values()]
}

/** Answers reader questions for one workflow scan. */
export class ReaderIndex {
  private readonly byEvent = new Map<string, WorkflowInfo[]>()
  private readonly anyEvent: WorkflowInfo[] = []

  constructor(workflows: readonly WorkflowInfo[]) {
    for (const workflow of workflows) {
      if (workflow.events.length === 0) {
        // Trigger unknown: count it against every event rather than miss a reader.
        this.anyEvent.push(workflow)
        continue
      }
      for (const event of new Set(workflow.events)) {
        const list = this.byEvent.get(event) ?? []
        list.push(workflow)
        this.byEvent.set(event, list)
      }
    }
  }

  /** Workflows triggered by `event` (or with an unknown trigger), each with all its references. */
  workflowsOf(event: string): FieldReader[] {
    return this.candidates(event).map((w) =>
      toReader(
        w,
        w.references.map((r) => r.text),
      ),
    )
  }

  /**
   * Workflows of `event` that read `path`: a reference to the path itself, to something
   * below it (removing `address` breaks `{{event.address.city}}`), or to something above
   * it (a workflow passing `{{event.address}}` on receives a different object).
   */
  readersOf(event: string, path: string): FieldReader[] {
    const readers: FieldReader[] = []
    for (const workflow of this.candidates(event)) {
      const hits = workflow.references.filter((r) => isWithin(r.path, path) || isWithin(path, r.path))
      if (hits.length > 0)
        readers.push(
          toReader(
            workflow,
            hits.map((r) => r.text),
          ),
        )
    }
    return readers
  }

  private candidates(event: string): WorkflowInfo[] {
    return [...(this.byEvent.get(event) ?? []), ...this.anyEvent].sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
  }
}

function toReader(workflow: WorkflowInfo, references: string[]): FieldReader {
  return { workflowId: workflow.id, workflowName: workflow.name, app: workflow.app, references: [...new Set(references)] }
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) visit(value)
  } else if (Array.isArray(value)) {
    for (const item of value) walkStrings(item, visit)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // Keys can hold templates too (a mapping keyed by `{{event.id}}`).
      if (key.includes('{{')) visit(key)
      walkStrings(item, visit)
    }
  }
}

/** Plain code-unit order: deterministic across locales. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
