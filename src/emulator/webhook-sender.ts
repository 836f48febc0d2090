/**
 * "Workflow Completed" / "Workflow Errored" webhooks, as Refold sends them
 * (docs.refold.ai "Webhooks"): a JSON body `{linked_account_id, instance_id, workflow_id,
 * config_id, event, workflow_name, status, environment}`, signed in `x-cobalt-signature`
 * with the hex HMAC-SHA256 of the raw body keyed with the API key; a non-2xx answer or a
 * network error is retried up to 3 times with exponential backoff. Deliveries run in the
 * background and never hold up the fire that caused them.
 */
import { WEBHOOK_SIGNATURE_HEADER, type WorkflowCompletedWebhook, type WorkflowErroredWebhook, webhookDigest } from '../wire/webhooks.js'
import type { EmulatorState } from './emulator-state.js'
import { newObjectId } from './object-id.js'
import type { RunRecord, WebhookDelivery } from './types.js'

/** Retries after the first attempt, as Refold documents. */
const WEBHOOK_RETRIES = 3

export interface WebhookSenderOptions {
  url: string
  /** The API key: the HMAC secret. Kept private; never logged or stored. */
  secret: string
  environment: 'test' | 'production'
  /** Delay before the first retry; doubles for each next one. */
  backoffMs: number
  timeoutMs: number
}

/** `url` with any `user:password@` masked, for records and output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.username === '' && parsed.password === '') return url
    parsed.username = '***'
    parsed.password = ''
    return parsed.toString()
  } catch {
    return url
  }
}

/** The signature Refold puts in `x-cobalt-signature`. */
export function signWebhook(body: string, secret: string): string {
  return webhookDigest(body, secret).toString('hex')
}

/** Delivers the webhooks of finished runs to one URL, recording each attempt in the state. */
export class WebhookSender {
  readonly #options: WebhookSenderOptions
  readonly #state: EmulatorState
  readonly #stop = new AbortController()
  readonly #inFlight = new Set<Promise<void>>()
  /** The URL without credentials (fetch refuses them) and, when it had some, their Basic header. */
  readonly #target: string
  readonly #headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'refold-events-emulator' }

  constructor(options: WebhookSenderOptions, state: EmulatorState) {
    this.#options = options
    this.#state = state
    const url = new URL(options.url)
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      this.#headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
      url.username = ''
      url.password = ''
    }
    this.#target = url.toString()
  }

  /** Queue the webhook of a finished run. */
  send(run: RunRecord): void {
    if (this.#stop.signal.aborted) return
    const completed = run.status === 'COMPLETED'
    // Key order as Refold writes it; `event` and `status` agree (both from the run's status).
    const webhook = {
      linked_account_id: run.linked_account_id,
      instance_id: run.id,
      workflow_id: run.workflow_id,
      config_id: run.config_id,
      event: completed ? 'Workflow Completed' : 'Workflow Errored',
      workflow_name: run.workflow_name,
      status: run.status,
      environment: this.#options.environment,
    } as WorkflowCompletedWebhook | WorkflowErroredWebhook
    const event = webhook.event
    const body = JSON.stringify(webhook)
    const delivery: WebhookDelivery = {
      id: newObjectId(),
      run_id: run.id,
      url: redactUrl(this.#options.url),
      event,
      body,
      state: 'pending',
      attempts: [],
    }
    this.#state.addDelivery(delivery)
    const task = this.#deliver(delivery).finally(() => this.#inFlight.delete(task))
    this.#inFlight.add(task)
  }

  /** Resolves when every queued delivery has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }

  /** Abandon pending retries and abort requests in flight. */
  async close(): Promise<void> {
    this.#stop.abort()
    await this.idle()
  }

  async #deliver(delivery: WebhookDelivery): Promise<void> {
    const signature = signWebhook(delivery.body, this.#options.secret)
    for (let attempt = 0; attempt <= WEBHOOK_RETRIES; attempt++) {
      if (attempt > 0 && !(await this.#sleep(this.#options.backoffMs * 2 ** (attempt - 1)))) break
      const started = Date.now()
      let status: number | null = null
      let error: string | null = null
      try {
        const response = await fetch(this.#target, {
          method: 'POST',
          headers: { ...this.#headers, [WEBHOOK_SIGNATURE_HEADER]: signature },
          body: delivery.body,
          redirect: 'manual',
          signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        })
        status = response.status
        await response.body?.cancel()
      } catch (cause) {
        error = this.#stop.signal.aborted ? 'emulator shut down' : describeFailure(cause)
      }
      delivery.attempts.push({ at: new Date(started).toISOString(), status, error, duration_ms: Date.now() - started })
      if (status !== null && status >= 200 && status < 300) {
        delivery.state = 'delivered'
        this.#state.deliveryChanged()
        return
      }
      this.#state.deliveryChanged()
      if (this.#stop.signal.aborted) break
    }
    delivery.state = this.#stop.signal.aborted ? 'abandoned' : 'failed'
    this.#state.deliveryChanged()
  }

  /** Wait `ms`; false when the sender was closed meanwhile. */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#stop.signal
    if (signal.aborted) return Promise.resolve(false)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve(true)
      }, ms)
      const onAbort = (): void => {
        clearTimeout(timer)
        resolve(false)
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}

function describeFailure(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return 'timed out'
    const code = (cause.cause as NodeJS.ErrnoException | undefined)?.code
    return code === undefined ? cause.message : `${cause.message} (${code})`
  }
  return String(cause)
}
