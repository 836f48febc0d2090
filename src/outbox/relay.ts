/**
 * The relay: takes committed fires from a store and sends them to Refold. Run it in process
 * (`startRelay()`), or as its own process (`refold-events relay`); any number of relays may
 * share one store.
 *
 * Per claim it leases at most one fire per linked account (the oldest unfinished one), so each
 * account's fires go out in creation order; up to `concurrency` accounts are served at once.
 * Before each HTTP attempt it takes a token from the rate limit stored with the fires, shared by
 * every relay on the store. A fire is marked delivered only after Refold answered 2xx; a
 * failure is retried, or parked as a dead letter (see `delivery-decision.ts`). A relay killed
 * mid-send loses nothing: its leases run out and another relay sends those fires again, with
 * the same idempotency key.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createClient } from '../runtime/client.js'
import { CLIENT_DEFAULTS, type ClientOptions, type RefoldClient } from '../runtime/client-options.js'
import { REFOLD_RATE_LIMIT } from '../http/rate-limiter.js'
import { decideAfterFailure, failureOf, resolveRelayRetry, type RelayRetryOptions } from './delivery-decision.js'
import { DeliveredBatch } from './delivered-batch.js'
import { OutboxError } from './outbox-errors.js'
import { SharedTokens } from './shared-tokens.js'
import { DEFAULT_LEASE_MS, effectiveIdempotencyKey, type OutboxStore, type SharedRateLimit } from './outbox-store.js'
import type { OutboxFailure, OutboxRecord } from './outbox-types.js'

/** Options of {@link startRelay}. */
export interface RelayOptions {
  store: OutboxStore
  /**
   * The client that sends. Default: one built from `clientOptions` with `retry: false` and
   * `validate: 'off'` (the relay owns retries; payloads were validated when recorded).
   */
  client?: RefoldClient | undefined
  /** Options of the default client (API key, base URL, timeout, ...). */
  clientOptions?: ClientOptions | undefined
  /** Fires (of different accounts) in flight at once in this relay. Default 8. */
  concurrency?: number | undefined
  /** Requests per second of all relays on the store together; `false`: none. Default Refold's documented 20/s, burst 5. */
  rateLimit?: SharedRateLimit | false | undefined
  /** How long a claimed fire stays leased to this relay. Default 60000 ms. */
  leaseMs?: number | undefined
  /** Wait between claims when nothing is due: the latency of a fire committed elsewhere (another process, a caller's transaction) while the relay is idle. Default 100 ms. */
  pollIntervalMs?: number | undefined
  /** Retry and dead-letter rules. */
  retry?: RelayRetryOptions | undefined
  /**
   * Names events had before a rename, by current name (the generated index's
   * `eventPreviousNames`): a fire recorded under the new name goes out under a previous one
   * while Refold answers 404 `INVALID_EVENT` for the new one, as the generated helpers do.
   */
  previousNames?: Readonly<Record<string, readonly string[] | undefined>> | undefined
  /** Receives what happens to each fire (for logs and progress). */
  onEvent?: ((event: RelayEvent) => void) | undefined
  /** Jitter source in `[0, 1)`. Default `Math.random`. */
  random?: (() => number) | undefined
}

/** One thing that happened to a fire. */
export type RelayEvent =
  | { type: 'delivered'; record: OutboxRecord }
  | { type: 'retry'; record: OutboxRecord; failure: OutboxFailure; delayMs: number }
  | { type: 'dead'; record: OutboxRecord; failure: OutboxFailure }
  /** The lease ran out before the answer came; another relay owns the fire now. */
  | { type: 'lease_lost'; record: OutboxRecord }
  /** The store failed (the relay keeps going and tries again). */
  | { type: 'store_error'; error: unknown }

/** Counts since the relay started. */
export interface RelayStats {
  delivered: number
  retried: number
  dead: number
  leaseLost: number
}

/** A running relay. */
export interface Relay {
  /** This relay's id (`host:pid:random`); each claim's lease owner is `<id>/<n>`. */
  readonly owner: string
  readonly stats: Readonly<RelayStats>
  /**
   * Resolves once no fire is due and none is in flight in this relay (fires waiting for a
   * backoff are not waited for). For scripts and tests.
   */
  idle(): Promise<void>
  /** Stops claiming, waits for fires in flight, closes the client it created. Leaves the store open. */
  stop(): Promise<void>
}

/** Starts a relay loop over `options.store`. */
export function startRelay(options: RelayOptions): Relay {
  return new RelayLoop(options)
}

class RelayLoop implements Relay {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  readonly stats: RelayStats = { delivered: 0, retried: 0, dead: 0, leaseLost: 0 }
  readonly #store: OutboxStore
  readonly #client: RefoldClient
  readonly #ownsClient: boolean
  readonly #concurrency: number
  readonly #rateLimit: SharedRateLimit | false
  readonly #leaseMs: number
  readonly #pollMs: number
  readonly #retry: Required<RelayRetryOptions>
  readonly #onEvent: (event: RelayEvent) => void
  readonly #random: () => number
  readonly #active = new Set<Promise<void>>()
  readonly #previousNames: ReadonlyMap<string, readonly string[] | undefined>
  readonly #idleWaiters: Array<() => void> = []
  #stopping = false
  #claims = 0
  /** The longest one send can take: it must end before its lease does. */
  readonly #sendBudgetMs: number
  #wake: (() => void) | undefined
  #wokenEarly = false
  readonly #tokens: SharedTokens | undefined
  readonly #delivered: DeliveredBatch
  readonly #loop: Promise<void>
  readonly #unsubscribe: () => void

  constructor(options: RelayOptions) {
    this.#store = options.store
    this.#ownsClient = options.client === undefined
    this.#client = options.client ?? createClient({ ...options.clientOptions, retry: false, validate: 'off' })
    this.#concurrency = positiveInteger('concurrency', options.concurrency, 8)
    this.#rateLimit = options.rateLimit === undefined ? REFOLD_RATE_LIMIT : options.rateLimit
    if (this.#rateLimit !== false && !(this.#rateLimit.perSecond > 0 && this.#rateLimit.burst >= 1)) {
      throw new OutboxError('invalid_argument', 'rateLimit needs perSecond > 0 and burst >= 1')
    }
    this.#leaseMs = positiveInteger('leaseMs', options.leaseMs, DEFAULT_LEASE_MS)
    // A given client's timeout is unknown: then half the lease is the budget.
    this.#sendBudgetMs = options.client === undefined ? (options.clientOptions?.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs) : this.#leaseMs / 2
    if (this.#sendBudgetMs >= this.#leaseMs) {
      throw new OutboxError(
        'invalid_argument',
        `leaseMs (${this.#leaseMs}) must be longer than the client's timeoutMs (${this.#sendBudgetMs}): a send must end before its lease`,
      )
    }
    this.#pollMs = positiveInteger('pollIntervalMs', options.pollIntervalMs, 100)
    this.#retry = resolveRelayRetry(options.retry)
    this.#onEvent = options.onEvent ?? (() => {})
    // A Map: an event may be called like an Object.prototype member.
    this.#previousNames = new Map(Object.entries(options.previousNames ?? {}))
    this.#random = options.random ?? Math.random
    this.#tokens =
      this.#rateLimit === false
        ? undefined
        : new SharedTokens(this.#store, this.#rateLimit, this.#random, (error) => this.#onEvent({ type: 'store_error', error }))
    this.#delivered = new DeliveredBatch(this.#store, 5, this.#concurrency)
    // A fire committed through this very store object is claimed at once, not at the next poll.
    this.#unsubscribe = this.#store.onCommitted(() => this.#signal())
    this.#loop = this.#run()
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve)
      this.#signal()
    })
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#unsubscribe()
    this.#tokens?.close()
    this.#signal()
    await this.#loop
    if (this.#ownsClient) await this.#client.close()
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const free = this.#concurrency - this.#active.size
      let claimed: OutboxRecord[] = []
      let lease = ''
      let storeFailed = false
      // Claims refill half the slots or more at once: a claim is a commit, and one per
      // finished fire would bound the relay by the database's fsync rate.
      if (free > 0 && (free * 2 >= this.#concurrency || this.#active.size === 0)) {
        try {
          // Each claim is its own lease: a fire this relay claims again (its earlier lease ran
          // out while it waited) cannot be finished or handed back through the stale one.
          lease = `${this.owner}/${++this.#claims}`
          claimed = await this.#store.claim({ limit: free, leaseMs: this.#leaseMs, owner: lease })
        } catch (error) {
          storeFailed = true
          this.#onEvent({ type: 'store_error', error })
        }
      }
      for (const record of claimed) {
        const delivery = this.#deliver(record, lease).finally(() => {
          this.#active.delete(delivery)
          this.#signal()
        })
        this.#active.add(delivery)
      }
      // A failed claim is not "nothing due": idle() waits until the store answers again.
      if (claimed.length === 0 && this.#active.size === 0 && !storeFailed) {
        for (const resolve of this.#idleWaiters.splice(0)) resolve()
      }
      // Claim again at once while there was work and room; otherwise wait for a free slot or the
      // poll interval (a second after a store failure, so an outage of the database is not hammered).
      if (claimed.length > 0 && this.#active.size < this.#concurrency) continue
      await this.#sleep(storeFailed ? Math.max(this.#pollMs, 1_000) : this.#pollMs)
    }
    await Promise.all(this.#active)
  }

  /** Wakes the loop, or makes its next sleep return at once when it is not sleeping. */
  #signal(): void {
    if (this.#wake !== undefined) this.#wake()
    else this.#wokenEarly = true
  }

  /** Sleeps up to `ms`, cut short by a finished delivery, `idle()` or `stop()`. */
  #sleep(ms: number): Promise<void> {
    if (this.#wokenEarly) {
      this.#wokenEarly = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const self = this
      function done(): void {
        clearTimeout(timer)
        self.#wake = undefined
        resolve()
      }
      this.#wake = done
    })
  }

  async #deliver(record: OutboxRecord, lease: string): Promise<void> {
    const claimedAt = Date.now()
    try {
      const granted = this.#tokens === undefined ? !this.#stopping : await this.#tokens.take()
      // Stopping, or the token came so late (a long Retry-After pause) that the lease could run
      // out mid-request and another relay send the fire too: hand it back untouched, no attempt spent.
      if (!granted || Date.now() - claimedAt + this.#sendBudgetMs > this.#leaseMs) {
        const why = granted ? 'the lease ran short while waiting for the rate limit' : 'the relay stopped before sending'
        await this.#store.reschedule(record.id, lease, record.lastError ?? { name: 'RelayReleased', message: why }, 0, false)
        return
      }
      let failure: unknown
      let sent = false
      try {
        await this.#client.fire({
          event: record.event,
          linkedAccountId: record.linkedAccountId,
          payload: JSON.parse(record.payloadJson) as unknown,
          idempotencyKey: effectiveIdempotencyKey(record),
          previousNames: this.#previousNames.get(record.event),
          ...(record.slug === null ? {} : { slug: record.slug }),
          ...(record.configId === null ? {} : { configId: record.configId }),
          ...(record.instanceTag === null ? {} : { instanceTag: record.instanceTag }),
        })
        sent = true
      } catch (error) {
        failure = error
      }
      if (sent) {
        if (await this.#delivered.mark(record.id, lease)) {
          this.stats.delivered++
          this.#onEvent({ type: 'delivered', record })
        } else this.#leaseLost(record)
        return
      }
      await this.#failed(record, lease, failure)
    } catch (error) {
      // The store failed mid-delivery: the lease runs out and the fire is claimed again.
      this.#onEvent({ type: 'store_error', error })
    }
  }

  async #failed(record: OutboxRecord, lease: string, error: unknown): Promise<void> {
    const decision = decideAfterFailure(error, record.attempts, this.#retry, this.#random)
    if (decision.action === 'dead') {
      const failure = failureOf(error, decision.reason === 'too_many_attempts' ? `gave up after ${record.attempts} attempts` : undefined)
      if (await this.#store.bury(record.id, lease, failure)) {
        this.stats.dead++
        this.#onEvent({ type: 'dead', record, failure })
      } else this.#leaseLost(record)
      return
    }
    const failure = failureOf(error)
    if (decision.pauseAllMs !== undefined && decision.pauseAllMs > 0) await this.#store.pauseSending(decision.pauseAllMs)
    if (await this.#store.reschedule(record.id, lease, failure, decision.delayMs, decision.countAttempt)) {
      this.stats.retried++
      this.#onEvent({ type: 'retry', record, failure, delayMs: decision.delayMs })
    } else this.#leaseLost(record)
  }

  #leaseLost(record: OutboxRecord): void {
    this.stats.leaseLost++
    this.#onEvent({ type: 'lease_lost', record })
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0)
    throw new OutboxError('invalid_argument', `${name} must be a positive integer, got ${String(value)}`)
  return value
}
