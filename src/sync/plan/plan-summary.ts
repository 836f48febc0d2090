/**
 * Counting a plan: the summary line every format ends with, and the questions the CLI
 * asks of a plan (anything to do? anything blocking?).
 */
import type { EventPlan, PlannedChange, PlanSummary, SyncPlan } from '../sync-types.js'

/** Counts of actions and of changes by severity. */
export function summarise(events: readonly EventPlan[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0, breaking: 0, acknowledged: 0, warnings: 0, additive: 0 }
  for (const event of events) {
    summary[event.action]++
    for (const change of event.changes) {
      if (change.blocking) summary.breaking++
      else if (change.severity === 'breaking') summary.acknowledged++
      else if (change.severity === 'warning') summary.warnings++
      else if (change.severity === 'additive') summary.additive++
    }
  }
  return summary
}

/** `2 to create, 1 to update, 0 to delete, 1 breaking`, with acknowledged and warning counts when there are any. */
export function summaryLine(summary: PlanSummary): string {
  const line = `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ${summary.breaking} breaking`
  const extra: string[] = []
  if (summary.acknowledged > 0) extra.push(`${summary.acknowledged} acknowledged`)
  if (summary.warnings > 0) extra.push(`${summary.warnings} ${summary.warnings === 1 ? 'warning' : 'warnings'}`)
  return extra.length === 0 ? line : `${line} (${extra.join(', ')})`
}

/** Whether applying the plan would write anything. */
export function hasWork(plan: SyncPlan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0
}

/** Whether an unacknowledged breaking change forbids applying the plan. */
export function isBlocked(plan: SyncPlan): boolean {
  return plan.summary.breaking > 0
}

/** Every change of the plan with the event it belongs to, in plan order. */
function allChanges(plan: SyncPlan): Array<{ event: EventPlan; change: PlannedChange }> {
  return plan.events.flatMap((event) => event.changes.map((change) => ({ event, change })))
}

/**
 * Changes grouped the way every format presents them: blocking breaking changes first,
 * then acknowledged ones, warnings, additions, and the harmless rest.
 */
export function groupChanges(
  plan: SyncPlan,
): Record<'breaking' | 'acknowledged' | 'warning' | 'additive' | 'none', Array<{ event: EventPlan; change: PlannedChange }>> {
  const groups = { breaking: [], acknowledged: [], warning: [], additive: [], none: [] } as ReturnType<typeof groupChanges>
  for (const item of allChanges(plan)) {
    const { change } = item
    if (change.blocking) groups.breaking.push(item)
    else if (change.severity === 'breaking') groups.acknowledged.push(item)
    else groups[change.severity].push(item)
  }
  return groups
}
