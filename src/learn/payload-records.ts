/**
 * Recorded payloads, as `validate` and `learn` read them: a JSON file holding one record
 * or an array of records, or NDJSON (one record per line, what the runtime's recorder
 * appends). A record is `{"event": "<name>", "payload": {...}}`; other keys (a time, the
 * issues found when it was recorded) are ignored. Pure: the CLI reads the files.
 */
import type { Diagnostic, JsonObject, Position } from '../types.js'
import { lineIndex } from '../util/line-index.js'
import { scanJson } from './json-positions.js'

/** One recorded payload and where it was read. */
export interface PayloadRecord {
  /** The input as shown to the user (a path, or `-` for standard input). */
  file: string
  line: number
  column: number
  event: string
  payload: JsonObject
}

/** The records of one input, and every problem found reading it. */
export interface ParsedRecords {
  records: PayloadRecord[]
  /** Errors (unreadable records) and warnings (a trailing partial NDJSON line). */
  problems: Diagnostic[]
}

/** What a record must look like, for messages. */
const RECORD_SHAPE = '{"event": "<event name>", "payload": {...}}'

/**
 * Parse one input's text. NDJSON when the first non-blank line is a JSON value on its
 * own and more follows; otherwise the whole text is one JSON document.
 */
export function parseRecords(text: string, file: string): ParsedRecords {
  const at = lineIndex(text)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const offset = body === text ? 0 : 1
  if (body.trim() === '') {
    // A recorder that saw no mismatch yet leaves an empty file: nothing to check, not an error.
    return { records: [], problems: [{ file, line: 1, column: 1, severity: 'warning', message: `no records: the input is empty` }] }
  }
  return isNdjson(body) ? parseNdjson(body, file, offset, at) : parseDocument(body, file, offset, at)
}

function isNdjson(text: string): boolean {
  const start = text.search(/\S/)
  const end = text.indexOf('\n', start)
  if (end < 0 || text.slice(end).trim() === '') return false
  try {
    JSON.parse(text.slice(start, end))
    return true
  } catch {
    return false
  }
}

function parseDocument(text: string, file: string, offset: number, at: (offset: number) => Position): ParsedRecords {
  const problems: Diagnostic[] = []
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    const scan = scanJson(text)
    const where = at(offset + (scan.ok ? 0 : scan.offset))
    const expected = scan.ok ? 'valid JSON' : scan.expected
    problems.push({ file, ...where, severity: 'error', message: `invalid JSON: expected ${expected}` })
    return { records: [], problems }
  }
  const records: PayloadRecord[] = []
  if (Array.isArray(value)) {
    const scan = scanJson(text)
    const starts = scan.ok ? scan.elements : []
    value.forEach((item: unknown, index) => {
      const where = at(offset + (starts[index] ?? 0))
      const record = toRecord(item, file, where, problems)
      if (record !== undefined) records.push(record)
    })
    return { records, problems }
  }
  const record = toRecord(value, file, at(offset + text.search(/\S/)), problems)
  if (record !== undefined) records.push(record)
  return { records, problems }
}

function parseNdjson(text: string, file: string, offset: number, at: (offset: number) => Position): ParsedRecords {
  const problems: Diagnostic[] = []
  const records: PayloadRecord[] = []
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    const complete = end >= 0
    if (!complete) end = text.length
    const line = text.slice(start, end).replace(/\r$/, '')
    const lineStart = start
    start = end + 1
    const first = line.search(/\S/)
    if (first < 0) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      if (!complete) {
        // A writer killed mid-line leaves exactly this; the lines before it are whole.
        problems.push({
          file,
          ...at(offset + lineStart),
          severity: 'warning',
          message: 'the last line is an incomplete record (no line break, not valid JSON: the writer may have stopped mid-write); skipped',
        })
        continue
      }
      const scan = scanJson(line)
      const column = scan.ok ? first : scan.offset
      problems.push({
        file,
        ...at(offset + lineStart + column),
        severity: 'error',
        message: `invalid JSON: expected ${scan.ok ? 'valid JSON' : scan.expected}`,
      })
      continue
    }
    const record = toRecord(value, file, at(offset + lineStart + first), problems)
    if (record !== undefined) records.push(record)
  }
  return { records, problems }
}

function toRecord(value: unknown, file: string, where: Position, problems: Diagnostic[]): PayloadRecord | undefined {
  const fail = (what: string): undefined => {
    problems.push({ file, ...where, severity: 'error', message: `${what}; expected a record ${RECORD_SHAPE}` })
    return undefined
  }
  if (!isObject(value)) return fail(`got ${kindOf(value)}`)
  if (!Object.hasOwn(value, 'event')) return fail('the record has no "event"')
  if (typeof value.event !== 'string') return fail(`"event" is ${kindOf(value.event)}, not the event name`)
  if (!Object.hasOwn(value, 'payload')) return fail(`the record of "${value.event}" has no "payload"`)
  if (!isObject(value.payload)) return fail(`"payload" of "${value.event}" is ${kindOf(value.payload)}, not an object`)
  return { file, ...where, event: value.event, payload: value.payload as JsonObject }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The JSON kind of a value, never the value itself (records may hold personal data). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number'
  if (typeof value === 'boolean') return 'a boolean'
  return typeof value === 'string' ? 'a string' : 'nothing'
}
