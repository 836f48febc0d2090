/**
 * Where a client's invalid-payload reports go: to the `onInvalid` hook when one is given, else
 * (for payloads sent anyway) to a Node process warning at most once per event and path, so a
 * hot path sending the same bad field does not flood stderr. A hook can never break a fire:
 * what it throws, synchronously or as a rejected promise, is caught and reported once.
 */
import type { InvalidPayloadHook } from './client-options.js'
import type { PayloadValidationError } from './errors.js'
import { invalidPayloadReport, issueLine, type InvalidPayloadIssue, type InvalidPayloadReport } from './invalid-payload-report.js'

/** Code of the process warning for a payload sent anyway without an `onInvalid` hook. */
export const INVALID_PAYLOAD_WARNING = 'REFOLD_INVALID_PAYLOAD'
/** Code of the process warning for an `onInvalid` hook that threw or rejected. */
export const HOOK_FAILED_WARNING = 'REFOLD_ON_INVALID_FAILED'

/** Distinct (event, path) pairs remembered per client: bounds memory when paths vary without end. */
const MAX_WARNED_PLACES = 1000
/** Lines of one warning; a payload failing in more places says how many more. */
const MAX_LINES = 50

/** Routes the reports of one client. */
export class InvalidPayloadReporter {
  readonly #hook: InvalidPayloadHook | undefined
  readonly #redactSecrets: (text: string) => string
  readonly #warned = new Set<string>()
  #saturated = false
  #hookFailed = false

  /** `redactSecrets` replaces the client's API key in text; hooks receive it for what they write. */
  constructor(hook: InvalidPayloadHook | undefined, redactSecrets: (text: string) => string) {
    if (hook !== undefined && typeof hook !== 'function') throw new TypeError(`onInvalid must be a function, got ${typeof hook}`)
    this.#hook = hook
    this.#redactSecrets = redactSecrets
  }

  /** Reports `error` for `payload`; `sent` says whether the client goes on to send it. Never throws. */
  report(error: PayloadValidationError, payload: unknown, sent: boolean): void {
    const report = invalidPayloadReport(error, payload, sent)
    const hook = this.#hook
    if (hook === undefined) {
      // A refused payload already rejects the fire with the same issues; only a sent one needs a voice.
      if (sent) this.#warnOnce(report)
      return
    }
    try {
      // Called unbound: the hook never gets the reporter as `this`.
      const result = hook(report, { payload, redactSecrets: this.#redactSecrets })
      if (isThenable(result)) result.then(undefined, (cause: unknown) => this.#reportHookFailure(cause))
    } catch (cause) {
      this.#reportHookFailure(cause)
    }
  }

  #warnOnce(report: InvalidPayloadReport): void {
    if (this.#saturated) return
    const fresh: InvalidPayloadIssue[] = []
    for (const issue of report.issues) {
      const place = `${report.event}\u0000${placeOf(issue.path)}`
      if (this.#warned.has(place)) continue
      if (this.#warned.size >= MAX_WARNED_PLACES) {
        this.#saturated = true
        process.emitWarning(
          `More than ${MAX_WARNED_PLACES} distinct event paths had payload mismatches; later ones are not reported. ` +
            'Pass onInvalid to createClient() to receive every report.',
          { code: INVALID_PAYLOAD_WARNING },
        )
        break
      }
      this.#warned.add(place)
      fresh.push(issue)
    }
    if (fresh.length === 0) return
    const lines = fresh.slice(0, MAX_LINES).map(issueLine)
    if (fresh.length > MAX_LINES) lines.push(`  ... and ${fresh.length - MAX_LINES} more`)
    process.emitWarning(
      `Payload for event "${report.event}" does not match its definition; it was sent anyway (validate: 'warn'):\n${lines.join('\n')}\n` +
        'Each event and path is reported once; pass onInvalid to createClient() to receive every report.',
      { code: INVALID_PAYLOAD_WARNING },
    )
  }

  #reportHookFailure(cause: unknown): void {
    if (this.#hookFailed) return
    this.#hookFailed = true
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    process.emitWarning(
      `The onInvalid hook failed (${this.#redactSecrets(reason)}); the fire went on. Later failures of this hook are not reported.`,
      { code: HOOK_FAILED_WARNING },
    )
  }
}

/**
 * The place a path names in the definition: array indexes become `*`, so `/items/0/sku` and
 * `/items/7/sku` are one place and a long bad array warns once.
 */
function placeOf(path: string): string {
  return path.replace(/\/(?:0|[1-9][0-9]*)(?=\/|$)/g, '/*')
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
}
