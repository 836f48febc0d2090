/**
 * ajv's errors as sentences that say what was expected and what was found, each tied to
 * the JSON Pointer of the place to report it (so callers can map it to a YAML line).
 * Used for the event file format and for payloads validated against their final schema.
 */
import type { ErrorObject } from 'ajv'
import { appendPointer } from './json-pointer.js'
import { didYouMean, suggest } from './suggest.js'

/** One validation failure, ready to print. */
export interface SchemaProblem {
  /** Where to report it: the offending value, or for an unknown or misnamed key, the key. */
  pointer: string
  message: string
}

export interface DescribeOptions {
  /** What the document's keys are called in messages: `key` (event files) or `field` (payloads). */
  noun: 'key' | 'field'
}

/**
 * Turn ajv errors (from a validator compiled with `allErrors` and `verbose`) into
 * problems, folding the noise of `anyOf` branches into one sentence per place.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], options: DescribeOptions): SchemaProblem[] {
  // A missing key that an unknown key beside it is a typo of (`sampel`) is one mistake:
  // the unknown key's "did you mean" says it all.
  const misspelt = new Set<string>()
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties') continue
    const meant = suggest(
      String((error.params as Record<string, unknown>).additionalProperty),
      Object.keys(propertiesOf(error.parentSchema)),
    )
    if (meant !== undefined) misspelt.add(`${error.instancePath}\0${meant}`)
  }
  const kept = errors.filter(
    (error) =>
      // ajv follows each failing name with a bare "property name must be valid"; the name's own error says it all.
      error.keyword !== 'propertyNames' &&
      !(
        error.keyword === 'required' &&
        misspelt.has(`${error.instancePath}\0${String((error.params as Record<string, unknown>).missingProperty)}`)
      ),
  )
  const problems: SchemaProblem[] = []
  const seen = new Set<string>()
  for (const problem of describeGroups(kept, options)) {
    const key = `${problem.pointer}\0${problem.message}`
    if (!seen.has(key)) problems.push(problem)
    seen.add(key)
  }
  return problems
}

/**
 * ajv reports the errors of an `anyOf`'s alternatives just before the `anyOf` error
 * itself, at or below its instance path. Each such group becomes: the errors below the
 * path when there are any (the value had the right shape for an alternative, and what is
 * wrong is inside it), else one "expected A, or B" sentence.
 */
function describeGroups(errors: readonly ErrorObject[], options: DescribeOptions): SchemaProblem[] {
  const groups: SchemaProblem[][] = []
  let index = errors.length - 1
  while (index >= 0) {
    const error = errors[index]!
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      groups.unshift([describeError(error, options)])
      index--
      continue
    }
    let start = index
    while (start > 0 && isAtOrBelow(errors[start - 1]!.instancePath, error.instancePath)) start--
    const branches = errors.slice(start, index)
    const deeper = branches.filter((branch) => branch.instancePath !== error.instancePath)
    groups.unshift(deeper.length > 0 ? describeGroups(deeper, options) : [describeAlternatives(error, branches, options)])
    index = start - 1
  }
  return groups.flat()
}

function isAtOrBelow(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`)
}

function describeAlternatives(error: ErrorObject, branches: ErrorObject[], options: DescribeOptions): SchemaProblem {
  if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas != null) {
    return { pointer: error.instancePath, message: `expected exactly one of the alternatives to match, got a value matching several` }
  }
  const expectations = [...new Set(branches.map((b) => expectation(b, options)).filter((x): x is string => x !== undefined))]
  const expected = expectations.length > 0 ? expectations.join(', or ') : 'a value matching one of the alternatives'
  return { pointer: error.instancePath, message: `expected ${expected}, got ${describeValue(error.data)}` }
}

function describeError(error: ErrorObject, options: DescribeOptions): SchemaProblem {
  const params = error.params as Record<string, unknown>
  const at = error.instancePath
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty)
      const properties = propertiesOf(error.parentSchema)
      if (!Object.hasOwn(properties, missing)) {
        // Required but never described: most likely a misspelt entry of `required`.
        const hint = didYouMean(missing, Object.keys(properties))
        return {
          pointer: at,
          message: `missing required ${options.noun} "${missing}", listed in required but not among the properties${hint}`,
        }
      }
      const example = exampleOf(error.parentSchema, missing)
      return {
        pointer: at,
        message: `missing required ${options.noun} "${missing}"${example === undefined ? '' : `, e.g. ${missing}: ${example}`}`,
      }
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty)
      const known = Object.keys(propertiesOf(error.parentSchema))
      const hint =
        options.noun === 'key'
          ? known.length > 0
            ? `; expected one of: ${known.join(', ')}`
            : ''
          : '; the schema does not allow it (additionalProperties is false): add it to a sample, or fix the name'
      return { pointer: appendPointer(at, extra), message: `unknown ${options.noun} "${extra}"${didYouMean(extra, known)}${hint}` }
    }
    case 'uniqueItems': {
      const [first, second] = [Number(params.j), Number(params.i)].sort((a, b) => a - b)
      const items = Array.isArray(error.data) ? error.data : []
      return {
        pointer: appendPointer(at, second!),
        message: `duplicate value ${describeValue(items[second!])}, already at index ${first}`,
      }
    }
    default: {
      const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName
      if (propertyName !== undefined) {
        const expected = expectation(error, options)
        const text = expected === undefined ? (error.message ?? 'is not allowed') : `expected ${expected}`
        return { pointer: appendPointer(at, propertyName), message: `${text} as the ${options.noun}, got ${JSON.stringify(propertyName)}` }
      }
      const expected = expectation(error, options)
      if (expected === undefined) return { pointer: at, message: error.message ?? `fails "${error.keyword}"` }
      return { pointer: at, message: `expected ${expected}, got ${describeValue(error.data)}` }
    }
  }
}

const FORMAT_NAMES: Record<string, string> = {
  email: 'an e-mail address',
  'date-time': 'a date-time with a time zone, such as 2024-05-01T12:00:00Z',
  date: 'a date such as 2024-05-01',
  time: 'a time such as 12:00:00Z',
  uri: 'an absolute URI such as https://example.com',
  uuid: 'a UUID',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
  regex: 'a valid regular expression',
}

/** What `error` says was expected, as a noun phrase (`a string`, `one of "a", "b"`). */
function expectation(error: ErrorObject, options: DescribeOptions): string | undefined {
  const params = error.params as Record<string, unknown>
  const schema = error.parentSchema as Record<string, unknown> | undefined
  switch (error.keyword) {
    case 'type':
      return typeNames(params.type)
    case 'enum':
      return `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return JSON.stringify(params.allowedValue)
    case 'pattern':
      return typeof schema?.patternErrorMessage === 'string'
        ? String(schema.patternErrorMessage).replace(/^expected /, '')
        : `text matching /${String(params.pattern)}/`
    case 'format': {
      const format = String(params.format)
      return `${FORMAT_NAMES[format] ?? 'a string'} (format "${format}")`
    }
    case 'minLength':
      return params.limit === 1 ? 'a non-empty string' : `at least ${String(params.limit)} characters`
    case 'maxLength':
      return `at most ${String(params.limit)} characters`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${String(params.limit)}`
    case 'multipleOf':
      return `a multiple of ${String(params.multipleOf)}`
    case 'minItems':
      return `at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`
    case 'maxItems':
      return `at most ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`
    case 'minProperties':
      return `at least ${String(params.limit)} ${options.noun}${params.limit === 1 ? '' : 's'}`
    case 'maxProperties':
      return `at most ${String(params.limit)} ${options.noun}s`
    default:
      return undefined
  }
}

function typeNames(type: unknown): string {
  const names = (Array.isArray(type) ? type : String(type).split(',')).map((t) => TYPE_NAMES[String(t)] ?? String(t))
  return names.length <= 1 ? (names[0] ?? 'a value') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
  object: 'an object (key: value pairs)',
  array: 'an array (a list)',
}

/** A short description of a value for "got ...": strings quoted and cut, containers named. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value
    return JSON.stringify(shown)
  }
  return String(value)
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | undefined)?.properties
  return typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {}
}

function exampleOf(schema: unknown, key: string): string | undefined {
  const property = propertiesOf(schema)[key] as { examples?: unknown[] } | undefined
  const example = property?.examples?.[0]
  if (example === undefined) return undefined
  return typeof example === 'string' ? example : JSON.stringify(example)
}
