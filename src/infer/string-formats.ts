/**
 * String formats inference may claim: `date-time`, `date`, `uuid` by default; `email` and
 * `uri` when a policy asks for them (see DEFAULT_FORMATS).
 *
 * A format is claimed only when every observed value of a field matches it, and the
 * final schema is validated with ajv + ajv-formats' *full* formats, so each check here
 * ends in ajv-formats' own validator: inference can never claim a format that ajv would
 * then reject. (The shortcuts, `scanUri` and `scanDateTime`, answer only where they
 * provably agree with ajv-formats and defer to it otherwise; `isFullDate` is ajv-formats'
 * `date` rule without the regular expression.) In front of each validator
 * sits a prefilter of a few character comparisons, so ordinary text (names, ids,
 * sentences) is ruled out without running a regular expression. A field keeps a bitmask
 * of the formats still possible; once it is 0, its strings cost nothing more.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js'
import type { Format } from 'ajv'
import type { InferableFormat } from '../types.js'
import { DEFAULT_FORMATS } from './format-names.js'
import { isFullDate, scanDateTime } from './date-scan.js'
import { scanUri } from './uri-scan.js'

/** Format bit: `uuid` (8-4-4-4-12 hex digits, optionally `urn:uuid:`). */
const FORMAT_UUID = 1
/** Format bit: `date-time` (RFC 3339, time zone required). */
const FORMAT_DATE_TIME = 2
/** Format bit: `date` (RFC 3339 full-date, calendar-checked). */
const FORMAT_DATE = 4
/** Format bit: `email`. */
const FORMAT_EMAIL = 8
/** Format bit: `uri` (absolute, with a scheme). */
const FORMAT_URI = 16
/** Every inferable format. */
export const ALL_FORMATS = FORMAT_UUID | FORMAT_DATE_TIME | FORMAT_DATE | FORMAT_EMAIL | FORMAT_URI

/** The FORMAT_* mask of a `formats` policy: `true` for the defaults, `false` for none, or a list. */
export function formatMask(formats: boolean | readonly InferableFormat[]): number {
  const names = formats === true ? DEFAULT_FORMATS : formats === false ? [] : formats
  let mask = 0
  for (const name of names) {
    const entry = FORMAT_NAMES.find(([, known]) => known === name)
    if (entry !== undefined) mask |= entry[0]
  }
  return mask
}

/**
 * Format names by bit, most specific first: when a field's values match several formats
 * (`urn:uuid:...` is both a uuid and a uri) the first one here is claimed.
 */
const FORMAT_NAMES: ReadonlyArray<readonly [bit: number, name: string]> = [
  [FORMAT_UUID, 'uuid'],
  [FORMAT_DATE_TIME, 'date-time'],
  [FORMAT_DATE, 'date'],
  [FORMAT_EMAIL, 'email'],
  [FORMAT_URI, 'uri'],
]

const isUuid = predicate(fullFormats.uuid)
const isDateTime = predicate(fullFormats['date-time'])
const isEmail = predicate(fullFormats.email)
const isUri = predicate(fullFormats.uri)

/** RFC 5321 caps an address at 254 characters; longer strings are not worth a regex. */
const MAX_EMAIL_LENGTH = 320
/** Guards the (backtracking) URI expression against pathological inputs; `scanUri` has no limit. */
const MAX_URI_LENGTH = 8192
/**
 * Schemes that make a URI without `//`. RFC 3986 accepts any `word:rest` (`type:bug`,
 * `note:x`), which ajv's `uri` agrees with; claiming `uri` for such labels would be a
 * surprise, so besides hierarchical URIs (`scheme://`) only these schemes count.
 */
const OPAQUE_SCHEMES = new Set(['mailto', 'urn', 'tel'])

const HYPHEN = 45
const COLON = 58
const SLASH = 47

/**
 * The subset of `candidates` (a bitmask of FORMAT_*) that `value` matches.
 * Formats outside `candidates` are not checked: a field that already had a
 * non-matching value never pays for that format again.
 */
export function matchFormats(value: string, candidates: number): number {
  const length = value.length
  let matched = 0
  if (candidates & FORMAT_UUID) {
    // 8-4-4-4-12 hex digits, optionally behind `urn:uuid:`.
    if ((length === 36 || length === 45) && value.charCodeAt(length - 13) === HYPHEN && isUuid(value)) {
      matched |= FORMAT_UUID
    }
  }
  if (candidates & (FORMAT_DATE_TIME | FORMAT_DATE)) {
    const dateShaped = length >= 10 && value.charCodeAt(4) === HYPHEN && value.charCodeAt(7) === HYPHEN
    if (dateShaped) {
      if (candidates & FORMAT_DATE && isFullDate(value)) matched |= FORMAT_DATE
      // The shortest full date-time is `2024-01-31T00:00:00Z`; ajv-formats requires the zone.
      if (candidates & FORMAT_DATE_TIME && length >= 20 && value.charCodeAt(13) === COLON && (scanDateTime(value) ?? isDateTime(value))) {
        matched |= FORMAT_DATE_TIME
      }
    }
  }
  if (candidates & FORMAT_EMAIL) {
    if (length <= MAX_EMAIL_LENGTH && value.indexOf('@') > 0 && isEmail(value)) matched |= FORMAT_EMAIL
  }
  if (candidates & FORMAT_URI) {
    const schemeEnd = uriSchemeEnd(value)
    if (schemeEnd > 0) {
      // Most URLs are settled by a linear scan; the rest go to ajv-formats' expression.
      const settled = scanUri(value, schemeEnd)
      if (settled ?? (length <= MAX_URI_LENGTH && isUri(value))) matched |= FORMAT_URI
    }
  }
  return matched
}

/** The format name to emit for a mask of formats every value matched, if any. */
export function formatName(mask: number): string | undefined {
  if (mask === 0) return undefined
  for (const [bit, name] of FORMAT_NAMES) if (mask & bit) return name
  return undefined
}

/**
 * The index of the `:` ending the scheme of `scheme://...`, or of an opaque scheme from
 * OPAQUE_SCHEMES; -1 otherwise. Cheap, and keeps `type:bug`-style labels from being
 * called URIs.
 */
function uriSchemeEnd(value: string): number {
  const first = value.charCodeAt(0) | 0x20
  if (first < 97 || first > 122) return -1
  let index = 1
  for (; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === COLON) break
    if (!isSchemeChar(code)) return -1
  }
  if (index >= value.length) return -1
  if (value.charCodeAt(index + 1) === SLASH && value.charCodeAt(index + 2) === SLASH) return index
  return index <= 6 && OPAQUE_SCHEMES.has(value.slice(0, index).toLowerCase()) ? index : -1
}

/** RFC 3986 scheme characters after the first: letters, digits, `+`, `-`, `.`. */
function isSchemeChar(code: number): boolean {
  const lower = code | 0x20
  return (lower >= 97 && lower <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46
}

/** ajv-formats defines formats as a RegExp, a function or `{ validate }`; one shape here. */
function predicate(format: Format): (value: string) => boolean {
  const validate = typeof format === 'object' && !(format instanceof RegExp) ? format.validate : format
  if (validate instanceof RegExp) return (value) => validate.test(value)
  if (typeof validate === 'function') return validate as (value: string) => boolean
  throw new Error('ajv-formats: unexpected format definition')
}
