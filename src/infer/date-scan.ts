/**
 * Quick checks for the `date` and `date-time` formats of ajv-formats (full mode), which
 * otherwise split the string with a regular expression and run two more per value.
 *
 * Like `scanUri`, the answer is exact or withheld: `true` only for the canonical RFC 3339
 * shapes ajv-formats accepts (`2024-01-31`, `2024-01-31T10:00:00.5Z`, `... 10:00:00+01:00`)
 * with every field in range, `false` only where ajv-formats' own checks fail for certain
 * (wrong length or separators for `date`), and `undefined` for everything else (leap
 * seconds, `+0100` zones, lower-case separators...), which the caller hands to
 * ajv-formats.
 */

/** Days per month in a common year, month 1 at index 1 (as ajv-formats has them). */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const HYPHEN = 45
const COLON = 58
const DOT = 46
const PLUS = 43
const UPPER_T = 84
const UPPER_Z = 90
const LOWER_Z = 122

/**
 * `YYYY-MM-DD` with a real calendar day. ajv-formats' `date` is exactly that shape
 * (`^(\d\d\d\d)-(\d\d)-(\d\d)$` plus the month and day ranges), so this is never undecided.
 */
export function isFullDate(value: string): boolean {
  return value.length === 10 && dateAt(value)
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with every field in range: `true`;
 * anything else: `undefined` (ajv-formats decides).
 */
export function scanDateTime(value: string): true | undefined {
  const length = value.length
  if (length < 20 || value.charCodeAt(10) !== UPPER_T || !dateAt(value)) return undefined
  const hour = twoDigits(value, 11)
  const minute = twoDigits(value, 14)
  const second = twoDigits(value, 17)
  if (value.charCodeAt(13) !== COLON || value.charCodeAt(16) !== COLON) return undefined
  // Leap seconds (`:60`) depend on the zone in ajv-formats' rule: left to it.
  if (!inRange(hour, 23) || !inRange(minute, 59) || !inRange(second, 59)) return undefined
  let index = 19
  if (value.charCodeAt(index) === DOT) {
    index++
    const digitsFrom = index
    while (index < length && isDigit(value.charCodeAt(index))) index++
    if (index === digitsFrom) return undefined
  }
  const zone = value.charCodeAt(index)
  if (zone === UPPER_Z || zone === LOWER_Z) return index + 1 === length ? true : undefined
  if (zone !== PLUS && zone !== HYPHEN) return undefined
  if (index + 6 !== length || value.charCodeAt(index + 3) !== COLON) return undefined
  const zoneHour = twoDigits(value, index + 1)
  const zoneMinute = twoDigits(value, index + 4)
  return inRange(zoneHour, 23) && inRange(zoneMinute, 59) ? true : undefined
}

/** `value[0..10)` is `YYYY-MM-DD` naming a day that exists (leap years per RFC 3339). */
function dateAt(value: string): boolean {
  if (value.charCodeAt(4) !== HYPHEN || value.charCodeAt(7) !== HYPHEN) return false
  const century = twoDigits(value, 0)
  const yearOfCentury = twoDigits(value, 2)
  const month = twoDigits(value, 5)
  const day = twoDigits(value, 8)
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return false
  const year = century * 100 + yearOfCentury
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : (DAYS[month] as number))
}

/** The number of two ASCII digits at `index`, or -1 when either is not a digit. */
function twoDigits(value: string, index: number): number {
  const tens = value.charCodeAt(index) - 48
  const ones = value.charCodeAt(index + 1) - 48
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return -1
  return tens * 10 + ones
}

/** `0 <= value <= max` (twoDigits gives -1 for non-digits). */
function inRange(value: number, max: number): boolean {
  return value >= 0 && value <= max
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}
