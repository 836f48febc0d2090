/**
 * `validate` as data: every recorded payload checked against its event's compiled schema,
 * with a summary per event. Records of an event the project does not define are results
 * too (with the closest defined name), never silently skipped. A record under one of an
 * event's `previousNames` (fired before a rename) is checked as that event.
 */
import type { CompiledEvent, JsonObject } from '../types.js'
import { suggest } from '../util/suggest.js'
import { compilePayloadCheck, type PayloadCheck, type PayloadMismatch } from './payload-checker.js'
import type { PayloadRecord } from './payload-records.js'
import { withoutRenamedCopies } from '../wire/renamed-copies.js'
import { recordedEventLookup } from './event-lookup.js'

/** The outcome of one record. */
export type RecordResult =
  | (RecordWhere & { status: 'valid' })
  | (RecordWhere & { status: 'invalid'; mismatches: PayloadMismatch[] })
  | (RecordWhere & { status: 'unknown-event'; suggestion: string | null })

/** Where a record is, and the event it was checked as. */
export interface RecordWhere {
  file: string
  line: number
  column: number
  /** The event's current name (the recorded name for an unknown event). */
  event: string
  /** The name the record used when it was one of the event's `previousNames` (fired before a rename). */
  recordedAs?: string
}

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
  const lookup = recordedEventLookup(events, (event) => event.definition)
  const names = events.map((event) => event.definition.name)
  const checks = new Map<string, PayloadCheck>()
  const results: RecordResult[] = []
  try {
    for (const record of records) {
      const found = lookup(record.event)
      if (found === undefined) {
        const where = { file: record.file, line: record.line, column: record.column, event: record.event }
        results.push({ ...where, status: 'unknown-event', suggestion: suggest(record.event, names) ?? null })
        continue
      }
      const event = found.item
      const name = event.definition.name
      const where: RecordWhere = { file: record.file, line: record.line, column: record.column, event: name }
      if (found.recordedAs !== undefined) where.recordedAs = found.recordedAs
      let check = checks.get(name)
      if (check === undefined) {
        check = await compilePayloadCheck(event.schema)
        checks.set(name, check)
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
