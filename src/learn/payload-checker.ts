/**
 * Checks payloads against compiled event schemas the way generated validators do: the
 * schema as `validators.js` holds it (annotations dropped), ajv with `allErrors`, and the
 * runtime's own reading of ajv's errors into JSON Pointer paths. Each mismatch says what
 * kind of value was expected and what kind was found, never the value (recorded payloads
 * hold personal data).
 */
import { validatorSchema } from '../codegen/validator-schema.js'
import { issuesOf, type PayloadValidator } from '../runtime/payload-validation.js'
import type { JsonSchema, JsonValue } from '../types.js'
import { loadAjv } from '../util/load-ajv.js'
import { splitPointer } from '../util/json-pointer.js'
import { kindOf } from './payload-records.js'

/** One place where a payload and its schema disagree. */
export interface PayloadMismatch {
  /** JSON Pointer to the value (`/issue/milestone`); a missing field is named by its own path. */
  path: string
  /** The JSON Schema keyword that failed (`type`, `required`, `format`, ...). */
  keyword: string
  /** What the schema expects there (`string`, `present`, `string (format "email")`). */
  expected: string
  /** What the payload has there (`null`, `absent`, `a string`). */
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

function describeIssue(issue: { path: string; keyword: string; params: Record<string, unknown> }, payload: JsonValue): PayloadMismatch {
  const { path, keyword, params } = issue
  const found = valueAt(payload, path)
  const actual = found.present ? kindOf(found.value) : 'absent'
  return { path, keyword, expected: expectedText(keyword, params), actual }
}

function expectedText(keyword: string, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'type':
      return ([] as unknown[])
        .concat(params.type ?? [])
        .flatMap((t) => String(t).split(','))
        .join(' or ')
    case 'required':
      return 'present'
    case 'additionalProperties':
      return 'absent (not a field of this event)'
    case 'format':
      return `string (format "${String(params.format)}")`
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return JSON.stringify(params.allowedValue)
    case 'pattern':
      return `string matching /${String(params.pattern)}/`
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return `${keyword} ${String(params.limit)}`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `number ${String(params.comparison)} ${String(params.limit)}`
    case 'anyOf':
    case 'oneOf':
      return 'one of the alternatives'
    default:
      return `a value passing "${keyword}"`
  }
}

/** The value at `pointer` in `payload`, and whether there is one. */
export function valueAt(payload: JsonValue, pointer: string): { present: boolean; value?: JsonValue } {
  let node: JsonValue = payload
  for (const token of splitPointer(pointer)) {
    if (typeof node !== 'object' || node === null) return { present: false }
    if (Array.isArray(node)) {
      const index = Number(token)
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return { present: false }
      node = node[index]!
    } else {
      if (!Object.hasOwn(node, token)) return { present: false }
      node = node[token]!
    }
  }
  return { present: true, value: node }
}
