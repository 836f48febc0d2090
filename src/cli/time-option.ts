/**
 * Time options of the `outbox` commands: a duration (`90s`, `15m`, `2h`, `7d`) or, for
 * `--since`, also a date (`2026-12-01`, `2026-12-01T10:00:00Z`). Bad input names the option and
 * shows what is expected.
 */
import { ExitError } from './exit.js'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** A duration in ms, or an {@link ExitError} naming `option`. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim())
  const unit = match === null ? undefined : UNIT_MS[match[2] ?? '']
  if (match === null || unit === undefined)
    throw new ExitError(`${option} expects a duration such as 90s, 15m, 2h or 7d, got ${JSON.stringify(text)}`)
  return Math.round(Number(match[1]) * unit)
}

/** A point in time (epoch ms): a date, or a duration back from `nowMs`. */
export function parseSince(text: string, option: string, nowMs: number): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d|w)$/.test(text.trim())) return nowMs - parseDuration(text, option)
  const date = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN
  if (Number.isNaN(date)) {
    throw new ExitError(
      `${option} expects a date (2026-12-01 or 2026-12-01T10:00:00Z) or a duration back from now (such as 2h), got ${JSON.stringify(text)}`,
    )
  }
  return date
}

/** `3d 4h`, `12m 5s`, `800ms`: an age as people read it. */
export function formatAge(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`
  const parts: string[] = []
  let rest = Math.floor(ms / 1_000)
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
    if (parts.length === 2) break
  }
  return parts.join(' ')
}
