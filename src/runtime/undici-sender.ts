/**
 * The default sender: one undici `Pool` per client, keep-alive, `dispatcher.request()` (not
 * `fetch`, which measured 5-7x slower for this small-request workload).
 *
 * undici is loaded when a client is created, in the background, not when the runtime is
 * imported: it costs tens of milliseconds, and a process that imports generated helpers but
 * never fires should not pay it.
 *
 * Every response body is consumed (read, or destroyed when too large) so no socket is left
 * half-read; reads stop at `maxResponseBytes` so a runaway answer cannot fill memory.
 */
import type { Dispatcher } from 'undici'
import type { AttemptDeadline } from './attempt-deadlines.js'
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

  /** One POST; resolves with whatever status came back, rejects when no answer arrived. */
  async send(path: string, headers: Record<string, string>, body: string, signal: AttemptDeadline): Promise<RawResponse> {
    const dispatcher = this.#dispatcher ?? (await this.#openPool())
    const response = await dispatcher.request({ origin: this.#options.origin, path, method: 'POST', headers, body, signal })
    const text = await readCapped(response.body, this.#options.maxResponseBytes, response.headers['content-length'])
    return { status: response.statusCode, headers: response.headers, body: text }
  }

  /** Closes the own pool after in-flight requests finish; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const dispatcher = this.#dispatcher
    if (dispatcher !== undefined && dispatcher !== this.#options.dispatcher) await dispatcher.close()
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

/**
 * The body as UTF-8 text, at most `cap` bytes of it. A body with a known, small length is read
 * in one go; anything else is streamed and cut off at the cap (which destroys the stream, so
 * undici closes that socket instead of reusing a half-read one).
 */
function readCapped(body: Dispatcher.ResponseData['body'], cap: number, contentLength: string | string[] | undefined): Promise<string> {
  // Not async: on the hot path (a small answer of known length) this saves a promise per fire.
  if (typeof contentLength === 'string' && Number(contentLength) <= cap) return body.text()
  return readStreamed(body, cap)
}

async function readStreamed(body: Dispatcher.ResponseData['body'], cap: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - size
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room))
      break // leaving the loop destroys the body stream
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return Buffer.concat(chunks).toString('utf8')
}
