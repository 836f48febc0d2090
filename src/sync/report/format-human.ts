/**
 * The plan for people at a terminal: blocking changes first (with who reads them and how
 * to proceed), then acknowledged ones, warnings, additions, the events touched, and the
 * one-line summary last, where the eye lands. Colour only when asked (TTY, NO_COLOR unset).
 */
import { describeAcknowledgement, describeReader, howToProceed, whereText } from '../plan/describe-change.js'
import { groupChanges, summaryLine } from '../plan/plan-summary.js'
import type { EventPlan, PlannedChange, SyncPlan } from '../sync-types.js'

/** Options of {@link formatHuman}. */
export interface HumanFormatOptions {
  color: boolean
}

type Paint = (text: string) => string

/** The plan as terminal text, ending with a newline. */
export function formatHuman(plan: SyncPlan, options: HumanFormatOptions): string {
  const paint = palette(options.color)
  const lines: string[] = []
  const scan = plan.workflowScan.ok
    ? `${plan.workflowScan.workflows} ${plan.workflowScan.workflows === 1 ? 'workflow' : 'workflows'} scanned`
    : paint.yellow(`workflow scan failed: ${plan.workflowScan.error}; every change that could break a reader counts as breaking`)
  lines.push(`Plan for ${plan.target.name} (${plan.target.baseUrl}): ${scan}`)

  const groups = groupChanges(plan)
  const section = (
    title: string,
    items: typeof groups.breaking,
    mark: string,
    color: Paint,
    detail: (c: PlannedChange) => string[],
  ): void => {
    if (items.length === 0) return
    lines.push('', color(paint.bold(`${title} (${items.length}):`)))
    for (const { event, change } of items) {
      lines.push(`  ${color(mark)} ${headline(event, change)}`)
      for (const extra of detail(change)) lines.push(`      ${extra}`)
    }
  }
  section('Breaking changes, not applied', groups.breaking, '✗', paint.red, (c) => [
    ...located(c),
    ...readerLines(c),
    // With readers listed the reason is plain; without, it is the whole story (scan failed, --strict).
    ...(c.readers.length === 0 ? [`${paint.dim('why:')} ${c.reason}`] : []),
    `${paint.dim('to proceed:')} ${howToProceed(c)}`,
  ])
  section('Acknowledged breaking changes', groups.acknowledged, '!', paint.yellow, (c) => [
    ...located(c),
    ...readerLines(c),
    `${paint.dim('acknowledged:')} ${describeAcknowledgement(c) ?? ''}`,
  ])
  section('Warnings (nothing reads these, so they are applied)', groups.warning, '~', paint.yellow, (c) => {
    const ack = describeAcknowledgement(c)
    return [...located(c), ...(ack === null ? [] : [`${paint.dim('acknowledged:')} ${ack}`])]
  })
  // New events are listed under "Events" with their file; here only what changes inside events.
  section(
    'Additive changes',
    groups.additive.filter(({ change }) => change.kind !== 'event-created'),
    '+',
    paint.green,
    located,
  )
  section('Other changes (harmless to readers)', groups.none, '·', paint.dim, located)

  // Every run says who still reads an old name, so the contraction is never forgotten.
  const expansions = plan.renameExpansions
  if (expansions.length > 0) {
    lines.push('', paint.cyan(paint.bold(`Renames in expansion, both names sent (${expansions.length}):`)))
    for (const expansion of expansions) {
      lines.push(`  ${paint.cyan('⇄')} ${expansion.event}: ${expansion.message}`)
      const at = whereText(expansion.location)
      if (at !== null) lines.push(`      at ${at}`)
      for (const reader of expansion.readers) lines.push(`      still read by workflow ${describeReader(reader)}`)
    }
  }

  const touched = plan.events.filter((e) => e.action !== 'unchanged')
  if (touched.length > 0) {
    lines.push('', paint.bold('Events:'))
    const width = Math.min(40, Math.max(...touched.map((e) => e.name.length)))
    for (const event of touched) lines.push(`  ${actionText(event, paint)}  ${event.name.padEnd(width)}  ${paint.dim(eventDetail(event))}`)
  }
  const unchanged = plan.summary.unchanged
  if (unchanged > 0) lines.push(`${touched.length > 0 ? '' : '\n'}  ${unchanged} ${unchanged === 1 ? 'event' : 'events'} unchanged`)

  if (plan.unmanaged.length > 0) {
    lines.push('', paint.bold('Remote events with no YAML (left alone; `refold-events pull` adopts them, --prune deletes them):'))
    for (const u of plan.unmanaged)
      lines.push(
        `  ${u.name} ${paint.dim(`(${u.id}${u.workflows > 0 ? `, ${u.workflows} ${u.workflows === 1 ? 'workflow' : 'workflows'}` : ''})`)}`,
      )
  }
  if (plan.notes.length > 0) {
    lines.push('', paint.bold('Notes:'))
    for (const note of plan.notes) lines.push(`  ${note.location === null ? '' : `${whereText(note.location)}: `}${note.message}`)
  }
  lines.push('', summaryColor(plan, paint)(summaryLine(plan.summary)))
  return `${lines.join('\n')}\n`
}

/** `New Contact Created: field "age" removed`; event-level messages already name the event. */
export function headline(event: EventPlan, change: PlannedChange): string {
  return change.path === null ? change.message : `${event.name}: ${change.message}`
}

function located(change: PlannedChange): string[] {
  const at = whereText(change.location)
  return at === null ? [] : [`at ${at}`]
}

function readerLines(change: PlannedChange): string[] {
  return change.readers.map((r) => `read by workflow ${describeReader(r)}`)
}

function actionText(event: EventPlan, paint: ReturnType<typeof palette>): string {
  switch (event.action) {
    case 'create':
      return paint.green('+ create')
    case 'update':
      return paint.yellow('~ update')
    case 'delete':
      return paint.red('- delete')
    case 'unchanged':
      return '  unchanged'
  }
}

function eventDetail(event: EventPlan): string {
  if (event.action === 'create')
    return [event.file, event.renamedFrom === null ? null : `probably renamed from "${event.renamedFrom}"`].filter(Boolean).join(', ')
  if (event.action === 'update' && event.renamedFrom !== null)
    return [
      event.file,
      `renamed in place from "${event.renamedFrom}" (same id ${event.remoteId ?? ''}, workflows stay attached)`,
      ...(event.differences.length > 0 ? [`(${event.differences.join(', ')})`] : []),
    ]
      .filter(Boolean)
      .join(' ')
  if (event.action === 'update') return `${event.file ?? ''} (${event.differences.join(', ')})`
  if (event.action === 'delete')
    return event.renamedTo === null
      ? `${event.remoteId ?? ''}, no YAML (--prune)`
      : `${event.remoteId ?? ''}, probably renamed to "${event.renamedTo}" (--prune)`
  return ''
}

function summaryColor(plan: SyncPlan, paint: ReturnType<typeof palette>): Paint {
  if (plan.summary.breaking > 0) return (t) => paint.red(paint.bold(t))
  return paint.bold
}

function palette(color: boolean) {
  const wrap =
    (open: number, close: number): Paint =>
    (text) =>
      color ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}
