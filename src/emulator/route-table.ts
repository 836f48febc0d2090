/**
 * Routing: which handler serves a method and path, the route class its faults belong to,
 * whether it needs the API key, and which key Refold's error envelope uses there.
 * Paths are matched segment by segment; `:name` segments capture (URL-decoded).
 */
import type { IncomingMessage } from 'node:http'
import type { ErrorCodeKey } from '../wire/error-envelope.js'
import type { RouteClass } from './types.js'

/** What a handler answers: a status and a JSON body (an already-serialized string is sent as is). */
export interface Reply {
  status: number
  /** A value sent as JSON, or JSON already written (text, its UTF-8 bytes, or `JsonPieces`). */
  body: unknown
  headers?: Record<string, string>
  /** Runs once the change is on disk and the answer sent (e.g. start webhook deliveries). */
  after?: (() => void) | undefined
  /** What the request did, for the request log. */
  note?: string
}

/** What a handler receives. */
export interface RequestInput {
  request: IncomingMessage
  params: Record<string, string>
  query: URLSearchParams
  /** Parsed JSON body, undefined when there was none (or the method takes none). */
  body: unknown
}

export type Handler = (input: RequestInput) => Reply | Promise<Reply>

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** One path and the methods it serves. */
export interface Route {
  path: string
  /** The fault class, or null for the emulator's own routes, which are never faulted. */
  routeClass: RouteClass | null
  auth: boolean
  codeKey: ErrorCodeKey
  methods: Partial<Record<Method, Handler>>
  /** Whether POST bodies may also be multipart/form-data (handed over as a {@link FormBody}). */
  forms?: boolean
}

export type RouteMatch =
  | { kind: 'found'; route: Route; handler: Handler; params: Record<string, string> }
  | { kind: 'wrong-method'; route: Route; allowed: string[] }
  | { kind: 'not-found' }

interface CompiledRoute {
  route: Route
  segments: string[]
}

/** Matches requests against a fixed list of routes; earlier routes win (literal paths before captures). */
export class RouteTable {
  readonly #routes: CompiledRoute[]

  constructor(routes: Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: split(route.path) }))
  }

  match(method: string, path: string): RouteMatch {
    const segments = split(path)
    let wrongMethod: { route: Route; allowed: string[] } | undefined
    for (const { route, segments: pattern } of this.#routes) {
      const params = matchSegments(pattern, segments)
      if (params === null) continue
      const handler = route.methods[method as Method]
      // Another route may serve this method on the same path (Refold's `/event/{x}`: POST
      // fires for an app slug, GET/PUT/DELETE manage an event by id).
      if (handler === undefined) {
        wrongMethod =
          wrongMethod === undefined
            ? { route, allowed: Object.keys(route.methods) }
            : { route: wrongMethod.route, allowed: [...wrongMethod.allowed, ...Object.keys(route.methods)] }
        continue
      }
      return { kind: 'found', route, handler, params }
    }
    return wrongMethod === undefined ? { kind: 'not-found' } : { kind: 'wrong-method', ...wrongMethod }
  }
}

function split(path: string): string[] {
  // A trailing slash is tolerated, as Refold's Express routing does.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.split('/').slice(1)
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!
    const actual = segments[i]!
    if (expected.startsWith(':')) {
      if (actual === '') return null
      try {
        params[expected.slice(1)] = decodeURIComponent(actual)
      } catch {
        return null
      }
    } else if (expected !== actual) {
      return null
    }
  }
  return params
}
