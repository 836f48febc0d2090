/**
 * The default sender: one undici `Pool` per client, keep-alive, `dispatcher.request()` (not
 * `fetch`, which measured 5-7x slower for this small-request workload).
 *
 * undici is imported on first use, not when the runtime is imported: it costs ~60 ms to load,
 * and a process that imports generated helpers but never fires should not pay it.
 *
 * Every response body is consumed (read, or destroyed when too large) so no socket is left
 * half-read; reads stop at `maxResponseBytes` so a runaway answer cannot fill memory.
 */
import type { Dispatcher } from 'undici'
import { RefoldConfigurationError } from './errors.js'
import type { RawResponse } from './response-error.js'

type Undici = typeof import('undici')

let undiciLoading: Promise<Undici> | undefined

/** Starts (once per process) loading undici; later calls share the same promise. */
export function loadUndici(): Promise<Undici> {
  if (undiciLoading === undefined) {
    undiciLoading = import('undici')
    // A prefetch nobody awaits yet must not become an unhandled rejection; `send` re-awaits it.
    undiciLoading.catch(() => {})
  }
  return undiciLoading
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
    if (options.dispatcher === undefined) void loadUndici()
  }

  /** One POST; resolves with whatever status came back, rejects when no answer arrived. */
  async send(path: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<RawResponse> {
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
    const { Pool } = await loadUndici()
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
async function readCapped(body: Dispatcher.ResponseData['body'], cap: number, contentLength: string | string[] | undefined): Promise<string> {
  if (typeof contentLength === 'string' && Number(contentLength) <= cap) return body.text()
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
