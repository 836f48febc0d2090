/**
 * The report of a payload its event's definition rejects: which event, where (JSON Pointer),
 * what the definition expected and what kind of value was there instead, and whether the
 * payload was sent anyway. Never the values themselves: payloads carry personal data, and a
 * report is made to be logged.
 */
import { valueAtPointer } from '../util/json-pointer.js'
import type { PayloadIssue, PayloadValidationError } from './errors.js'

/** One place where a payload and its definition disagree. */
export interface InvalidPayloadIssue {
  /** JSON Pointer into the payload (`/customer/email`); `""` is the payload itself. */
  path: string
  /**
   * What the definition expects there: a type (`string`, `integer | null`), or the failing
   * keyword with its schema parameter (`required`, `format: email`, `minLength: 1`,
   * `additionalProperties: false` for a field a closed object does not declare).
   */
  expected: string
  /**
   * The kind of the value found there: `null`, `boolean`, `integer`, `number`, `string`,
   * `array`, `object`, or `missing` when there is none (other JavaScript values by `typeof`).
   */
  actual: string
}

/** What a client hands to `onInvalid` for each payload its validator rejects. */
export interface InvalidPayloadReport {
  /** The event's exact name. */
  event: string
  /** Every place the payload fails its definition. */
  issues: InvalidPayloadIssue[]
  /** `true` when the client sends the payload anyway (`validate: 'warn'`), `false` when it refuses it (`'error'`). */
  sent: boolean
  /** The same report as text (paths and kinds only, never values), e.g. for a log line. */
  message: string
}

/**
 * Builds the report of `error` (from `checkPayload`) for `payload`. Only kinds of values are
 * read from the payload, through own properties (a key named `__proto__` is data).
 */
export function invalidPayloadReport(error: PayloadValidationError, payload: unknown, sent: boolean): InvalidPayloadReport {
  const issues = error.issues.map((issue) => mismatchOf(issue, payload))
  return { event: error.event, issues, sent, message: describeInvalidPayload(error.event, issues, sent) }
}

/** The expected/actual view of one validator issue. */
export function mismatchOf(issue: PayloadIssue, payload: unknown): InvalidPayloadIssue {
  return { path: issue.path, expected: expectedOf(issue), actual: kindAt(payload, issue.path) }
}

/** A report's text: one line per issue, and what happened to the payload. */
function describeInvalidPayload(event: string, issues: readonly InvalidPayloadIssue[], sent: boolean): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  const outcome = sent ? 'it was sent anyway' : 'nothing was sent'
  return `Payload for event "${event}" does not match its definition (${count}); ${outcome}:\n${issues.map(issueLine).join('\n')}`
}

/** `  /email: expected format: email, got string`. */
export function issueLine(issue: InvalidPayloadIssue): string {
  return `  ${issue.path === '' ? '(payload)' : issue.path}: expected ${issue.expected}, got ${issue.actual}`
}

/** Keywords whose one schema parameter says what was expected (`minLength: 1`). */
const LIMIT_PARAMS: Readonly<Record<string, string>> = {
  minimum: 'limit',
  maximum: 'limit',
  exclusiveMinimum: 'limit',
  exclusiveMaximum: 'limit',
  minLength: 'limit',
  maxLength: 'limit',
  minItems: 'limit',
  maxItems: 'limit',
  minProperties: 'limit',
  maxProperties: 'limit',
  multipleOf: 'multipleOf',
  format: 'format',
  pattern: 'pattern',
}

function expectedOf(issue: PayloadIssue): string {
  const { keyword, params } = issue
  if (keyword === 'type') {
    const type = params.type
    if (Array.isArray(type)) return type.map(String).join(' | ')
    if (typeof type === 'string') return type.split(',').join(' | ')
    return 'type'
  }
  if (keyword === 'additionalProperties') return 'additionalProperties: false'
  const param = Object.hasOwn(LIMIT_PARAMS, keyword) ? LIMIT_PARAMS[keyword] : undefined
  if (param !== undefined && Object.hasOwn(params, param)) {
    const value = params[param]
    if (typeof value === 'string' || typeof value === 'number') return `${keyword}: ${value}`
  }
  return keyword
}

/** The kind of the value at `pointer` in `payload`, reading own properties only. */
export function kindAt(payload: unknown, pointer: string): string {
  const at = valueAtPointer(payload, pointer)
  return at.found ? kindOf(at.value) : 'missing'
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}
