/**
 * Commander hands each action an untyped bag of option values. Every command reads it through
 * {@link readOptions} with a spec of the flags it declares, so what reaches a command is typed
 * and checked here, at the edge: a value of the wrong kind is an error naming the flag, and a
 * key nobody declared (a flag renamed in one place only) fails loudly instead of being ignored.
 * Numbers stay text until the command parses them, so each error can say what was expected.
 */
import { ExitError } from './exit.js'

/**
 * What one flag holds: text, a switch, a list of texts, one of some choices, or a path that
 * `--no-X` can turn off. `required string` is text commander always sets: a required option, or one with a default.
 */
export type OptionKind = 'string' | 'required string' | 'boolean' | 'strings' | 'string-or-false' | readonly string[]

type ValueOf<K> = K extends 'string' | 'required string'
  ? string
  : K extends 'boolean'
    ? boolean
    : K extends 'strings'
      ? string[]
      : K extends 'string-or-false'
        ? string | false
        : K extends readonly (infer C)[]
          ? C
          : never

/** The typed options a spec describes; every flag but a required one may be absent. */
export type OptionsOf<S extends Record<string, OptionKind>> = {
  [K in keyof S as S[K] extends 'required string' ? K : never]: ValueOf<S[K]>
} & { [K in keyof S as S[K] extends 'required string' ? never : K]?: ValueOf<S[K]> }

/** `raw` (commander's `opts()`) checked against `spec`. */
export function readOptions<const S extends Record<string, OptionKind>>(raw: Record<string, unknown>, spec: S): OptionsOf<S> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(raw)) {
    const value = raw[key]
    if (value === undefined) continue
    if (!Object.hasOwn(spec, key)) throw new Error(`option ${flagOf(key)} reached the command without being declared in its spec`)
    const kind = spec[key]!
    if (!fits(kind, value)) throw new ExitError(`${flagOf(key)} expects ${expected(kind)}, got ${JSON.stringify(value)}`)
    out[key] = value
  }
  for (const key of Object.keys(spec)) {
    if (spec[key] === 'required string' && out[key] === undefined) throw new ExitError(`${flagOf(key)} is required`)
  }
  return out as OptionsOf<S>
}

function fits(kind: OptionKind, value: unknown): boolean {
  if (kind === 'string' || kind === 'required string') return typeof value === 'string'
  if (kind === 'boolean') return typeof value === 'boolean'
  if (kind === 'strings') return Array.isArray(value) && value.every((item) => typeof item === 'string')
  if (kind === 'string-or-false') return typeof value === 'string' || value === false
  return typeof value === 'string' && kind.includes(value)
}

function expected(kind: OptionKind): string {
  if (kind === 'string' || kind === 'required string' || kind === 'string-or-false') return 'a value'
  if (kind === 'boolean') return 'no value'
  if (kind === 'strings') return 'one or more values'
  return `one of ${kind.join(', ')}`
}

/** `dryRun` -> `--dry-run`. */
function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`
}

/** A flag's text as a number above 0; `what` says what it counts (`a number of requests per second`). */
export function positiveNumber(flag: string, text: string, what = 'a number'): number {
  const value = Number(text)
  if (text.trim() === '' || !(value > 0 && Number.isFinite(value))) throw new ExitError(`${flag} must be ${what} > 0, got "${text}"`)
  return value
}

/** A flag's text as a whole number from `min` to `max` (written in digits only: no `1e3`, no sign). */
export function wholeNumber(flag: string, text: string, min: number, max?: number): number {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`
    throw new ExitError(`${flag} must be a whole number ${range}, got "${text}"`)
  }
  return value
}
