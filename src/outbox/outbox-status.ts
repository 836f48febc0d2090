/**
 * Folds per-(event, state) counts from either store into the {@link OutboxStatus} that
 * `outbox status` prints, so both stores report the same numbers the same way (pure).
 */
import type { OutboxCounts, OutboxState, OutboxStatus } from './outbox-types.js'

/** One `GROUP BY event, state` row. */
export interface StateCountRow {
  event: string
  state: OutboxState
  count: number
  /** Age of the oldest row of this group, in ms. */
  oldestAgeMs: number
}

/** Totals and per-event counts; the oldest age only looks at fires not yet finished. */
export function summarise(rows: readonly StateCountRow[]): OutboxStatus {
  const total = emptyCounts()
  const byEvent = new Map<string, OutboxCounts>()
  for (const row of rows) {
    let counts = byEvent.get(row.event)
    if (counts === undefined) {
      counts = emptyCounts()
      byEvent.set(row.event, counts)
    }
    for (const target of [counts, total]) {
      add(target, row.state, row.count)
      if (row.state === 'pending' || row.state === 'in_flight') {
        target.oldestAgeMs = Math.max(target.oldestAgeMs ?? 0, Math.max(0, Math.round(row.oldestAgeMs)))
      }
    }
  }
  const events = [...byEvent.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([event, counts]) => ({ event, ...counts }))
  return { total, events }
}

function emptyCounts(): OutboxCounts {
  return { pending: 0, inFlight: 0, delivered: 0, dead: 0, oldestAgeMs: null }
}

function add(counts: OutboxCounts, state: OutboxState, count: number): void {
  if (state === 'pending') counts.pending += count
  else if (state === 'in_flight') counts.inFlight += count
  else if (state === 'delivered') counts.delivered += count
  else counts.dead += count
}
