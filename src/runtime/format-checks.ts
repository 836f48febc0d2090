/**
 * The string formats compact validators check, small enough for the runtime (no ajv).
 *
 * `date-time`, `date` and `uuid` are ajv-formats' *full* rules, rewritten here (ajv-formats
 * 3.0.1, MIT): a timestamp is either an RFC 3339 one or it is not, and inference claims these
 * formats only where ajv-formats agrees. `email` and `uri` are lenient on purpose (issue 10:
 * a format must never reject a real value): ajv-formats' full `email` rejects GitHub's own
 * `41898282+github-actions[bot]@users.noreply.github.com`, and its full `uri` rejects a
 * compare URL containing `^`. Here an e-mail is `local@domain` without spaces, and a URI is a
 * scheme followed by anything but whitespace (ajv-formats' *fast* `uri`).
 */

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@]+$/
const URI = /^[a-z][a-z0-9+\-.]*:[^\s]*$/i
const WHITESPACE = /^\s$/

// Dates: hand-written scanners rather than ajv-formats' regular expressions and `split`:
// format checks were the largest part of validating a payload. Same answers, tested against
// ajv-formats on fuzzed strings (test/codegen/compact-validator.test.ts).

/** RFC 3339 full-date, calendar-checked (leap years included): ajv-formats' `date`. */
export function isDate(text: string): boolean {
  return text.length === 10 && dateAt(text)
}

/**
 * RFC 3339 date-time: ajv-formats' `date-time`, which splits at `t`, `T` or any whitespace
 * and wants exactly a date and a time with a time zone.
 */
export function isDateTime(text: string): boolean {
  if (text.length < 20 || !dateAt(text)) return false
  const separator = text.charCodeAt(10)
  if (separator !== 84 && separator !== 116 && !WHITESPACE.test(text[10]!)) return false
  return timeAt(text, 11)
}

/** 8-4-4-4-12 hex digits, optionally behind `urn:uuid:` (any case): ajv-formats' `uuid` (its expression: faster here than a scan). */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** `YYYY-MM-DD` at the start of `text`, a real calendar day. */
function dateAt(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : DAYS[month]!)
}

/**
 * `HH:MM:SS[.fraction]` then a time zone (`z`, `Z`, `+HH`, `+HHMM` or `+HH:MM`) from `at` to
 * the end; a leap second only where it is 23:59:60 UTC (ajv-formats' rule).
 */
function timeAt(text: string, at: number): boolean {
  if (text.charCodeAt(at + 2) !== 58 || text.charCodeAt(at + 5) !== 58) return false
  const hour = digits(text, at, 2)
  const minute = digits(text, at + 3, 2)
  const whole = digits(text, at + 6, 2)
  if (hour < 0 || minute < 0 || whole < 0) return false
  let i = at + 8
  let fraction = false
  if (text.charCodeAt(i) === 46) {
    const first = ++i
    while (isDigit(text.charCodeAt(i))) i++
    if (i === first) return false
    fraction = true
  }
  const zone = text.charCodeAt(i)
  let sign = 1
  let zoneHour = 0
  let zoneMinute = 0
  if (zone === 90 || zone === 122) {
    if (i + 1 !== text.length) return false
  } else if (zone === 43 || zone === 45) {
    sign = zone === 45 ? -1 : 1
    zoneHour = digits(text, i + 1, 2)
    if (zoneHour < 0) return false
    const rest = text.length - (i + 3)
    if (rest === 3 && text.charCodeAt(i + 3) === 58) zoneMinute = digits(text, i + 4, 2)
    else if (rest === 2) zoneMinute = digits(text, i + 3, 2)
    else if (rest !== 0) return false
    if (zoneMinute < 0) return false
  } else {
    return false
  }
  if (zoneHour > 23 || zoneMinute > 59) return false
  // Seconds below 60 whatever the fraction; 60.x only as a leap second.
  if (hour <= 23 && minute <= 59 && whole < 60) return true
  const second = fraction ? whole + 0.5 : whole
  const utcMinute = minute - zoneMinute * sign
  const utcHour = hour - zoneHour * sign - (utcMinute < 0 ? 1 : 0)
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
}

/** The decimal number of `count` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i)
    if (!isDigit(code)) return -1
    value = value * 10 + (code - 48)
  }
  return value
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** Lenient e-mail: something, `@`, something, no whitespace and one `@` (see the module comment). */
export function isEmail(text: string): boolean {
  return EMAIL.test(text)
}

/** Lenient absolute URI: a scheme, `:`, then no whitespace (see the module comment). */
export function isUri(text: string): boolean {
  return URI.test(text)
}
