/**
 * What compact validators (src/codegen/compact-validator.ts) call: one `Checker` per
 * validation that reads own properties only, checks types and formats from a bit mask, and
 * writes ajv-shaped errors (`instancePath`, `keyword`, `params`, `message`), so a compact
 * validator is a {@link PayloadValidator} exactly like an ajv standalone one and
 * `checkPayload` reads both the same way.
 *
 * Generated code stays one line per check because everything an error needs is here.
 * Where a value sits is its depth `p`: the checker keeps the keys leading to it in a list it
 * overwrites as it walks, and writes a JSON Pointer only when something fails, so a valid
 * payload builds no path at all (concatenating one segment per nested object or array element
 * cost about a tenth of validating a typical payload).
 */
import { appendPointer } from '../util/json-pointer.js'
import type { PayloadValidator } from './payload-validation.js'
import { jsonEqual } from '../util/json-equal.js'
import { isDate, isDateTime, isEmail, isUri, isUuid } from './format-checks.js'

/** Type bit: a string. */
export const STRING = 1
/** Type bit: a number (integers included). */
export const NUMBER = 2
/** Type bit: a number without a fraction. */
export const INTEGER = 4
/** Type bit: `true` or `false`. */
export const BOOLEAN = 8
/** Type bit: `null`. */
export const NULL = 16
/** Type bit: a plain object (not null, not an array). */
export const OBJECT = 32
/** Type bit: an array. */
export const ARRAY = 64
/** Format bit (checked on strings only): RFC 3339 date-time with a time zone, as ajv-formats' full format. */
export const DATE_TIME = 128
/** Format bit: RFC 3339 full-date, calendar-checked. */
export const DATE = 256
/** Format bit: an e-mail address, leniently (see format-checks.ts). */
export const EMAIL = 512
/** Format bit: an absolute URI, leniently (a scheme, then no whitespace). */
export const URI = 1024
/** Format bit: a UUID (8-4-4-4-12 hex digits, optionally `urn:uuid:`). */
export const UUID = 2048
/** Property flag: the property must be present. */
export const REQUIRED = 4096

const TYPES = STRING | NUMBER | INTEGER | BOOLEAN | NULL | OBJECT | ARRAY
const FORMATS = DATE_TIME | DATE | EMAIL | URI | UUID

/**
 * The checks below one place of the payload, called once its type passed: `(value, depth,
 * checker)`, where `depth` counts the keys from the payload to `value` (the checker knows them).
 */
export type Check = (value: any, depth: number, c: Checker) => void

/** One error, in the shape ajv gives (what `checkPayload` and `issuesOf` read). */
export interface CheckError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message: string
}

/**
 * A payload validator from a compact validator's root: `flags` (type and format bits) and
 * `build`, which declares the event's check functions in a scope of their own and returns
 * the root's (called once, here). The validator returns `true` or `false` and leaves the
 * errors (every one: the equivalent of ajv's `allErrors`) on `.errors`, as ajv's do.
 */
export function compactValidator(flags: number, build?: () => Check): PayloadValidator {
  const check = build?.()
  // One checker per validator, reused: no allocation per valid payload. Taken while in use, so
  // a getter on the payload that validates again (re-entry) gets a checker of its own.
  let spare: Checker | undefined = new Checker()
  const validate = (data: unknown): boolean => {
    const c = spare ?? new Checker()
    spare = undefined
    c.value(data, 0, undefined, flags, check)
    const errors = c.errors
    c.errors = null
    spare = c
    validate.errors = errors
    return errors === null
  }
  validate.errors = null as CheckError[] | null
  return validate
}

/** Collects the errors of one validation; generated code calls its methods, one per line. */
export class Checker {
  /** Every error so far, or `null` while there is none (a valid payload allocates no list). */
  errors: CheckError[] | null = null
  /** The keys from the payload to the value being checked; entries at and beyond its depth are stale. */
  private readonly keys: Array<string | number> = []

  /**
   * The property `key` of object `o` (at path `p`), whose value the generated code read as
   * `value`: reports it missing when `flags` has {@link REQUIRED}, else checks its type and
   * format, then `check` below it. Returns 1 when the property is there (so a closed object
   * can count its declared keys), else 0.
   */
  prop(o: Record<string, unknown>, p: number, key: string, value: unknown, flags: number, check?: Check): number {
    // Own properties only: a field named `constructor` or `toString` is data, never Object.prototype's.
    if (value === undefined || !Object.hasOwn(o, key)) {
      if (flags & REQUIRED) this.fail(this.pointer(p), 'required', { missingProperty: key }, `must have required property '${key}'`)
      // ajv checks a `__proto__` field through its pattern mirror (see infer/emit-schema.ts),
      // which also checks an own `__proto__` whose value is undefined; agree with it.
      if (key === '__proto__' && value === undefined && Object.hasOwn(o, key)) {
        this.value(value, p, key, flags, check)
        return 1
      }
      return 0
    }
    this.value(value, p, key, flags, check)
    return 1
  }

  /** Checks `value` (at depth `p`, or its `key` one deeper when given) against `flags`, then `check`. */
  value(value: unknown, p: number, key: string | number | undefined, flags: number, check?: Check): void {
    const types = flags & TYPES
    if (types !== 0 && (kindOf(value) & types) === 0) {
      this.fail(this.pointer(p, key), 'type', { type: typeNames(types) }, `must be ${typeNames(types)}`)
      return
    }
    if (flags & FORMATS && typeof value === 'string' && !formatMatches(value, flags)) {
      const format = formatName(flags)
      this.fail(this.pointer(p, key), 'format', { format }, `must match format "${format}"`)
    }
    if (check === undefined) return
    if (key === undefined) check(value, p, this)
    else {
      this.keys[p] = key
      check(value, p + 1, this)
    }
  }

  /** Every element of array `a` (at `p`) against `flags`, then `check`. */
  items(a: unknown[], p: number, flags: number, check?: Check): void {
    for (let i = 0; i < a.length; i++) this.value(a[i], p, i, flags, check)
  }

  /** Whether `v` is an object that is neither null nor an array (a place typed object-or-something-else). */
  isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  }

  /** Own enumerable keys of `o`: a closed object compares it with the declared keys present. */
  size(o: object): number {
    return Object.keys(o).length
  }

  /** Reports every own key of `o` that is not one of `declared` (`additionalProperties: false`). */
  closed(o: object, p: number, declared: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!declared.includes(key)) {
        this.fail(this.pointer(p), 'additionalProperties', { additionalProperty: key }, 'must NOT have additional properties')
      }
    }
  }

  /**
   * `anyOf`: the first branch (type `flags`, then its checks) that adds no error wins and
   * nothing is reported; when none does, every branch's errors stay, plus one for `anyOf`.
   */
  anyOf(v: unknown, p: number, ...branches: ReadonlyArray<readonly [flags: number, check?: Check]>): void {
    const before = this.errors?.length ?? 0
    for (const [flags, check] of branches) {
      const tried = this.errors?.length ?? 0
      this.value(v, p, undefined, flags, check)
      if ((this.errors?.length ?? 0) === tried) {
        if (this.errors !== null) this.errors.length = before
        if (before === 0) this.errors = null
        return
      }
    }
    this.fail(this.pointer(p), 'anyOf', {}, 'must match a schema in anyOf')
  }

  /** `enum`: `v` equals one of `values` (JSON equality). */
  enum(v: unknown, p: number, values: readonly unknown[]): void {
    for (const allowed of values) if (jsonEqual(v, allowed)) return
    this.fail(this.pointer(p), 'enum', { allowedValues: values }, 'must be equal to one of the allowed values')
  }

  /** `const`: `v` equals `value` (JSON equality). */
  const(v: unknown, p: number, value: unknown): void {
    if (!jsonEqual(v, value)) this.fail(this.pointer(p), 'const', { allowedValue: value }, 'must be equal to constant')
  }

  /** `minimum` / `maximum` / `exclusiveMinimum` / `exclusiveMaximum` on a number (other types pass). */
  range(v: unknown, p: number, keyword: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum', limit: number): void {
    if (typeof v !== 'number') return
    const ok =
      keyword === 'minimum' ? v >= limit : keyword === 'maximum' ? v <= limit : keyword === 'exclusiveMinimum' ? v > limit : v < limit
    if (!ok) {
      const comparison = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[keyword]
      this.fail(this.pointer(p), keyword, { comparison, limit }, `must be ${comparison} ${limit}`)
    }
  }

  /** `minLength` / `maxLength` on a string, in Unicode code points as ajv counts (other types pass). */
  length(v: unknown, p: number, keyword: 'minLength' | 'maxLength', limit: number): void {
    if (typeof v !== 'string') return
    const length = codePoints(v)
    if (keyword === 'minLength' ? length < limit : length > limit) {
      this.fail(this.pointer(p), keyword, { limit }, `must NOT have ${keyword === 'minLength' ? 'fewer' : 'more'} than ${limit} characters`)
    }
  }

  /** `minItems` / `maxItems` on an array (other types pass). */
  count(v: unknown, p: number, keyword: 'minItems' | 'maxItems', limit: number): void {
    if (!Array.isArray(v)) return
    if (keyword === 'minItems' ? v.length < limit : v.length > limit) {
      this.fail(this.pointer(p), keyword, { limit }, `must NOT have ${keyword === 'minItems' ? 'fewer' : 'more'} than ${limit} items`)
    }
  }

  /** `pattern` on a string (other types pass); `regex` is compiled once, with the `u` flag as ajv does. */
  pattern(v: unknown, p: number, regex: RegExp): void {
    if (typeof v === 'string' && !regex.test(v)) {
      this.fail(this.pointer(p), 'pattern', { pattern: regex.source }, `must match pattern "${regex.source}"`)
    }
  }

  /** The JSON Pointer of the value at depth `p` (then `key` below it, when given). */
  private pointer(p: number, key?: string | number): string {
    let pointer = ''
    for (let i = 0; i < p; i++) pointer = appendPointer(pointer, this.keys[i] as string | number)
    return key === undefined ? pointer : appendPointer(pointer, key)
  }

  /** Records one error. */
  fail(instancePath: string, keyword: string, params: Record<string, unknown>, message: string): void {
    ;(this.errors ??= []).push({ instancePath, keyword, params, message })
  }
}

/** The type bits `value` satisfies (an integer is a number too); 0 for non-JSON values. */
function kindOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return STRING
    case 'number':
      // As ajv decides without `strictNumbers` (the fallback's setting): NaN and the infinities
      // are numbers, and the infinities integers (`!(x % 1) && !isNaN(x)`); JSON.stringify sends them as null.
      return value % 1 === 0 || value === Infinity || value === -Infinity ? NUMBER | INTEGER : NUMBER
    case 'boolean':
      return BOOLEAN
    case 'object':
      return value === null ? NULL : Array.isArray(value) ? ARRAY : OBJECT
    default:
      return 0
  }
}

const TYPE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [STRING, 'string'],
  [NUMBER, 'number'],
  [INTEGER, 'integer'],
  [BOOLEAN, 'boolean'],
  [NULL, 'null'],
  [OBJECT, 'object'],
  [ARRAY, 'array'],
]

/** `string` or `string,null`: ajv's `params.type` for a type list. */
function typeNames(types: number): string {
  return TYPE_NAMES.filter(([bit]) => types & bit)
    .map(([, name]) => name)
    .join(',')
}

const FORMAT_NAMES: ReadonlyArray<readonly [number, string]> = [
  [DATE_TIME, 'date-time'],
  [DATE, 'date'],
  [EMAIL, 'email'],
  [URI, 'uri'],
  [UUID, 'uuid'],
]

/** Whether `value` matches the format in `flags` (one format per place). A switch: this runs per formatted string. */
function formatMatches(value: string, flags: number): boolean {
  switch (flags & FORMATS) {
    case DATE_TIME:
      return isDateTime(value)
    case DATE:
      return isDate(value)
    case EMAIL:
      return isEmail(value)
    case URI:
      return isUri(value)
    case UUID:
      return isUuid(value)
    default:
      return true
  }
}

function formatName(flags: number): string {
  return FORMAT_NAMES.find(([bit]) => flags & bit)?.[1] ?? ''
}

/** Length in code points (a surrogate pair counts once), as ajv's `ucs2length`. */
function codePoints(text: string): number {
  let length = 0
  for (let i = 0; i < text.length; i++) {
    length++
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if ((next & 0xfc00) === 0xdc00) i++
    }
  }
  return length
}
