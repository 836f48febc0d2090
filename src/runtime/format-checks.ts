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

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i
const DATE_TIME_SEPARATOR = /t|\s/i
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@]+$/
const URI = /^[a-z][a-z0-9+\-.]*:[^\s]*$/i

/** RFC 3339 full-date, calendar-checked (leap years included). */
export function isDate(text: string): boolean {
  const matches = DATE.exec(text)
  if (matches === null) return false
  const year = Number(matches[1])
  const month = Number(matches[2])
  const day = Number(matches[3])
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]!)
}

/** RFC 3339 time with a time zone (`z` or an offset); a leap second only at 23:59:60 UTC. */
function isTime(text: string): boolean {
  const matches = TIME.exec(text)
  if (matches === null) return false
  const hour = Number(matches[1])
  const minute = Number(matches[2])
  const second = Number(matches[3])
  const zone = matches[4]
  const sign = matches[5] === '-' ? -1 : 1
  const zoneHour = Number(matches[6] ?? 0)
  const zoneMinute = Number(matches[7] ?? 0)
  if (zoneHour > 23 || zoneMinute > 59 || !zone) return false
  if (hour <= 23 && minute <= 59 && second < 60) return true
  const utcMinute = minute - zoneMinute * sign
  const utcHour = hour - zoneHour * sign - (utcMinute < 0 ? 1 : 0)
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61
}

/** RFC 3339 date-time (`T`, `t` or a space between date and time; time zone required). */
export function isDateTime(text: string): boolean {
  const parts = text.split(DATE_TIME_SEPARATOR)
  return parts.length === 2 && isDate(parts[0]!) && isTime(parts[1]!)
}

/** 8-4-4-4-12 hex digits, optionally behind `urn:uuid:`. */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** Lenient e-mail: something, `@`, something, no whitespace and one `@` (see the module comment). */
export function isEmail(text: string): boolean {
  return EMAIL.test(text)
}

/** Lenient absolute URI: a scheme, `:`, then no whitespace (see the module comment). */
export function isUri(text: string): boolean {
  return URI.test(text)
}
