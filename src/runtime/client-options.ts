/**
 * What a Refold client is configured with and what it promises: `ClientOptions` (with their
 * defaults, documented here and in the README), the `RefoldClient` interface generated code is
 * written against, and `FireResult`.
 */
import type { Dispatcher } from 'undici'
import type { Clock } from '../http/clock.js'
import { RefoldConfigurationError } from './errors.js'
import type { FireRequest } from './fire-request.js'
import type { InvalidPayloadReport } from './invalid-payload-report.js'
import type { PayloadValidator } from './payload-validation.js'
import type { RateLimitOptions } from '../http/rate-limiter.js'
import type { RetryOptions } from './retry-policy.js'
import type { Transport } from '../http/transport.js'

/**
 * How a client treats a payload its event's validator rejects: `'warn'` sends it and reports
 * the mismatch, `'error'` refuses it (nothing sent), `'off'` does not validate.
 */
export type ValidateMode = 'error' | 'warn' | 'off'

/** Every {@link ValidateMode}, in the order messages list them. */
export const VALIDATE_MODES: readonly ValidateMode[] = ['error', 'warn', 'off']

/** What an `onInvalid` hook receives besides the report. */
export interface InvalidPayloadContext {
  /**
   * The payload that failed, as the caller passed it. It carries the values the report leaves
   * out: store it only where you chose to keep payloads (see `recordInvalidPayloads`), never in logs.
   */
  payload: unknown
  /** Replaces the client's API key in `text` with `[redacted]`; for hooks that write what they receive. */
  redactSecrets(text: string): string
}

/**
 * Receives the report of each payload its event's validator rejects, before the payload is sent
 * (`'warn'`) or refused (`'error'`). Whatever it throws or rejects with is caught: it cannot
 * break the fire, and a promise it returns is not awaited. It runs on the fire's path: queue slow
 * work (as `recordInvalidPayloads` does).
 */
export type InvalidPayloadHook = (report: InvalidPayloadReport, context: InvalidPayloadContext) => unknown

/** Options of {@link createClient}; every one has a default. */
export interface ClientOptions {
  /** Refold API key. Default: `REFOLD_API_KEY`. Missing: the first `fire` rejects (not `createClient`). */
  apiKey?: string | undefined
  /**
   * Refold's base URL. Default: `REFOLD_BASE_URL`, else `https://app.refold.ai`. Must be https,
   * or http to a loopback address (a local emulator), or fires are refused.
   */
  baseUrl?: string | undefined
  /** Per attempt: the longest wait for Refold's complete answer, in ms. Default 10000. */
  timeoutMs?: number | undefined
  /** Retry rules (see `RetryOptions`); `false` sends each fire once. */
  retry?: RetryOptions | false | undefined
  /**
   * `'warn'` (default): an invalid payload is sent anyway and reported to `onInvalid`, so no
   * event is lost to a definition narrower than real traffic. `'error'`: it rejects with
   * `PayloadValidationError` and nothing is sent (for test suites). `'off'`: validators are not
   * run. Default: `REFOLD_VALIDATE` when set (`error`, `warn` or `off`), else `'warn'`.
   */
  validate?: ValidateMode | undefined
  /**
   * Receives the report of every invalid payload (see {@link InvalidPayloadHook}), in `'warn'` and
   * `'error'` modes. Default: for payloads sent anyway, a Node process warning (code
   * `REFOLD_INVALID_PAYLOAD`) at most once per event and path, so a hot path does not flood stderr.
   */
  onInvalid?: InvalidPayloadHook | undefined
  /**
   * Called when Refold knew a renamed event only under one of its `previousNames` (the rename
   * is not synced yet) and the fire went out under that name. Default: a Node process warning
   * (code `REFOLD_FIRED_UNDER_PREVIOUS_NAME`) once per client and pair of names.
   */
  onPreviousName?: ((event: string, firedAs: string) => void) | undefined
  /**
   * Client-side token bucket. `true`: Refold's documented limit (20/s, bursts of 5).
   * Default: off (Refold's 429s are retried with their `Retry-After`).
   */
  rateLimit?: RateLimitOptions | boolean | undefined
  /** Another sender instead of undici (see `Transport`). */
  transport?: Transport | undefined
  /** An undici dispatcher (e.g. a `ProxyAgent`) instead of the client's own pool; not closed by `close()`. */
  dispatcher?: Dispatcher | undefined
  /** Header carrying `idempotencyKey`. Default `idempotency-key`. */
  idempotencyHeader?: string | undefined
  /** Response bodies are read up to this many bytes. Default 1 MiB. */
  maxResponseBytes?: number | undefined
  /** Most sockets open to Refold at once. Default 10. */
  connections?: number | undefined
  /** Where `REFOLD_API_KEY`, `REFOLD_BASE_URL` and `REFOLD_VALIDATE` are read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** Time source for backoff, `Retry-After` and the rate limiter. Default the system clock; tests pass a fake. */
  clock?: Clock | undefined
  /** Jitter source in `[0, 1)`. Default `Math.random`. */
  random?: (() => number) | undefined
}

/** What a successful fire returns. */
export interface FireResult {
  /** HTTP status of Refold's answer (200). */
  status: number
  /** Refold's message (`Webhook Fired Success`), `""` when the answer had none. */
  message: string
  /** Request id from a response header, when present. */
  requestId?: string | undefined
  /** HTTP attempts made, the successful one included. */
  attempts: number
  /**
   * Set when Refold knew the event only under one of its `previousNames` (the rename is not
   * synced yet): the name the fire was accepted under.
   */
  firedAs?: string
}

/** A Refold client: what generated `fire<Event>()` helpers call. */
export interface RefoldClient {
  /**
   * Validates `request.payload` with `validator` (per the client's `validate` option), then
   * POSTs the event, retrying per the client's rules. Rejects with a `RefoldError` subclass.
   */
  fire(request: FireRequest, validator?: PayloadValidator): Promise<FireResult>
  /** Waits for in-flight requests, then closes the connection pool. Later fires reject. */
  close(): Promise<void>
}

/** Defaults of {@link ClientOptions}, in one place. */
export const CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
  validate: 'warn' as ValidateMode,
  idempotencyHeader: 'idempotency-key',
  maxResponseBytes: 1024 * 1024,
  connections: 10,
} as const

/** Throws a `TypeError` naming the option when a number option is not a positive number. */
export function positiveOption(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be ${integer ? 'a positive integer' : 'a positive number'}, got ${String(value)}`)
  }
  return value
}

/**
 * The validation mode: the option, else `REFOLD_VALIDATE`, else the default. An unknown option
 * is a programming error (`TypeError` from `createClient`); an unknown `REFOLD_VALIDATE` is a
 * configuration error every fire rejects with, as an invalid `REFOLD_BASE_URL` is.
 */
export function resolveValidateMode(
  option: ValidateMode | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ValidateMode | RefoldConfigurationError {
  if (option !== undefined) {
    if (!VALIDATE_MODES.includes(option)) throw new TypeError(`validate must be 'error', 'warn' or 'off', got ${String(option)}`)
    return option
  }
  const fromEnv = env.REFOLD_VALIDATE?.trim()
  if (fromEnv === undefined || fromEnv === '') return CLIENT_DEFAULTS.validate
  if ((VALIDATE_MODES as readonly string[]).includes(fromEnv)) return fromEnv as ValidateMode
  return new RefoldConfigurationError(
    'invalid_validate_mode',
    `REFOLD_VALIDATE must be error, warn or off, got ${JSON.stringify(fromEnv.slice(0, 40))}; unset it for the default (warn: send and report mismatches)`,
  )
}
