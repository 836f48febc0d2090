/**
 * `validate` as data: every recorded payload checked against its event's compiled schema,
 * with a summary per event. Records of an event the project does not define are results
 * too (with the closest defined name), never silently skipped.
 */
import type { CompiledEvent, JsonObject } from '../types.js'
import { suggest } from '../util/suggest.js'
import { compilePayloadCheck, type PayloadCheck, type PayloadMismatch } from './payload-checker.js'
import type { PayloadRecord } from './payload-records.js'
import { withoutRenamedCopies } from '../wire/renamed-copies.js'

/** The outcome of one record. */
export type RecordResult =
  | { file: string; line: number; column: number; event: string; status: 'valid' }
  | { file: string; line: number; column: number; event: string; status: 'invalid'; mismatches: PayloadMismatch[] }
  | { file: string; line: number; column: number; event: string; status: 'unknown-event'; suggestion: string | null }

/** Counts of one event's records. */
export interface EventCounts {
  checked: number
  valid: number
  invalid: number
}

/** What `validate --format json` prints. */
export interface ValidationReport {
  summary: {
    checked: number
    valid: number
    /** Invalid records, unknown events included. */
    invalid: number
    /** Per event name (unknown names too), in name order. */
    byEvent: Record<string, EventCounts>
  }
  results: RecordResult[]
}

/** Check every record against the compiled event of its name. */
export async function checkRecords(records: readonly PayloadRecord[], events: readonly CompiledEvent[]): Promise<ValidationReport> {
  const byName = new Map(events.map((event) => [event.definition.name, event]))
  const checks = new Map<string, PayloadCheck>()
  const results: RecordResult[] = []
  try {
    for (const record of records) {
      const where = { file: record.file, line: record.line, column: record.column, event: record.event }
      const event = byName.get(record.event)
      if (event === undefined) {
        results.push({ ...where, status: 'unknown-event', suggestion: suggest(record.event, byName.keys()) ?? null })
        continue
      }
      let check = checks.get(record.event)
      if (check === undefined) {
        check = await compilePayloadCheck(event.schema)
        checks.set(record.event, check)
      }
      // As the caller wrote it: recorded fires carry the copies of renames in expansion, which no schema of the event declares.
      const mismatches = check.mismatches(withoutRenamedCopies(record.payload, event.renameCopies ?? []) as JsonObject)
      results.push(mismatches.length === 0 ? { ...where, status: 'valid' } : { ...where, status: 'invalid', mismatches })
    }
  } finally {
    for (const check of checks.values()) check.release()
  }
  return { summary: summarize(results), results }
}

function summarize(results: readonly RecordResult[]): ValidationReport['summary'] {
  const counts = new Map<string, EventCounts>()
  for (const result of results) {
    const count = counts.get(result.event) ?? { checked: 0, valid: 0, invalid: 0 }
    count.checked++
    if (result.status === 'valid') count.valid++
    else count.invalid++
    counts.set(result.event, count)
  }
  const byEvent: Record<string, EventCounts> = Object.create(null) as Record<string, EventCounts>
  for (const name of [...counts.keys()].sort()) byEvent[name] = counts.get(name)!
  const valid = results.filter((r) => r.status === 'valid').length
  return { checked: results.length, valid, invalid: results.length - valid, byEvent }
}
