/**
 * Runs an event's precompiled validator (written by `refold-events generate`: a compact
 * validator, src/runtime/compact-checks.ts, or ajv standalone code) and turns its errors into
 * {@link PayloadIssue}s that name every failing path. Both kinds have ajv's shape (a boolean,
 * errors on `.errors`). Nothing here compiles a schema; a valid payload costs one validator
 * call and no allocation.
 */
import { appendPointer, valueAtPointer } from '../util/json-pointer.js'
import { PayloadValidationError, type PayloadIssue } from './errors.js'

/** The shape of an ajv `ValidateFunction`; ajv standalone validators and compact validators are one. */
export interface PayloadValidator {
  (data: unknown): boolean
  errors?: null | ReadonlyArray<{
    instancePath: string
    message?: string
    keyword: string
    params: Record<string, unknown>
  }>
}

/**
 * `undefined` when `payload` is valid, else the error listing every failing path. The validator
 * should be compiled with `allErrors: true`, or only its first error is known.
 */
export function checkPayload(event: string, payload: unknown, validator: PayloadValidator): PayloadValidationError | undefined {
  if (validator(payload)) return undefined
  return new PayloadValidationError(event, issuesOf(validator, payload))
}

/**
 * The validator's last errors as issues, with the failing property folded into the path.
 * Given the `payload` it validated, a value rejected by its type is also named when it was
 * `null` ("must be string, got null"): ajv's bare "must be string" reads as a wrong type.
 */
export function issuesOf(validator: PayloadValidator, payload?: unknown): PayloadIssue[] {
  const errors = validator.errors ?? []
  const issues: PayloadIssue[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    const issue = toIssue(error)
    if (error.keyword === 'type' && payload !== undefined && nullAt(payload, error.instancePath)) issue.message += ', got null'
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push(issue)
  }
  if (issues.length === 0) {
    issues.push({ path: '', message: 'does not match the event schema', keyword: 'schema', params: {} })
  }
  return issues
}

function toIssue(error: NonNullable<PayloadValidator['errors']>[number]): PayloadIssue {
  const { instancePath, keyword, params } = error
  // ajv reports a missing or unexpected property on its parent object; the user thinks of the
  // property itself, so the path names it.
  if (keyword === 'required' && typeof params.missingProperty === 'string') {
    return { path: appendPointer(instancePath, params.missingProperty), message: 'is required', keyword, params }
  }
  if (keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return {
      path: appendPointer(instancePath, params.additionalProperty),
      message: 'is not a field of this event (misspelled, or missing from its schema?)',
      keyword,
      params,
    }
  }
  return { path: instancePath, message: error.message ?? `fails "${keyword}"`, keyword, params }
}

function nullAt(payload: unknown, pointer: string): boolean {
  const at = valueAtPointer(payload, pointer)
  return at.found && at.value === null
}
