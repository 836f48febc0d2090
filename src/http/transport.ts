/**
 * The seam between the client and the wire. The client builds the request, validates, limits
 * the rate, retries and maps answers to typed errors; a {@link Transport} only moves one
 * request and returns one answer. The default is undici (see `undici-sender.ts`); a team can
 * plug in another sender, for example Refold's own SDK, and keep the generated helpers' types,
 * validation and error mapping.
 */

/** One HTTP attempt, as handed to a transport. */
export interface TransportRequest {
  /** Full URL, e.g. `https://app.refold.ai/api/v2/public/event/hubspot`. */
  url: string
  method: 'POST'
  /**
   * Headers to send: `content-type`, `linked_account_id`, `x-api-key` (absent when the client
   * has no key), and when given `config_id`, `instance_tag` and the idempotency header.
   * Contains the API key: never log it.
   */
  headers: Readonly<Record<string, string>>
  /** The exact JSON body, `{"event":…,"payload":…}`, to send as UTF-8. */
  body: string
  /** The same request as data, for senders with their own API (an SDK's `event()` call). */
  event: string
  payload: unknown
  linkedAccountId: string
  slug: string | undefined
  configId: string | undefined
  instanceTag: string | undefined
  idempotencyKey: string | undefined
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number
  /** Aborted when the attempt's `timeoutMs` runs out; a transport should stop then. */
  signal: AbortSignal
}

/** A transport's answer. A thrown error means no answer (see {@link Transport}). */
export interface TransportResponse {
  status: number
  /** Response headers with lower-case names (`retry-after`, `x-request-id` are read). */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>
  /** The body as text (the client reads Refold's JSON message or error envelope from it). */
  body?: string
}

/**
 * Sends one attempt. Resolve with whatever status came back (the client maps 4xx/5xx to typed
 * errors and decides on retries). Reject only when there is no answer: with an error whose
 * `code` is `ECONNREFUSED` (or another connect-phase code) when nothing was sent, so the client
 * may retry safely; any other rejection counts as "may have been sent". A rejection that is
 * already a `RefoldError` is passed through unchanged.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

/**
 * Error codes meaning the connection failed before a byte of the request was written, so
 * Refold cannot have seen it, and a retry may succeed. `ENOTFOUND` is in
 * {@link UNRESOLVED_HOST_CODES} instead: nothing was sent either, but a misspelt host does not
 * heal on retry.
 */
export const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
])

/**
 * The host name did not resolve (DNS answered "no such name"): nothing can have been sent, and
 * retrying a misspelt host only delays the error. (`EAI_AGAIN`, a DNS server that did not
 * answer, is a {@link CONNECT_PHASE_CODES} code: that one may heal.)
 */
export const UNRESOLVED_HOST_CODES: ReadonlySet<string> = new Set(['ENOTFOUND'])

/** Whether an error code means the request cannot have reached the server. */
export function nothingSent(code: string | undefined): boolean {
  return code !== undefined && (CONNECT_PHASE_CODES.has(code) || UNRESOLVED_HOST_CODES.has(code))
}
