/**
 * `createClient()`: the object generated `fire<Event>()` helpers call. One fire is: check the
 * arguments, validate the payload (no schema is ever compiled here), build Refold's documented
 * request, then per attempt take a rate-limit token, send, and map the answer to a result or a
 * typed error, retrying only where the retry policy allows.
 *
 * The API key lives in a private field: it is never part of `util.inspect(client)`,
 * `JSON.stringify(client)`, an error, or a log line, and it is scrubbed from any text a server
 * sends back.
 */
import { inspect } from 'node:util'
import { parseBaseUrl, DEFAULT_BASE_URL, type BaseUrl } from '../http/base-url.js'
import { systemClock, type Clock } from '../http/clock.js'
import {
  CLIENT_DEFAULTS,
  positiveOption,
  resolveValidateMode,
  type ClientOptions,
  type FireResult,
  type RefoldClient,
  type ValidateMode,
} from './client-options.js'
import { InvalidEventError, NetworkError, PayloadValidationError, RefoldConfigurationError, RefoldError, TimeoutError } from './errors.js'
import { checkFireArgs, fireBody, fireHeaders, firePath, idempotencyKeyOf, isHeaderSafe, type FireRequest } from './fire-request.js'
import { InvalidPayloadReporter } from './invalid-payload-reporter.js'
import { checkPayload, type PayloadValidator } from './payload-validation.js'
import { REFOLD_RATE_LIMIT, TokenBucket } from '../http/rate-limiter.js'
import { errorFromResponse, requestIdOf, successMessage, type RawResponse } from './response-error.js'
import { REFOLD_IDEMPOTENCY_WINDOW_MS, resolveRetryPolicy, retryDelay, retryHorizonMs, type RetryPolicy } from './retry-policy.js'
import { CONNECT_PHASE_CODES, UNRESOLVED_HOST_CODES, type Transport } from '../http/transport.js'
import { AttemptDeadlines } from './attempt-deadlines.js'
import { UndiciSender } from './undici-sender.js'

/** Creates a client. Never throws for a missing key or a bad `REFOLD_BASE_URL`: the first fire rejects. */
export function createClient(options: ClientOptions = {}): RefoldClient {
  return new Client(options)
}

/** Abort reason marking "the attempt's timeoutMs ran out" (as opposed to any other abort). */
const TIMED_OUT = Object.freeze({ reason: 'refold-events: timeout' })

class Client implements RefoldClient {
  readonly #base: BaseUrl | RefoldConfigurationError
  readonly #env: Readonly<Record<string, string | undefined>>
  readonly #apiKeyOption: string | undefined
  #apiKey: string | undefined
  readonly #timeoutMs: number
  readonly #retry: RetryPolicy
  readonly #validate: ValidateMode | RefoldConfigurationError
  readonly #invalid: InvalidPayloadReporter
  readonly #limiter: TokenBucket | undefined
  readonly #transport: Transport | undefined
  readonly #sender: UndiciSender | undefined
  readonly #deadlines: AttemptDeadlines
  readonly #idempotencyHeader: string
  readonly #maxResponseBytes: number
  readonly #clock: Clock
  readonly #random: () => number
  readonly #redact = (text: string): string => this.#redactKey(text)
  readonly #onPreviousName: ((event: string, firedAs: string) => void) | undefined
  #closed = false

  constructor(options: ClientOptions) {
    this.#env = options.env ?? process.env
    this.#clock = options.clock ?? systemClock
    this.#random = options.random ?? Math.random
    this.#apiKeyOption = options.apiKey
    this.#onPreviousName = options.onPreviousName
    const envBase = this.#env.REFOLD_BASE_URL
    const base =
      options.baseUrl !== undefined
        ? parseBaseUrl(options.baseUrl, 'the baseUrl option')
        : envBase !== undefined && envBase.trim() !== ''
          ? parseBaseUrl(envBase, 'REFOLD_BASE_URL')
          : parseBaseUrl(DEFAULT_BASE_URL, 'the default base URL')
    this.#base = 'problem' in base ? new RefoldConfigurationError(base.problem, base.message) : base
    this.#timeoutMs = positiveOption('timeoutMs', options.timeoutMs, CLIENT_DEFAULTS.timeoutMs)
    this.#retry = resolveRetryPolicy(options.retry)
    this.#validate = resolveValidateMode(options.validate, this.#env)
    this.#invalid = new InvalidPayloadReporter(options.onInvalid, (text) => this.#redactSecrets(text))
    const rateLimit = options.rateLimit === true ? REFOLD_RATE_LIMIT : options.rateLimit || undefined
    this.#limiter = rateLimit === undefined ? undefined : new TokenBucket(rateLimit, this.#clock)
    this.#idempotencyHeader = (options.idempotencyHeader ?? CLIENT_DEFAULTS.idempotencyHeader).toLowerCase()
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(this.#idempotencyHeader)) {
      throw new TypeError(`idempotencyHeader must be an HTTP header name, got ${JSON.stringify(options.idempotencyHeader)}`)
    }
    this.#maxResponseBytes = positiveOption('maxResponseBytes', options.maxResponseBytes, CLIENT_DEFAULTS.maxResponseBytes, true)
    this.#transport = options.transport
    this.#deadlines = new AttemptDeadlines(this.#timeoutMs, TIMED_OUT)
    const connections = positiveOption('connections', options.connections, CLIENT_DEFAULTS.connections, true)
    this.#sender =
      this.#transport !== undefined || this.#base instanceof RefoldConfigurationError
        ? undefined
        : new UndiciSender({
            origin: this.#base.origin,
            connections,
            connectTimeoutMs: this.#timeoutMs,
            maxResponseBytes: this.#maxResponseBytes,
            dispatcher: options.dispatcher,
          })
  }

  /** Refold's base URL this client sends to (`undefined` when it is invalid; the first fire says why). */
  get baseUrl(): string | undefined {
    return this.#base instanceof RefoldConfigurationError ? undefined : this.#base.origin + this.#base.pathPrefix
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed
  }

  fire(request: FireRequest, validator?: PayloadValidator): Promise<FireResult> {
    // Not async: a fire's promise is the one its attempts return (an async wrapper around it
    // cost a promise and two microtask turns per fire). A refusal before sending still rejects.
    try {
      return this.#fire(request, validator)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** Checks, validation and the request, then the attempts; throws what `fire` rejects with before sending. */
  #fire(request: FireRequest, validator: PayloadValidator | undefined): Promise<FireResult> {
    if (this.#closed) throw closedError()
    const argumentError = checkFireArgs(request)
    if (argumentError !== undefined) throw argumentError
    const { event, payload } = request
    const mode = this.#validate
    if (mode instanceof RefoldConfigurationError) throw mode
    // Written first: a payload JSON cannot hold is refused whatever the mode, so a report saying
    // "sent" is never followed by nothing being sent.
    const body = serialise(event, payload)
    if (validator !== undefined && mode !== 'off') {
      const invalid = checkPayload(event, payload, validator)
      if (invalid !== undefined) {
        const refused = mode === 'error'
        this.#invalid.report(invalid, payload, !refused)
        if (refused) throw invalid
      }
    }
    const base = this.#base
    if (base instanceof RefoldConfigurationError) throw base
    const apiKey = this.#resolveApiKey()
    const path = this.#firePath(base, request.slug)
    // Derived once: every attempt of this fire carries the same key.
    const idempotencyKey = idempotencyKeyOf(request)
    const headers = fireHeaders(
      idempotencyKey === request.idempotencyKey ? request : { ...request, idempotencyKey },
      apiKey,
      this.#idempotencyHeader,
    )
    const idempotent = idempotencyKey !== undefined
    if (idempotent) this.#warnIfRetriesOutliveTheWindow()
    const previous = request.previousNames
    if (previous === undefined || previous.length === 0) return this.#attempts(event, body, base, path, headers, idempotent, request)
    return this.#fireUnderLiveName(request, body, previous, base, path, headers, idempotent)
  }

  /** The last slug fired and its path: most clients fire to one app, so the path is encoded once, not per fire. */
  #lastPath: { slug: string | undefined; path: string } | undefined

  #firePath(base: BaseUrl, slug: string | undefined): string {
    const last = this.#lastPath
    if (last !== undefined && last.slug === slug) return last.path
    const path = firePath(base.pathPrefix, slug)
    this.#lastPath = { slug, path }
    return path
  }

  /**
   * A renamed event during its rollout: the name Refold answered last time first (the new one
   * by default), then the others in order. A 404 `INVALID_EVENT` is a refusal before
   * queueing, so trying the next name cannot run a workflow twice. The name that worked is
   * remembered, so a client pays the extra request once per switch, not on every fire.
   */
  async #fireUnderLiveName(
    request: FireRequest,
    body: string,
    previous: readonly string[],
    base: BaseUrl,
    path: string,
    headers: Record<string, string>,
    idempotent: boolean,
  ): Promise<FireResult> {
    const { event, payload } = request
    const live = this.#liveNames.get(event)
    const names = live === undefined ? [event, ...previous] : [live, ...[event, ...previous].filter((name) => name !== live)]
    let firstRefusal: InvalidEventError | undefined
    for (const name of names) {
      try {
        const sent = name === event ? request : { ...request, event: name }
        const result = await this.#attempts(name, name === event ? body : serialise(name, payload), base, path, headers, idempotent, sent)
        if (name === event) this.#liveNames.delete(event)
        else {
          this.#liveNames.set(event, name)
          this.#warnOnceFiredAs(event, name)
          result.firedAs = name
        }
        return result
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error
        firstRefusal ??= error
      }
    }
    const refusal = firstRefusal!
    throw new InvalidEventError(
      `Refold has no event named "${event}", nor under its previous ${previous.length === 1 ? 'name' : 'names'} ` +
        `${previous.map((name) => `"${name}"`).join(', ')} (${refusal.status} ${refusal.errorCode ?? ''}${refusal.serverMessage === undefined ? '' : `: ${refusal.serverMessage}`}). ` +
        'Run `refold-events sync` to create or rename it',
      event,
      {
        status: refusal.status,
        errorCode: refusal.errorCode,
        httpErrorType: refusal.httpErrorType,
        serverMessage: refusal.serverMessage,
        requestId: refusal.requestId,
        attempts: refusal.attempts,
      },
    )
  }

  /** Every attempt of one fire under one name: rate-limit token, send, map the answer, retry policy. */
  async #attempts(
    event: string,
    body: string,
    base: BaseUrl,
    path: string,
    headers: Record<string, string>,
    idempotent: boolean,
    request: FireRequest,
  ): Promise<FireResult> {
    for (let attempt = 1; ; attempt++) {
      const turn = this.#limiter?.take()
      if (turn !== undefined) await turn
      if (this.#closed) throw closedError()
      let error: RefoldError
      try {
        const response = await this.#send(attempt, base, path, headers, body, request)
        if (response.status >= 200 && response.status < 300) {
          return {
            status: response.status,
            message: successMessage(response.body),
            requestId: requestIdOf(response.headers),
            attempts: attempt,
          }
        }
        error = errorFromResponse(response, { event, attempts: attempt, clock: this.#clock, redact: this.#redact })
      } catch (cause) {
        error = this.#noAnswerError(cause, event, attempt, base)
      }
      const delay = retryDelay(error, attempt, this.#retry, idempotent, this.#random)
      if (delay === undefined) throw error
      await this.#clock.sleep(delay)
    }
  }

  /** The event name Refold answered for a renamed event, when not its current one (see {@link #fireUnderLiveName}). */
  readonly #liveNames = new Map<string, string>()
  readonly #firedAsWarned = new Set<string>()

  /** The caller's hook, else once per client and pair: the rename is not on Refold yet, which `sync` fixes. */
  #warnOnceFiredAs(event: string, name: string): void {
    if (this.#onPreviousName !== undefined) {
      // The fire was accepted: a throwing hook must not turn it into a rejection a caller would resend.
      try {
        this.#onPreviousName(event, name)
      } catch {
        // the hook's own failure; nothing to undo
      }
      return
    }
    const pair = JSON.stringify([event, name])
    if (this.#firedAsWarned.has(pair)) return
    this.#firedAsWarned.add(pair)
    process.emitWarning(
      `Refold does not know the event "${event}" yet (404 INVALID_EVENT): fired it under its previous name "${name}". ` +
        'Run `refold-events sync` to rename the event on Refold in place; its workflows stay attached.',
      { code: 'REFOLD_FIRED_UNDER_PREVIOUS_NAME' },
    )
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#sender?.close()
  }

  /** Shows where the client sends and whether it is closed; never the key. */
  [inspect.custom](_depth: number, options: object): string {
    return `RefoldClient ${inspect(this.toJSON(), options)}`
  }

  /** `{ baseUrl, closed }`: what `JSON.stringify(client)` shows. */
  toJSON(): { baseUrl: string | undefined; closed: boolean } {
    return { baseUrl: this.baseUrl, closed: this.#closed }
  }

  /**
   * One attempt, bounded by `timeoutMs` from start to the last body byte. Not async on the
   * undici path (its deadline needs no clean-up), so a fire makes one promise fewer.
   */
  #send(
    attempt: number,
    base: BaseUrl,
    path: string,
    headers: Record<string, string>,
    body: string,
    request: FireRequest,
  ): Promise<RawResponse> {
    if (this.#sender !== undefined) return this.#sender.send(path, headers, body, this.#deadlines.current())
    return this.#sendViaTransportTimed(attempt, base, path, headers, body, request)
  }

  /** A transport is public API and gets a standard AbortSignal, aborted after `timeoutMs`. */
  async #sendViaTransportTimed(
    attempt: number,
    base: BaseUrl,
    path: string,
    headers: Record<string, string>,
    body: string,
    request: FireRequest,
  ): Promise<RawResponse> {
    const controller = new AbortController()
    const timer = setTimeout(abortController, this.#timeoutMs, controller)
    try {
      return await this.#sendViaTransport(attempt, base, path, headers, body, request, controller.signal)
    } finally {
      clearTimeout(timer)
    }
  }

  async #sendViaTransport(
    attempt: number,
    base: BaseUrl,
    path: string,
    headers: Record<string, string>,
    body: string,
    request: FireRequest,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    const transport = this.#transport as Transport
    const sending = transport({
      url: base.origin + path,
      method: 'POST',
      headers,
      body,
      event: request.event,
      payload: request.payload,
      linkedAccountId: request.linkedAccountId,
      slug: request.slug,
      configId: request.configId,
      instanceTag: request.instanceTag,
      // The derived key too (idempotencyKeyFrom), exactly as the header carries it.
      idempotencyKey: headers[this.#idempotencyHeader] ?? request.idempotencyKey,
      attempt,
      signal,
    })
    const answer = await untilAborted(sending, signal)
    if (!Number.isInteger(answer?.status) || answer.status < 100 || answer.status > 599) {
      throw new TypeError(`the transport answered without a valid HTTP status (got ${String(answer?.status)})`)
    }
    const responseHeaders: Record<string, string | readonly string[] | undefined> = {}
    for (const [name, value] of Object.entries(answer.headers ?? {})) responseHeaders[name.toLowerCase()] = value
    const text = answer.body ?? ''
    return {
      status: answer.status,
      headers: responseHeaders,
      body: text.length > this.#maxResponseBytes ? text.slice(0, this.#maxResponseBytes) : text,
    }
  }

  /** The typed error for an attempt that produced no answer. */
  #noAnswerError(cause: unknown, event: string, attempt: number, base: BaseUrl): RefoldError {
    if (cause instanceof RefoldError) return cause
    if (cause === TIMED_OUT) {
      return new TimeoutError(
        `No complete answer from Refold within ${this.#timeoutMs} ms for event "${event}" (attempt ${attempt}); ` +
          'it may or may not have been queued',
        this.#timeoutMs,
        { attempts: attempt },
      )
    }
    const code = errorCode(cause)
    const detail = this.#redactKey(cause instanceof Error ? cause.message : String(cause))
    const reason = code === undefined || detail.includes(code) ? detail : `${code}: ${detail}`
    if (code !== undefined && UNRESOLVED_HOST_CODES.has(code)) {
      return new NetworkError(
        `Could not resolve the host of Refold at ${base.origin} (${code}: no such host name); nothing was sent and it is not retried. Check the base URL for a typo`,
        false,
        code,
        { attempts: attempt, cause },
      )
    }
    if (code !== undefined && CONNECT_PHASE_CODES.has(code)) {
      return new NetworkError(
        `Could not connect to Refold at ${base.origin} (${reason}); nothing was sent. Check the base URL and that the server is reachable`,
        false,
        code,
        {
          attempts: attempt,
          cause,
        },
      )
    }
    return new NetworkError(
      `Connection to Refold at ${base.origin} failed for event "${event}" (${reason}); it may or may not have been queued`,
      true,
      code,
      { attempts: attempt, cause },
    )
  }

  #resolveApiKey(): string | undefined {
    if (this.#apiKey !== undefined) return this.#apiKey
    const fromOption = this.#apiKeyOption !== undefined
    const raw = (fromOption ? this.#apiKeyOption : this.#env.REFOLD_API_KEY)?.trim()
    if (raw === undefined || raw === '') {
      if (this.#transport !== undefined) return undefined // the transport authenticates on its own
      throw new RefoldConfigurationError(
        'missing_api_key',
        `No Refold API key: ${fromOption ? 'the apiKey option is empty' : 'set REFOLD_API_KEY'} or pass { apiKey } to createClient() ` +
          '(Refold Console → Settings → Credentials; test keys start with "tk", production keys with "pk")',
      )
    }
    if (!isHeaderSafe(raw)) {
      throw new RefoldConfigurationError(
        'invalid_api_key',
        `The Refold API key from ${fromOption ? 'the apiKey option' : 'REFOLD_API_KEY'} contains characters an HTTP header cannot carry ` +
          '(a line break or control character, often from a copied .env line)',
      )
    }
    this.#apiKey = raw
    return raw
  }

  #redactKey(text: string): string {
    const key = this.#apiKey
    return key !== undefined && text.includes(key) ? text.replaceAll(key, '[redacted]') : text
  }

  /**
   * `#redactKey` for hooks, which may run before the first fire resolved the key: the key the
   * client would send is scrubbed even then.
   */
  #redactSecrets(text: string): string {
    const key = this.#apiKey ?? (this.#apiKeyOption ?? this.#env.REFOLD_API_KEY)?.trim()
    return key !== undefined && key !== '' && text.includes(key) ? text.replaceAll(key, '[redacted]') : text
  }

  #windowChecked = false

  /** Once per client: retries that can outlast Refold's 5-minute deduplication defeat the key. */
  #warnIfRetriesOutliveTheWindow(): void {
    if (this.#windowChecked) return
    this.#windowChecked = true
    const horizon = retryHorizonMs(this.#retry, this.#timeoutMs)
    if (horizon <= REFOLD_IDEMPOTENCY_WINDOW_MS) return
    process.emitWarning(
      `a fire can keep retrying for up to ${Math.ceil(horizon / 1000)} s (retry and timeoutMs options), longer than Refold's 5-minute ` +
        'idempotency window: a retry after it can run the workflows twice despite the idempotency key. Lower retry.maxAttempts, ' +
        'retry.maxRetryAfterMs or timeoutMs.',
      { code: 'REFOLD_RETRY_BEYOND_IDEMPOTENCY_WINDOW' },
    )
  }
}

function abortController(controller: AbortController): void {
  controller.abort(TIMED_OUT)
}

function closedError(): RefoldConfigurationError {
  return new RefoldConfigurationError('client_closed', 'The Refold client was closed; create a new one with createClient()')
}

function serialise(event: string, payload: unknown): string {
  try {
    return fireBody(event, payload)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new PayloadValidationError(event, [{ path: '', message: `cannot be written as JSON (${reason})`, keyword: 'json', params: {} }])
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Settles with `promise`, or rejects with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
