/**
 * What every request goes through: routing (404 and 405 envelopes), the API key (401),
 * faults of its route class (latency, 429, 500/503, dropped connections), the JSON body
 * (413, 415, 400), the handler, and, for writes, the wait until the change is on disk.
 * Nothing a client sends can crash it: every failure becomes Refold's error envelope.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorCodeKey } from '../wire/error-envelope.js'
import { ApiError } from './api-error.js'
import type { FailStatus, FaultDecision, FaultInjector } from './faults.js'
import { newObjectId } from './object-id.js'
import { readJsonBody, RequestAborted } from './read-body.js'
import { JsonPieces } from './json-pieces.js'
import type { Reply, RouteTable } from './route-table.js'
import type { RouteClass } from './types.js'

/** One line of the request log (the CLI prints these unless `--quiet`). */
export interface RequestLogEntry {
  method: string
  path: string
  /** The status answered, or `dropped` when the connection was cut on purpose. */
  status: number | 'dropped'
  durationMs: number
  routeClass: RouteClass | null
  /** The injected fault, when there was one. */
  fault?: 'latency' | 'rate-limit' | 'fail' | 'drop-before' | 'drop-after'
  /** What the request did (a fire's runs), or why it failed. */
  note?: string
}

export interface PipelineDependencies {
  routes: RouteTable
  faults: FaultInjector
  apiKey: string
  maxBodyBytes: number
  /** Status of a rate-limit refusal: 429, or the 403 "Rate Limit Hit" of Refold's older overview. */
  rateLimitStatus: 429 | 403
  /** Resolves once every change made so far is persisted. */
  commit: () => Promise<void>
  log?: ((entry: RequestLogEntry) => void) | undefined
}

/** A request listener for `http.createServer`, with a count of requests in progress. */
export function createPipeline(deps: PipelineDependencies): {
  listener: (request: IncomingMessage, response: ServerResponse) => void
  inFlight: () => number
} {
  const keyDigest = digest(deps.apiKey)
  let inFlight = 0
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    inFlight++
    request.on('error', () => {}) // a client that hangs up mid-request is not an error of ours
    void handle(deps, keyDigest, request, response).finally(() => inFlight--)
  }
  return { listener, inFlight: () => inFlight }
}

async function handle(deps: PipelineDependencies, keyDigest: Buffer, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now()
  const url = request.url ?? '/'
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const method = request.method ?? 'GET'
  let codeKey: ErrorCodeKey = 'error_code'
  let routeClass: RouteClass | null = null
  let fault: RequestLogEntry['fault']
  let status: RequestLogEntry['status'] = 500
  let note: string | undefined
  try {
    const match = deps.routes.match(method, path)
    if (match.kind === 'not-found') throw new ApiError(404, 'ROUTE_NOT_FOUND', `Cannot ${method} ${path}`)
    codeKey = match.route.codeKey
    if (match.kind === 'wrong-method') {
      const allow = match.allowed.join(', ')
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path} (allowed: ${allow})`, { headers: { allow } })
    }
    routeClass = match.route.routeClass
    if (match.route.auth) authenticate(request, keyDigest)

    let decision: FaultDecision = { delayMs: 0, outcome: 'pass' }
    if (routeClass !== null) {
      decision = deps.faults.decide(routeClass)
      if (decision.delayMs > 0) {
        fault = 'latency'
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs))
      }
      const token = deps.faults.takeToken(routeClass, Date.now())
      if (!token.ok) {
        fault = 'rate-limit'
        throw rateLimited(deps.faults, token.retryAfterMs, deps.rateLimitStatus)
      }
      if (decision.outcome === 'drop-before') {
        fault = 'drop-before'
        status = 'dropped'
        request.socket.destroy()
        return
      }
      if (decision.outcome === 'fail') {
        fault = 'fail'
        throw injectedFailure(decision.status)
      }
    }

    const body =
      method === 'POST' || method === 'PUT'
        ? await readJsonBody(request, deps.maxBodyBytes, method === 'POST' && match.route.forms === true)
        : undefined
    const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1))
    const reply: Reply = await match.handler({ request, params: match.params, query, body })
    note = reply.note
    if (method !== 'GET') await deps.commit().catch((error: Error) => Promise.reject(new ApiError(500, 'STATE_NOT_SAVED', error.message)))
    if (decision.outcome === 'drop-after') {
      // The change is made and saved; only the answer is lost, as when a network drops a reply.
      fault = 'drop-after'
      status = 'dropped'
      request.socket.destroy()
    } else {
      status = reply.status
      send(response, reply.status, reply.body, reply.headers)
    }
    reply.after?.()
  } catch (error) {
    if (error instanceof RequestAborted) {
      status = 'dropped'
      return
    }
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(500, 'INTERNAL_SERVER_ERROR', `The emulator failed on this request: ${(error as Error)?.message ?? String(error)}`)
    status = apiError.status
    note = apiError.message
    sendError(request, response, apiError, codeKey)
  } finally {
    deps.log?.({
      method,
      path,
      status,
      durationMs: performance.now() - started,
      routeClass,
      ...(fault === undefined ? {} : { fault }),
      ...(note === undefined ? {} : { note }),
    })
  }
}

/** 401 unless `x-api-key` is the emulator's key (compared in constant time). */
function authenticate(request: IncomingMessage, keyDigest: Buffer): void {
  const given = request.headers['x-api-key']
  if (given === undefined || given === '') {
    const why = request.headers.authorization === undefined ? '' : ' (session tokens are not supported by the emulator; send the API key)'
    throw new ApiError(401, 'UNAUTHORIZED', `Missing x-api-key header${why}`)
  }
  const value = Array.isArray(given) ? given[0]! : given
  if (!timingSafeEqual(digest(value), keyDigest)) throw new ApiError(401, 'UNAUTHORIZED', 'Invalid API key')
}

function rateLimited(faults: FaultInjector, retryAfterMs: number, status: 429 | 403): ApiError {
  const { rateLimit, burst } = faults.options
  const [code, words] = status === 403 ? ['RATE_LIMIT_HIT', 'Rate Limit Hit'] : ['RATE_LIMIT_EXCEEDED', 'Rate limit exceeded']
  return new ApiError(status, code, `${words}: ${rateLimit} requests per second, bursts of ${burst}; retry in ${retryAfterMs} ms`, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'retry-after-ms': String(retryAfterMs) },
  })
}

const INJECTED: Record<FailStatus, [code: string, message: string]> = {
  500: ['INTERNAL_SERVER_ERROR', 'Internal server error'],
  502: ['BAD_GATEWAY', 'Bad gateway'],
  503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
  504: ['GATEWAY_TIMEOUT', 'Gateway timeout'],
}

function injectedFailure(status: FailStatus): ApiError {
  const [code, message] = INJECTED[status]
  return new ApiError(status, code, `${message} (injected by the emulator)`, status === 503 ? { headers: { 'retry-after': '1' } } : {})
}

/** `body`: JSON text, its UTF-8 bytes or {@link JsonPieces} (sent as they are), or a value to serialise. */
function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = typeof body === 'string' || Buffer.isBuffer(body) || body instanceof JsonPieces ? body : JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': data instanceof JsonPieces ? data.byteLength : Buffer.byteLength(data),
    'x-request-id': newObjectId(),
  })
  if (!(data instanceof JsonPieces)) {
    response.end(data)
    return
  }
  // Corked, the pieces leave in one vectored write.
  response.cork()
  for (const piece of data.pieces) response.write(piece)
  response.end()
}

function sendError(request: IncomingMessage, response: ServerResponse, error: ApiError, codeKey: ErrorCodeKey): void {
  if (response.headersSent || response.destroyed) return
  const headers = { ...error.headers }
  if (error.status === 413) {
    // Stop reading the oversized body: answer, then close the connection.
    headers.connection = 'close'
    response.once('finish', () => request.socket.destroySoon())
    request.resume()
  }
  send(response, error.status, error.toEnvelope(codeKey), headers)
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
