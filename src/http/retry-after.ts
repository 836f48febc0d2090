/**
 * What an HTTP answer says about trying again, read the same way by the runtime's client and
 * the management adapter: whether Refold refused for rate (before acting), and how long
 * `retry-after-ms` / `Retry-After` ask to wait.
 */

/**
 * Whether an answer is Refold refusing for rate, before acting: 429, or the 403 "Rate Limit
 * Hit" Refold's older overview documents (10 requests a minute per linked account). A 403
 * that does not say "rate limit" (in its code, message or body) is an auth refusal, never retried.
 */
export function isRateLimitRefusal(status: number, texts: ReadonlyArray<string | undefined>): boolean {
  if (status === 429) return true
  return status === 403 && texts.some((text) => text !== undefined && /rate[\s_-]*limit/i.test(text))
}

/**
 * `Retry-After` in ms: either delay-seconds (`120`, decimals accepted) or an HTTP date
 * (RFC 9110 §10.2.3). `undefined` when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000)
  // An HTTP date always names a weekday and month; without letters `Date.parse` would read
  // `-5` as a year.
  if (!/[a-z]/i.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/**
 * The wait an answer asks for, in ms: `retry-after-ms` (the precise companion Refold's gateway
 * and the emulator send beside whole seconds) when it is a whole number, else `Retry-After`.
 * Reading only the seconds would wait up to a second longer than asked, on every rate-limited fire.
 */
export function retryAfterOf(header: (name: string) => string | undefined, nowMs: number): number | undefined {
  const precise = header('retry-after-ms')?.trim()
  if (precise !== undefined && /^\d{1,15}$/.test(precise)) return Number(precise)
  return parseRetryAfter(header('retry-after'), nowMs)
}
