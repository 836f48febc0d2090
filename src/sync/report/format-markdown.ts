/**
 * The plan as a pull-request comment: breaking changes first and open, everything else in
 * collapsed `<details>`. GitHub refuses comments over 65,536 characters, so the output is
 * always kept under {@link MARKDOWN_LIMIT}: rows that do not fit are dropped, lowest
 * priority last in the comment first, and a note says how many and where the rest is.
 */
import { describeAcknowledgement, howToProceed, whereText } from '../plan/describe-change.js'
import { groupChanges, summaryLine } from '../plan/plan-summary.js'
import type { EventPlan, PlannedChange, SyncPlan } from '../sync-types.js'

/** Hard ceiling of the comment's length in characters. */
export const MARKDOWN_LIMIT = 60_000

interface Section {
  title: string
  open: boolean
  intro: string[]
  header: string
  rows: string[]
}

/** The plan as GitHub-flavoured Markdown, always shorter than `limit` characters. */
export function formatMarkdown(plan: SyncPlan, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [`## refold-events sync plan: \`${code(plan.target.name)}\``, '', `**${summaryLine(plan.summary)}**`, '']
  if (!plan.workflowScan.ok)
    head.push(
      `> ⚠️ The workflow scan failed (${cell(plan.workflowScan.error)}): every change that could break a reader counts as breaking.`,
      '',
    )
  if (plan.summary.breaking > 0)
    head.push('> ❌ Sync refuses to apply this plan until the breaking changes below are fixed or acknowledged.', '')

  const groups = groupChanges(plan)
  const additive = groups.additive.filter(({ change }) => change.kind !== 'event-created')
  const changeHeader = '| Event | Change | YAML | Read by |\n| --- | --- | --- | --- |'
  const sections: Section[] = [
    {
      title: `❌ Breaking changes (${groups.breaking.length})`,
      open: true,
      intro: [],
      header: '| Event | Change | YAML | Read by | To proceed |\n| --- | --- | --- | --- | --- |',
      rows: groups.breaking.map(({ event, change }) => `${changeRow(event, change)} ${cell(howToProceed(change))} |`),
    },
    {
      title: `⚠️ Acknowledged breaking changes (${groups.acknowledged.length})`,
      open: false,
      intro: [],
      header: '| Event | Change | YAML | Read by | Acknowledged |\n| --- | --- | --- | --- | --- |',
      rows: groups.acknowledged.map(({ event, change }) => `${changeRow(event, change)} ${cell(describeAcknowledgement(change) ?? '')} |`),
    },
    {
      title: `Warnings: changes no workflow reads (${groups.warning.length})`,
      open: false,
      intro: [],
      header: changeHeader,
      rows: groups.warning.map(({ event, change }) => changeRow(event, change)),
    },
    // New events are listed under "Events"; here only what changes inside events.
    {
      title: `Additive changes (${additive.length})`,
      open: false,
      intro: [],
      header: changeHeader,
      rows: additive.map(({ event, change }) => changeRow(event, change)),
    },
    {
      title: `Other changes, harmless to readers (${groups.none.length})`,
      open: false,
      intro: [],
      header: changeHeader,
      rows: groups.none.map(({ event, change }) => changeRow(event, change)),
    },
    {
      title: `Renames in expansion, both names sent (${plan.renameExpansions.length})`,
      open: plan.renameExpansions.some((e) => e.contract),
      intro: [],
      header: '| Event | Rename | YAML | Still read by |\n| --- | --- | --- | --- |',
      rows: plan.renameExpansions.map(
        (e) =>
          `| ${cell(e.event)} | ${cell(e.message)} | ${cell(whereText(e.location) ?? '')} | ${cell(e.readers.map((r) => r.workflowName).join(', '))} |`,
      ),
    },
    {
      title: `Events (${plan.events.length - plan.summary.unchanged} changed, ${plan.summary.unchanged} unchanged)`,
      open: false,
      intro: [],
      header: '| Action | Event | YAML | Details |\n| --- | --- | --- | --- |',
      rows: plan.events.filter((e) => e.action !== 'unchanged').map(eventRow),
    },
    {
      title: `Remote events with no YAML (${plan.unmanaged.length})`,
      open: false,
      intro: ['Left alone: `refold-events pull` adopts them, `--prune` deletes them.', ''],
      header: '| Event | Id | Workflows |\n| --- | --- | --- |',
      rows: plan.unmanaged.map((u) => `| ${cell(u.name)} | \`${code(u.id)}\` | ${u.workflows} |`),
    },
    {
      title: `Notes (${plan.notes.length})`,
      open: false,
      intro: [],
      header: '| Where | Note |\n| --- | --- |',
      rows: plan.notes.map((n) => `| ${cell(whereText(n.location) ?? '')} | ${cell(n.message)} |`),
    },
  ].filter((s) => s.rows.length > 0)

  const totalRows = sections.reduce((n, s) => n + s.rows.length, 0)
  const note = (dropped: number): string =>
    `\n> ✂️ Output cut to stay under ${limit.toLocaleString('en-US')} characters: ${dropped} more ${dropped === 1 ? 'row' : 'rows'} not shown. Run \`refold-events sync --dry-run --format json\` for the whole plan.\n`
  const render = (counts: number[]): string => {
    const parts = [head.join('\n')]
    sections.forEach((section, i) => {
      const shown = section.rows.slice(0, counts[i])
      const body = [...section.intro, section.header, ...shown].join('\n')
      parts.push(
        section.open ? `### ${section.title}\n\n${body}\n` : `<details><summary>${section.title}</summary>\n\n${body}\n\n</details>\n`,
      )
    })
    const shownRows = counts.reduce((n, c) => n + c, 0)
    return parts.join('\n') + (shownRows < totalRows ? note(totalRows - shownRows) : '')
  }

  // Fill rows in priority order (the section order) while the whole comment stays under the limit.
  const counts = sections.map(() => 0)
  let output = render(counts)
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i]!
    let low = 0
    let high = section.rows.length
    // Binary search the most rows of this section that fit: rendering is linear, plans can be big.
    while (low < high) {
      const mid = Math.ceil((low + high) / 2)
      counts[i] = mid
      if (render(counts).length < limit) low = mid
      else high = mid - 1
    }
    counts[i] = low
    output = render(counts)
    if (low < section.rows.length) break
  }
  return output
}

function changeRow(event: EventPlan, change: PlannedChange): string {
  const readers = change.readers
    .map(
      (r) =>
        `${cell(`"${r.workflowName}"${r.app === null ? '' : ` (${r.app})`}`)}${r.references.length === 0 ? '' : ` via ${r.references.map((ref) => `\`${code(ref)}\``).join(', ')}`}`,
    )
    .join('<br>')
  const where = whereText(change.location)
  return `| ${cell(event.name)} | ${cell(change.message)} | ${where === null ? '' : `\`${code(where)}\``} | ${readers} |`
}

function eventRow(event: EventPlan): string {
  const details =
    event.action === 'update' && event.renamedFrom !== null
      ? [`renamed in place from "${event.renamedFrom}" (same id, workflows stay attached)`, ...event.differences].join(', ')
      : event.action === 'update'
        ? event.differences.join(', ')
        : event.action === 'create' && event.renamedFrom !== null
          ? `probably renamed from "${event.renamedFrom}"`
          : event.action === 'delete'
            ? event.renamedTo !== null
              ? `probably renamed to "${event.renamedTo}"`
              : `no YAML; remote id ${event.remoteId ?? ''}`
            : ''
  return `| ${event.action} | ${cell(event.name)} | ${event.file === null ? '' : `\`${code(event.file)}\``} | ${cell(details)} |`
}

/** Text safe inside a table cell: no pipes, no newlines, no raw HTML. */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** Text safe inside a single-backtick code span. */
function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}
