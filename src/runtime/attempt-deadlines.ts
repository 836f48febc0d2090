/**
 * Per-attempt timeouts for the undici sender, cheap enough for the fire hot path.
 *
 * An attempt is aborted through an `EventEmitter` passed to undici as `signal` rather than an
 * `AbortController`: undici accepts either, and in Node 20 EventTarget listeners cost ~20% of
 * this client's loopback throughput. Attempts that start within the same short slice of time
 * share one emitter and one timer (armed for `timeoutMs` plus the slice), so a fire allocates
 * neither: measured on loopback, a fresh emitter and `setTimeout`/`clearTimeout` per attempt
 * cost ~3% of throughput (bench/stages/fire.mjs). An attempt is therefore aborted no earlier
 * than `timeoutMs` after it started and at most one slice later: 1% of `timeoutMs`, capped at
 * 50 ms. undici removes an attempt's listener when the attempt ends, so a shared deadline
 * firing later only reaches attempts still waiting.
 */
import { EventEmitter } from 'node:events'

/** The abort signal of the attempts of one time slice. undici rejects them with `reason`. */
export class AttemptDeadline extends EventEmitter {
  reason: unknown = undefined

  constructor() {
    super()
    // One listener per attempt in flight: any number is expected, none is a leak.
    this.setMaxListeners(0)
  }

  /** Aborts every attempt still listening, with `reason`. */
  expire(reason: unknown): void {
    this.reason = reason
    this.emit('abort')
  }
}

/** Hands out the deadline of the current time slice; see the module comment. */
export class AttemptDeadlines {
  readonly #timeoutMs: number
  readonly #reason: unknown
  readonly #sliceMs: number
  #current: AttemptDeadline | undefined
  #openedAt = 0

  /** `reason` is what expired attempts are rejected with (the client recognises it as a timeout). */
  constructor(timeoutMs: number, reason: unknown) {
    this.#timeoutMs = timeoutMs
    this.#reason = reason
    this.#sliceMs = Math.min(50, timeoutMs / 100)
  }

  /** The deadline for an attempt starting now. */
  current(): AttemptDeadline {
    const now = performance.now()
    if (this.#current === undefined || now - this.#openedAt >= this.#sliceMs) {
      const deadline = new AttemptDeadline()
      // Unreferenced: an attempt in flight keeps the process alive through its socket; a timer
      // whose attempts all finished must not (nothing is cleared when they finish).
      setTimeout(expire, Math.min(this.#timeoutMs + this.#sliceMs, MAX_TIMER_MS), deadline, this.#reason).unref()
      this.#current = deadline
      this.#openedAt = now
    }
    return this.#current
  }
}

/** Node's largest timer delay; a longer one fires after 1 ms instead (`timeoutMs: 2 ** 31 - 1` means "wait"). */
const MAX_TIMER_MS = 2 ** 31 - 1

function expire(deadline: AttemptDeadline, reason: unknown): void {
  deadline.expire(reason)
}
