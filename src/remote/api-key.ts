/**
 * The API key as a value that cannot leak by accident: it prints, serialises and inspects
 * as `[redacted]`, and only {@link ApiKey.reveal} (called when a header is set) gives the
 * text. Anything a server sends back passes through {@link ApiKey.scrub} before it can
 * reach a message.
 */
import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/** Refold's key kinds: production keys start `pk`, test keys `tk`. */
export type ApiKeyKind = 'production' | 'test' | 'unknown'

/** An API key held privately. */
export class ApiKey {
  readonly #value: string

  constructor(value: string) {
    this.#value = value.trim()
  }

  /** The key itself, for the `x-api-key` header only. */
  reveal(): string {
    return this.#value
  }

  /** `production` for `pk...`, `test` for `tk...`. */
  get kind(): ApiKeyKind {
    if (/^pk/i.test(this.#value)) return 'production'
    if (/^tk/i.test(this.#value)) return 'test'
    return 'unknown'
  }

  /** `text` with every occurrence of the key replaced by `[redacted]`. */
  scrub(text: string): string {
    return this.#value !== '' && text.includes(this.#value) ? text.replaceAll(this.#value, REDACTED) : text
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [inspect.custom](): string {
    return `ApiKey(${REDACTED})`
  }
}
