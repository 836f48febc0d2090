/**
 * The default sender: one undici `Pool` per client, keep-alive, `dispatcher.dispatch()` with a
 * handler of its own that keeps the answer in memory (not `fetch`, which measured 5-7x slower
 * for this small-request workload, nor `dispatcher.request()`, whose async resource, body
 * stream and stream consumer per request cost about 3.5 us of CPU per loopback fire, a sixth of
 * the request: bench/stages/fire.mjs).
 *
 * undici is loaded when a client is created, in the background, not when the runtime is
 * imported: it costs tens of milliseconds, and a process that imports generated helpers but
 * never fires should not pay it.
 *
 * Every answer is read to its end, or cut off at `maxResponseBytes` (which aborts the request,
 * so undici closes that socket instead of reusing a half-read one): a runaway answer cannot
 * fill memory. The text is decoded as `dispatcher.request()`'s `body.text()` decodes it (UTF-8,
 * a byte order mark dropped).
 */
import type { Dispatcher } from 'undici'
import type { AttemptDeadline, Expirable } from './attempt-deadlines.js'
import { RefoldConfigurationError } from './errors.js'
import type { RawResponse } from './response-error.js'

type PoolClass = typeof import('undici').Pool

let poolLoading: Promise<PoolClass> | undefined

/**
 * Starts (once per process) loading undici and resolves with its `Pool`; later calls share the
 * same promise. The public entry on purpose: loading only undici's pool and request modules
 * by their internal paths halves the load time but would break on any internal reshuffle.
 */
function loadPool(): Promise<PoolClass> {
  if (poolLoading === undefined) {
    poolLoading = import('undici').then((undici) => undici.Pool)
    // A prefetch nobody awaits yet must not become an unhandled rejection; `send` re-awaits it.
    poolLoading.catch(() => {})
  }
  return poolLoading
}

/** Settings of the default sender. */
export interface UndiciSenderOptions {
  /** Scheme, host and port of every request. */
  origin: string
  /** Most sockets kept open to Refold at once. */
  connections: number
  /** Connect timeout in ms. */
  connectTimeoutMs: number
  /** Response bodies are read up to this many bytes; the rest is discarded. */
  maxResponseBytes: number
  /** A dispatcher to use instead of an own pool (a `ProxyAgent`, say); it is not closed by `close()`. */
  dispatcher?: Dispatcher | undefined
}

/** Sends requests through one shared, lazily created undici pool. */
export class UndiciSender {
  readonly #options: UndiciSenderOptions
  #dispatcher: Dispatcher | undefined
  #closed = false

  constructor(options: UndiciSenderOptions) {
    this.#options = options
    this.#dispatcher = options.dispatcher
    if (options.dispatcher === undefined) void loadPool()
  }

  /**
   * One POST; resolves with whatever status came back, rejects when no answer arrived (with
   * `deadline`'s reason once it expires). Not async: on the hot path (the pool is open) a send
   * makes one promise.
   */
  send(path: string, headers: Record<string, string>, body: string, deadline: AttemptDeadline): Promise<RawResponse> {
    const dispatcher = this.#dispatcher
    if (dispatcher === undefined) return this.#openPool().then((pool) => this.#dispatch(pool, path, headers, body, deadline))
    return this.#dispatch(dispatcher, path, headers, body, deadline)
  }

  /** Closes the own pool after in-flight requests finish; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const dispatcher = this.#dispatcher
    if (dispatcher !== undefined && dispatcher !== this.#options.dispatcher) await dispatcher.close()
  }

  #dispatch(
    dispatcher: Dispatcher,
    path: string,
    headers: Record<string, string>,
    body: string,
    deadline: AttemptDeadline,
  ): Promise<RawResponse> {
    const options = this.#options
    return new Promise((resolve, reject) => {
      dispatcher.dispatch(
        { origin: options.origin, path, method: 'POST', headers, body },
        new Attempt(resolve, reject, options.maxResponseBytes, deadline),
      )
    })
  }

  async #openPool(): Promise<Dispatcher> {
    const Pool = await loadPool()
    if (this.#closed) throw new RefoldConfigurationError('client_closed', 'The Refold client was closed')
    // Two first fires may race past the await; the first one creates the pool.
    this.#dispatcher ??= new Pool(this.#options.origin, {
      connections: this.#options.connections,
      pipelining: 1,
      connect: { timeout: this.#options.connectTimeoutMs },
    })
    return this.#dispatcher
  }
}

/** Why an attempt aborted its own request: the answer reached `maxResponseBytes`. */
const CAPPED = new Error('refold-events: response cut off at maxResponseBytes')

/**
 * One request in flight, as undici's dispatch handler: collects the status, the headers (as
 * undici parses them for `request()`) and up to `cap` bytes of the body, and settles once:
 * resolved with the answer at its end (or at the cap), rejected when none arrived. Its deadline
 * aborts it as `request()`'s `signal` did: at once when undici has started it, else as soon as
 * undici does (a request still queued for a connection has sent nothing).
 */
class Attempt implements Dispatcher.DispatchHandler, Expirable {
  readonly #resolve: (response: RawResponse) => void
  readonly #reject: (error: unknown) => void
  readonly #cap: number
  readonly #deadline: AttemptDeadline
  #controller: Dispatcher.DispatchController | undefined = undefined
  /** The deadline's reason once it expired before undici started the request. */
  #expiredWith: unknown = undefined
  #status = 0
  #headers: RawResponse['headers'] = {}
  readonly #chunks: Buffer[] = []
  #size = 0
  #capped = false

  constructor(resolve: (response: RawResponse) => void, reject: (error: unknown) => void, cap: number, deadline: AttemptDeadline) {
    this.#resolve = resolve
    this.#reject = reject
    this.#cap = cap
    this.#deadline = deadline
    deadline.join(this)
  }

  expire(reason: unknown): void {
    // undici rejects with the reason as given; the client recognises this very object.
    if (this.#controller !== undefined) this.#controller.abort(reason as Error)
    else this.#expiredWith = reason
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#expiredWith !== undefined) controller.abort(this.#expiredWith as Error)
    else this.#controller = controller
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: RawResponse['headers']): void {
    // 1xx answers (100 Continue) come before the final one.
    if (statusCode < 200) return
    this.#status = statusCode
    this.#headers = headers
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#capped) return
    const room = this.#cap - this.#size
    if (chunk.length > room) {
      this.#chunks.push(chunk.subarray(0, room))
      this.#size = this.#cap
      this.#capped = true
      controller.abort(CAPPED)
      return
    }
    this.#chunks.push(chunk)
    this.#size += chunk.length
  }

  onResponseEnd(): void {
    this.#deadline.leave(this)
    this.#resolve(this.#answer())
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#deadline.leave(this)
    // The cap aborted the request on purpose: the answer is what was read.
    if (this.#capped) this.#resolve(this.#answer())
    else this.#reject(error)
  }

  #answer(): RawResponse {
    return { status: this.#status, headers: this.#headers, body: decode(this.#chunks, this.#size) }
  }
}

/** The body's bytes as UTF-8 text without a leading byte order mark, as undici's `body.text()` reads them. */
function decode(chunks: readonly Buffer[], size: number): string {
  if (size === 0) return ''
  const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)
  const text = bytes.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
