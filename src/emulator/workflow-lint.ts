/**
 * Mistakes in a workflows file that nothing else reports: a workflow attached to an event name
 * no event has (`Invoice paid` for `Invoice Paid`: Refold matches names exactly, so it never
 * runs), and a `{{event.x}}` reference to a field the event does not have (every run of it
 * would be ERRORED). Warnings at the workflow file's line, with a did-you-mean. Pure.
 */
import { wireForm } from '../compile/rename-expansion.js'
import { collectFields } from '../sync/plan/trigger-fields.js'
import { formatPath, parsePath } from '../util/field-path.js'
import type { CompiledEvent, Diagnostic, Position } from '../types.js'
import { didYouMean, suggest } from '../util/suggest.js'
import { variableReferences } from '../wire/trigger-variables.js'
import type { LocatedWorkflows } from './workflows-file.js'

/** Warnings for the workflows of `file` against the project's compiled events. */
export function lintWorkflows(located: LocatedWorkflows, file: string, events: readonly CompiledEvent[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const warn = (at: Position, message: string): void => void diagnostics.push({ file, ...at, severity: 'warning', message })
  const byName = new Map(events.map((event) => [event.definition.name, event]))
  const names = [...byName.keys()]
  // A workflow under a name the event had before a rename (previousNames): on Refold it stays
  // bound by id once sync renames the event in place, but the workflows file attaches by name,
  // so a fresh emulator never attaches it. Warned, and its fields still checked against the event.
  const renamedFrom = new Map<string, CompiledEvent>()
  for (const event of events) {
    for (const previous of event.definition.previousNames ?? []) if (!byName.has(previous)) renamedFrom.set(previous, event)
  }
  const fieldsOf = new Map<string, Set<string>>()
  located.workflows.forEach((workflow, index) => {
    const at = located.pointerOf(index)
    const renamed = renamedFrom.get(workflow.event)
    if (renamed !== undefined) {
      warn(
        located.locate(`${at}/event`),
        `workflow "${workflow.name}": "${workflow.event}" is a previous name of "${renamed.definition.name}"; on Refold the ` +
          `workflow stays bound by id after sync renames the event in place, but the workflows file attaches by name, so write "${renamed.definition.name}"`,
      )
    }
    const event = byName.get(workflow.event) ?? renamed
    if (event === undefined) {
      const sameLetters = names.find((name) => name.toLowerCase() === workflow.event.toLowerCase())
      const hint =
        sameLetters !== undefined ? ` (did you mean "${sameLetters}"? names are case-sensitive)` : didYouMean(workflow.event, names)
      warn(
        located.locate(`${at}/event`),
        `workflow "${workflow.name}": no event is named "${workflow.event}"${hint}, so it never runs; expected the exact name of an event in the events folder`,
      )
      return
    }
    let fields = fieldsOf.get(event.definition.name)
    if (fields === undefined) {
      fields = knownPaths(event)
      fieldsOf.set(event.definition.name, fields)
    }
    workflow.steps.forEach((step, stepIndex) => {
      for (const { written, path: reference } of variableReferences(step.text)) {
        const path = formatPath(parsePath(reference))
        if (path === '' || fields.has(path) || belowOpenField(path, fields)) continue
        const close = suggest(
          path,
          [...fields].filter((known) => !known.endsWith('*')),
        )
        warn(
          located.locate(`${at}/steps/${stepIndex}/text`),
          `workflow "${workflow.name}", step "${step.name}": ${written} is not a field of "${event.definition.name}"` +
            `${close === undefined ? '' : ` (did you mean {{event.${close.replaceAll('[]', '[0]')}}}?)`}: no sample or schema has it, ` +
            'so a run on a payload without it is ERRORED',
        )
      }
    })
  })
  return diagnostics
}

/**
 * The trigger-variable paths of an event (`customer.email`, `items[].sku`), plus the marker
 * `path.*` below a field of unknown type (`{}`): any reference below it may be right.
 */
function knownPaths(event: CompiledEvent): Set<string> {
  const paths = new Set<string>()
  // What fires carry: the old fields of renames in expansion are there too, as copies.
  const { sample, schema } = wireForm(event)
  // An open object (closedObjects off) may carry more fields, but none that the samples or the
  // schema show: a reference to one is still most likely a typo, and a run on the sample errors.
  for (const [path, field] of collectFields(schema, sample)) {
    paths.add(path)
    if (field.types.length === 0) paths.add(`${path}.*`)
  }
  return paths
}

function belowOpenField(path: string, fields: ReadonlySet<string>): boolean {
  for (let end = path.length; end > 0; end--) {
    if ((path[end] === '.' || path.startsWith('[]', end)) && fields.has(`${path.slice(0, end)}.*`)) return true
  }
  return false
}
