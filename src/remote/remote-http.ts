/**
 * HTTP to Refold's management APIs: one keep-alive undici pool, at most `concurrency`
 * requests in flight, a request-rate ceiling (a token bucket under Refold's documented 20/s),
 * and retries with exponential backoff and full jitter honouring `Retry-After`.
 *
 * What is retried: 429 and a 403 "Rate Limit Hit" always (Refold refused before acting); a connection that failed before
 * sending always; 5xx, timeouts and lost answers only for idempotent requests (GET, PUT,
 * DELETE). A create is not idempotent: its caller checks whether it landed before trying again
 * (see events-api.ts), so this layer never sends a POST twice on an ambiguous failure.
 */
import type { Dispatcher, Pool } from 'undici'
import { parseBaseUrl } from '../http/base-url.js'
import { RefoldConfigurationError } from '../runtime/errors.js'
import { systemClock, type Clock } from '../http/clock.js'
import { TokenBucket } from '../http/rate-limiter.js'
import { isRateLimitRefusal, retryAfterOf } from '../http/retry-after.js'
import { nothingSent, UNRESOLVED_HOST_CODES } from '../http/transport.js'
import type { ApiKey } from './api-key.js'
import { readEnvelope } from '../wire/error-envelope.js'
import { describeFailure, RemoteError, type RemoteErrorDetails } from './remote-error.js'

/** Settings of {@link RemoteHttp}. */
export interface RemoteHttpOptions {
  baseUrl: string
  apiKey: ApiKey
  /** Requests in flight at once. */
  concurrency: number
  /** Most requests started per second (retries included). */
  requestsPerSecond: number
  /** Per attempt: the longest wait for a complete answer. Default 30 s. */
  timeoutMs?: number
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number
  /** Backoff base and ceiling in ms. Defaults 200 and 5000. */
  baseDelayMs?: number
  maxDelayMs?: number
  /** The longest `Retry-After` waited for; longer fails the request. Default 60 s. */
  maxRetryAfterMs?: number
  clock?: Clock
  random?: () => number
}

/** One request. */
export interface RemoteRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path below the base URL, e.g. `/api/v2/public/application/event`. */
  path: string
  body?: unknown
  /** Whether sending it twice is harmless (GET, PUT, DELETE): then lost answers and 5xx are retried too. */
  idempotent: boolean
  /**
   * The success answer is not needed: it is read and dropped without decoding. Refold answers
   * every create, update and delete with the whole event list, which grows with the account.
   */
  discardAnswer?: boolean
}

/** A successful (2xx) answer. */
export interface RemoteAnswer {
  status: number
  body: string
}

/** Counters, for progress and measurements. */
export interface RemoteHttpStats {
  requests: number
  retries: number
}

/** The management-API HTTP client. Close it when done. */
export class RemoteHttp {
  readonly stats: RemoteHttpStats = { requests: 0, retries: 0 }
  readonly #origin: string
  readonly #prefix: string
  readonly #apiKey: ApiKey
  readonly #pool: Promise<Pool>
  readonly #bucket: TokenBucket
  readonly #clock: Clock
  readonly #random: () => number
  readonly #timeoutMs: number
  readonly #maxAttempts: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #maxRetryAfterMs: number
  readonly #concurrency: number
  #inFlight = 0
  readonly #waiting: Array<() => void> = []

  constructor(options: RemoteHttpOptions) {
    const base = parseBaseUrl(options.baseUrl, 'the base URL')
    if ('problem' in base) throw new RefoldConfigurationError(base.problem, base.message)
    this.#origin = base.origin
    this.#prefix = base.pathPrefix
    this.#apiKey = options.apiKey
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? Math.random
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#maxAttempts = options.maxAttempts ?? 6
    this.#baseDelayMs = options.baseDelayMs ?? 200
    this.#maxDelayMs = options.maxDelayMs ?? 5_000
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
    this.#concurrency = Math.max(1, options.concurrency)
    this.#bucket = new TokenBucket(
      { perSecond: options.requestsPerSecond, burst: Math.max(1, Math.min(5, Math.floor(options.requestsPerSecond))) },
      this.#clock,
    )
    const concurrency = this.#concurrency
    this.#pool = import('undici').then(
      ({ Pool }) => new Pool(base.origin, { connections: concurrency, pipelining: 1, connect: { timeout: 10_000 } }),
    )
    this.#pool.catch(() => {})
  }

  /** Send `request`, retrying what is safe to retry; resolves with a 2xx answer or rejects with a {@link RemoteError}. */
  async request(request: RemoteRequest): Promise<RemoteAnswer> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(request, attempt)
      if (!(outcome instanceof RemoteError)) return outcome
      const wait = this.#retryWait(outcome, request, attempt)
      if (wait === undefined) throw outcome
      this.stats.retries++
      await this.#clock.sleep(wait)
    }
  }

  /** Close the pool once in-flight requests finish. */
  async close(): Promise<void> {
    const pool = await this.#pool.catch(() => undefined)
    await pool?.close()
  }

  async #attempt(request: RemoteRequest, attempt: number): Promise<RemoteAnswer | RemoteError> {
    await this.#acquire()
    try {
      await this.#bucket.take()
      this.stats.requests++
      const pool = await this.#pool
      const body = request.body === undefined ? undefined : JSON.stringify(request.body)
      const headers: Record<string, string> = { accept: 'application/json', 'x-api-key': this.#apiKey.reveal() }
      if (body !== undefined) headers['content-type'] = 'application/json'
      let response: Dispatcher.ResponseData
      let text: string
      try {
        response = await pool.request({
          origin: this.#origin,
          path: this.#prefix + request.path,
          method: request.method,
          headers,
          body,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        })
        const success = response.statusCode >= 200 && response.statusCode < 300
        if (success && request.discardAnswer === true) {
          await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
          text = ''
        } else text = await response.body.text()
      } catch (cause) {
        return this.#networkError(request, attempt, cause)
      }
      if (response.statusCode >= 200 && response.statusCode < 300) return { status: response.statusCode, body: text }
      return this.#httpError(request, attempt, response.statusCode, response.headers, text)
    } finally {
      this.#release()
    }
  }

  #retryWait(error: RemoteError, request: RemoteRequest, attempt: number): number | undefined {
    if (!error.transient || attempt >= this.#maxAttempts) return undefined
    // A request that may have taken effect is resent only when doing it twice is harmless.
    if (error.maybeApplied && !request.idempotent) return undefined
    if (error.retryAfterMs !== undefined) return error.retryAfterMs <= this.#maxRetryAfterMs ? error.retryAfterMs : undefined
    return backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs, this.#random)
  }

  #networkError(request: RemoteRequest, attempt: number, cause: unknown): RemoteError {
    const code = (cause as { code?: unknown } | null)?.code
    const known = typeof code === 'string' ? code : undefined
    const sent = !nothingSent(known)
    // A host that does not resolve was never reached (nothing sent) and will not resolve on a retry.
    const unresolved = known !== undefined && UNRESOLVED_HOST_CODES.has(known)
    const what = this.#apiKey.scrub(cause instanceof Error ? `${known === undefined ? '' : `${known}: `}${cause.message}` : String(cause))
    const details: RemoteErrorDetails = {
      method: request.method,
      path: request.path,
      maybeApplied: sent && request.method !== 'GET',
      transient: !unresolved,
      attempts: attempt,
    }
    const failure = unresolved
      ? `could not resolve the host name, nothing was sent: ${what}`
      : sent
        ? `no answer: ${what}`
        : `could not connect: ${what}`
    return new RemoteError(describeFailure(details, failure), details)
  }

  #httpError(
    request: RemoteRequest,
    attempt: number,
    status: number,
    headers: Dispatcher.ResponseData['headers'],
    text: string,
  ): RemoteError {
    const { code, message } = readEnvelope(text)
    const first = (name: string): string | undefined => {
      const value = headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    // `retry-after-ms` (a precise companion some gateways send) wins over whole seconds, as in the runtime.
    const retryAfterMs = retryAfterOf(first, this.#clock.now())
    const details: RemoteErrorDetails = {
      method: request.method,
      path: request.path,
      status,
      code: code === undefined ? undefined : this.#apiKey.scrub(code),
      serverMessage: message === undefined ? undefined : this.#apiKey.scrub(message),
      // 429: refused before acting. A 5xx may or may not have happened (a proxy, a crash mid-write).
      maybeApplied: status >= 500 && request.method !== 'GET',
      // 429 and a 403 "Rate Limit Hit" refused for rate before acting; any other 403 is auth.
      transient: isRateLimitRefusal(status, [code, message]) || status === 500 || status === 502 || status === 503 || status === 504,
      retryAfterMs,
      attempts: attempt,
    }
    return new RemoteError(describeFailure(details, ''), details)
  }

  async #acquire(): Promise<void> {
    if (this.#inFlight < this.#concurrency) {
      this.#inFlight++
      return
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve))
  }

  #release(): void {
    const next = this.#waiting.shift()
    // Hand the slot straight to the next waiter, so the count never dips and lets a newcomer jump the queue.
    if (next !== undefined) next()
    else this.#inFlight--
  }
}

/** Full jitter: uniform in `[0, min(max, base * 2^(attempt-1))]`, at least 1 ms. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.max(1, Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1))))
}
