/**
 * Checks payloads against compiled event schemas the way generated validators do: the
 * schema as `validators.js` holds it (annotations dropped), ajv with `allErrors`, and the
 * runtime's own reading of ajv's errors into JSON Pointer paths and its expected/actual words
 * (the same an `onInvalid` report and the recorder use). Each mismatch says what was expected
 * and what kind of value was found, never the value (recorded payloads hold personal data).
 */
import { validatorSchema } from '../codegen/validator-schema.js'
import type { PayloadIssue } from '../runtime/errors.js'
import { mismatchOf } from '../runtime/invalid-payload-report.js'
import { issuesOf, type PayloadValidator } from '../runtime/payload-validation.js'
import type { JsonSchema, JsonValue } from '../types.js'
import { loadAjv } from '../util/load-ajv.js'
import { valueAtPointer } from '../util/json-pointer.js'

/** One place where a payload and its schema disagree. */
export interface PayloadMismatch {
  /** JSON Pointer to the value (`/issue/milestone`); a missing field is named by its own path. */
  path: string
  /** The JSON Schema keyword that failed (`type`, `required`, `format`, ...). */
  keyword: string
  /** What the schema expects there (`string | null`, `required`, `format: date-time`), as the runtime reports it. */
  expected: string
  /** The kind of value the payload has there (`null`, `missing`, `string`), as the runtime reports it. */
  actual: string
}

/** A compiled check of one schema; `release` frees it in the shared ajv instance. */
export interface PayloadCheck {
  /** Every mismatch of `payload` (empty when it is valid). */
  mismatches(payload: JsonValue): PayloadMismatch[]
  /** Whether `payload` is valid (no mismatch list built). */
  accepts(payload: JsonValue): boolean
  release(): void
}

/** Compile `schema` (a compiled event's final schema) into a check. Throws when ajv cannot compile it. */
export async function compilePayloadCheck(schema: JsonSchema): Promise<PayloadCheck> {
  const ajv = await loadAjv()
  // No $id (validatorSchema drops it): the shared ajv instance must never see two schemas claim one id.
  const checked = validatorSchema(schema)
  const validate = ajv.compile(checked) as PayloadValidator
  return {
    accepts: (payload) => validate(payload),
    mismatches: (payload) => (validate(payload) ? [] : issuesOf(validate).map((issue) => describeIssue(issue, payload))),
    release: () => {
      ajv.removeSchema(checked)
    },
  }
}

/** The runtime's expected/actual view of an issue (the words `onInvalid` reports and the recorder writes), plus its keyword. */
function describeIssue(issue: PayloadIssue, payload: JsonValue): PayloadMismatch {
  const mismatch = mismatchOf(issue, payload)
  // The allowed values come from the schema, not the payload: worth showing where the runtime names only the keyword.
  const allowed = issue.params.allowedValues
  if (issue.keyword === 'enum' && Array.isArray(allowed)) mismatch.expected = `enum: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
  return { ...mismatch, keyword: issue.keyword }
}

/** The value at `pointer` in `payload`, and whether there is one. */
export function valueAt(payload: JsonValue, pointer: string): { present: boolean; value?: JsonValue } {
  const at = valueAtPointer(payload, pointer)
  return at.found ? { present: true, value: at.value as JsonValue } : { present: false }
}
