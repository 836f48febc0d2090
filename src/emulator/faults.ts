/**
 * Fault injection: added latency, 500/503 answers, dropped connections and a token-bucket
 * rate limit, each aimed at route classes so a test can fault the events API and not the
 * fire route. Random faults come from one seeded PRNG stream per route class, and every
 * request draws the same number of values, so a given seed and request order always give
 * the same fault sequence, whatever the outcomes and whatever the other classes do.
 */
import { ROUTE_CLASSES, type RouteClass } from './types.js'

/** Fault settings; every rate is a probability in [0, 1]. */
export interface FaultOptions {
  /** Added latency per request, drawn uniformly from [min, max] milliseconds. */
  latencyMs: readonly [number, number]
  /** Share of requests answered with a 5xx from `failStatuses` (equally often) before they take effect. */
  failRate: number
  /** Statuses of injected failures. Default 500 and 503. */
  failStatuses: readonly FailStatus[]
  /** Share of connections destroyed without an answer: half before the request takes effect, half after. */
  dropRate: number
  /** Requests per second allowed per route class (token bucket); null for no limit. */
  rateLimit: number | null
  /** Bucket size: requests allowed at once beyond the steady rate. Refold documents 5. */
  burst: number
  /** Route classes the faults apply to. */
  routes: readonly RouteClass[]
  /** Seed of the fault PRNG streams. */
  seed: number
}

/** Server errors the emulator can inject. */
export type FailStatus = 500 | 502 | 503 | 504
export const FAIL_STATUSES: readonly FailStatus[] = [500, 502, 503, 504]

/** What happens to one request: its added latency, and whether it passes, fails or is dropped. */
export type FaultDecision =
  | { delayMs: number; outcome: 'pass' | 'drop-before' | 'drop-after' }
  | { delayMs: number; outcome: 'fail'; status: FailStatus }

/** Defaults: no faults, Refold's documented burst, every route class. */
export function defaultFaultOptions(seed: number): FaultOptions {
  return { latencyMs: [0, 0], failRate: 0, failStatuses: [500, 503], dropRate: 0, rateLimit: null, burst: 5, routes: ROUTE_CLASSES, seed }
}

/** Decides the faults of each request; holds the PRNG streams and the token buckets. */
export class FaultInjector {
  #options: FaultOptions
  #streams = new Map<RouteClass, () => number>()
  #buckets = new Map<RouteClass, { tokens: number; at: number }>()

  constructor(options: FaultOptions) {
    this.#options = options
  }

  get options(): FaultOptions {
    return this.#options
  }

  /** Change settings; a new seed restarts every stream, a new rate limit refills the buckets. */
  update(changes: Partial<FaultOptions>): FaultOptions {
    const next = { ...this.#options, ...changes }
    validateFaultOptions(next)
    if (next.seed !== this.#options.seed) this.#streams.clear()
    if (next.rateLimit !== this.#options.rateLimit || next.burst !== this.#options.burst) this.#buckets.clear()
    this.#options = next
    return next
  }

  /** Whether faults apply to this route class at all. */
  applies(routeClass: RouteClass): boolean {
    return this.#options.routes.includes(routeClass)
  }

  /** Draw the random faults of the next request of `routeClass`: always three values. */
  decide(routeClass: RouteClass): FaultDecision {
    if (!this.applies(routeClass)) return { delayMs: 0, outcome: 'pass' }
    const next = this.#stream(routeClass)
    const [latency, fault, kind] = [next(), next(), next()]
    const [min, max] = this.#options.latencyMs
    const delayMs = min + Math.floor(latency * (max - min + 1))
    const { dropRate, failRate, failStatuses } = this.#options
    if (fault < dropRate) return { delayMs, outcome: kind < 0.5 ? 'drop-before' : 'drop-after' }
    if (fault < dropRate + failRate) return { delayMs, outcome: 'fail', status: failStatuses[Math.floor(kind * failStatuses.length)]! }
    return { delayMs, outcome: 'pass' }
  }

  /** Take a token for a request of `routeClass`; when none is left, how long until one is. */
  takeToken(routeClass: RouteClass, nowMs: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const { rateLimit, burst } = this.#options
    if (rateLimit === null || !this.applies(routeClass)) return { ok: true }
    let bucket = this.#buckets.get(routeClass)
    if (bucket === undefined) {
      bucket = { tokens: burst, at: nowMs }
      this.#buckets.set(routeClass, bucket)
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * rateLimit)
    bucket.at = nowMs
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / rateLimit) * 1000) }
  }

  #stream(routeClass: RouteClass): () => number {
    let stream = this.#streams.get(routeClass)
    if (stream === undefined) {
      stream = sfc32(this.#options.seed, routeClass)
      this.#streams.set(routeClass, stream)
    }
    return stream
  }
}

/** Throws a plain Error naming the first setting out of range. */
export function validateFaultOptions(options: FaultOptions): void {
  const rate = (name: string, value: number): void => {
    if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}`)
  }
  rate('fail rate', options.failRate)
  rate('drop rate', options.dropRate)
  if (options.failRate + options.dropRate > 1) throw new Error('fail rate and drop rate together must not exceed 1')
  if (options.failStatuses.length === 0 || !options.failStatuses.every((status) => FAIL_STATUSES.includes(status))) {
    throw new Error(`fail statuses must be some of ${FAIL_STATUSES.join(', ')}, got ${options.failStatuses.join(', ') || 'none'}`)
  }
  const [min, max] = options.latencyMs
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max >= min)) {
    throw new Error(`latency must be whole milliseconds, MIN <= MAX, got ${min}-${max}`)
  }
  if (options.rateLimit !== null && !(options.rateLimit > 0 && Number.isFinite(options.rateLimit))) {
    throw new Error(`rate limit must be a positive number of requests per second, got ${options.rateLimit}`)
  }
  if (!(Number.isInteger(options.burst) && options.burst >= 1)) throw new Error(`burst must be a whole number >= 1, got ${options.burst}`)
  for (const route of options.routes) {
    if (!ROUTE_CLASSES.includes(route)) throw new Error(`unknown route class "${route}" (expected ${ROUTE_CLASSES.join(', ')})`)
  }
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be a whole number, got ${options.seed}`)
}

/**
 * sfc32, a small fast PRNG with good statistical quality, seeded from the seed and the
 * route class name (so each class has its own independent stream).
 */
function sfc32(seed: number, salt: string): () => number {
  let h = 0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32)
  const mix = (text: string): number => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    h ^= h >>> 15
    return h >>> 0
  }
  let a = mix(salt)
  let b = mix(`${salt}:b`)
  let c = mix(`${salt}:c`)
  let d = mix(`${salt}:d`) | 1
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next() // discard the first outputs, which echo the seed
  return next
}
