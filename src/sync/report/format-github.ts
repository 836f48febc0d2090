/**
 * GitHub Actions workflow commands: one annotation per change at the YAML line of the
 * field, so a pull request shows "field removed, read by workflow X" on the line itself.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { describeAcknowledgement, describeReader, howToProceed } from '../plan/describe-change.js'
import { headline } from './format-human.js'
import { groupChanges, summaryLine } from '../plan/plan-summary.js'
import type { EventPlan, PlannedChange, SyncPlan } from '../sync-types.js'

/** The plan as `::error`/`::warning`/`::notice` lines plus the summary line. */
export function formatGithub(plan: SyncPlan): string {
  const lines: string[] = []
  if (!plan.workflowScan.ok) {
    lines.push(
      command(
        'warning',
        null,
        'Workflow scan failed',
        `${plan.workflowScan.error}; every change that could break a reader counts as breaking`,
      ),
    )
  }
  const groups = groupChanges(plan)
  for (const { event, change } of groups.breaking) {
    const readers = change.readers.map((r) => `read by workflow ${describeReader(r)}`)
    lines.push(
      command(
        'error',
        change,
        `Breaking change (${event.name})`,
        [headline(event, change), ...(readers.length > 0 ? readers : [change.reason]), `To proceed: ${howToProceed(change)}`].join('\n'),
      ),
    )
  }
  for (const { event, change } of groups.acknowledged) {
    const readers = change.readers.map((r) => `read by workflow ${describeReader(r)}`)
    lines.push(
      command(
        'warning',
        change,
        `Acknowledged breaking change (${event.name})`,
        [headline(event, change), ...readers, `Acknowledged: ${describeAcknowledgement(change) ?? ''}`].join('\n'),
      ),
    )
  }
  for (const { event, change } of groups.warning) {
    lines.push(command('warning', change, `Change nobody reads (${event.name})`, `${headline(event, change)}\n${change.reason}`))
  }
  for (const { event, change } of [...groups.additive, ...groups.none]) {
    lines.push(command('notice', change, noticeTitle(event, change), headline(event, change)))
  }
  for (const expansion of plan.renameExpansions) {
    const readers = expansion.readers.map((r) => `still read by workflow ${describeReader(r)}`)
    lines.push(
      command(
        'notice',
        { location: expansion.location },
        `Rename in expansion (${expansion.event})`,
        [expansion.message, ...readers].join('\n'),
      ),
    )
  }
  for (const note of plan.notes) {
    lines.push(command('warning', note.location === null ? null : { location: note.location }, 'Sync note', note.message))
  }
  lines.push(summaryLine(plan.summary))
  return `${lines.join('\n')}\n`
}

function noticeTitle(event: EventPlan, change: PlannedChange): string {
  return `${change.severity === 'additive' ? 'Additive change' : 'Harmless change'} (${event.name})`
}

function command(
  level: 'error' | 'warning' | 'notice',
  at: Pick<PlannedChange, 'location'> | null,
  title: string,
  message: string,
): string {
  const properties: string[] = []
  const location = at?.location ?? null
  if (location !== null) properties.push(`file=${escapeProperty(location.file)}`, `line=${location.line}`, `col=${location.column}`)
  properties.push(`title=${escapeProperty(title)}`)
  return `::${level} ${properties.join(',')}::${escapeData(message)}`
}

/** Workflow-command escaping of the message part. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Workflow-command escaping of a property value (also `:` and `,`). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
