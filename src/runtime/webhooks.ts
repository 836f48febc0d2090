/**
 * Webhooks Refold sends back, typed. Shapes from Refold's docs ("Webhooks" → event types,
 * docs.refold.ai/build/basics/webhooks): five events, told apart by `event`.
 *
 *     Workflow Completed / Workflow Errored:
 *       {linked_account_id, instance_id, workflow_id, config_id, event, workflow_name,
 *        status: "COMPLETED" | "ERRORED", environment?}
 *     Connection Created / Deleted / Expired:
 *       {linked_account_id, org_id, environment, type: "General", event, slug, createdAt}
 *
 * `parseWebhook` verifies the signature, then checks the shape by hand (no ajv: the runtime
 * stays small). Fields beyond these are kept in the returned object but not typed, so a field
 * Refold adds later does not break parsing.
 */
import { RefoldError } from './errors.js'
import { verifyWebhookSignature, type SignatureHeader } from './webhook-signature.js'

interface WorkflowWebhookFields {
  linked_account_id: string
  instance_id: string
  workflow_id: string
  config_id: string
  workflow_name: string
  /** `test` or `live`, when Refold includes it. */
  environment?: string
}

/** A workflow run finished successfully. Deduplicate redeliveries on `instance_id`. */
export interface WorkflowCompletedWebhook extends WorkflowWebhookFields {
  event: 'Workflow Completed'
  status: 'COMPLETED'
}

/** A workflow run stopped with an error. */
export interface WorkflowErroredWebhook extends WorkflowWebhookFields {
  event: 'Workflow Errored'
  status: 'ERRORED'
}

interface ConnectionWebhookFields {
  linked_account_id: string
  /** The app, e.g. `hubspot`. */
  slug: string
  org_id?: string
  /** `test` or `live`. */
  environment?: string
  /** `General` in every documented example. */
  type?: string
  /** When it happened, as Refold writes it (`Tue, 07 Nov 2023 08:03:27 GMT`). */
  createdAt?: string
}

/** A linked account connected an app. */
export interface ConnectionCreatedWebhook extends ConnectionWebhookFields {
  event: 'Connection Created'
}

/** A linked account disconnected an app. */
export interface ConnectionDeletedWebhook extends ConnectionWebhookFields {
  event: 'Connection Deleted'
}

/** An app's authentication expired: prompt the customer to reconnect. */
export interface ConnectionExpiredWebhook extends ConnectionWebhookFields {
  event: 'Connection Expired'
}

/** Any webhook Refold sends; switch on `event`. */
export type RefoldWebhook =
  | WorkflowCompletedWebhook
  | WorkflowErroredWebhook
  | ConnectionCreatedWebhook
  | ConnectionDeletedWebhook
  | ConnectionExpiredWebhook

/** The `event` names of Refold webhooks. */
export type RefoldWebhookEvent = RefoldWebhook['event']

/** Every webhook event name, in Refold's order. */
export const webhookEvents: readonly RefoldWebhookEvent[] = [
  'Connection Created',
  'Connection Deleted',
  'Connection Expired',
  'Workflow Completed',
  'Workflow Errored',
]

/** Why a webhook was rejected. */
export type WebhookProblem = 'invalid_signature' | 'invalid_json' | 'invalid_payload' | 'unknown_event'

/** A webhook that failed verification or does not have a documented shape. Answer it with 400/401. */
export class WebhookError extends RefoldError {
  readonly reason: WebhookProblem
  /** For `invalid_payload`: each field that is wrong, as `field: expected …`. */
  readonly problems: readonly string[]
  constructor(reason: WebhookProblem, message: string, problems: readonly string[] = []) {
    super(message)
    this.reason = reason
    this.problems = problems
  }
}

/**
 * Verifies `signature` (the `x-cobalt-signature` header) over `rawBody` with `secret` (your
 * Refold API key), then parses and checks the payload. Throws a {@link WebhookError} for a bad
 * signature, a body that is not JSON, an unknown event, or a field of the wrong type.
 */
export function parseWebhook(rawBody: string | Uint8Array, signature: SignatureHeader, secret: string): RefoldWebhook {
  if (!verifyWebhookSignature(rawBody, signature, secret)) {
    throw new WebhookError(
      'invalid_signature',
      signature === undefined || signature === null || signature === ''
        ? 'Webhook has no x-cobalt-signature header; it did not come from Refold'
        : 'Webhook signature does not match its body (wrong secret, a body altered or re-serialised before verifying, or not from Refold)',
    )
  }
  let value: unknown
  try {
    value = JSON.parse(
      typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8'),
    )
  } catch (error) {
    throw new WebhookError('invalid_json', `Webhook body is not JSON (${(error as Error).message})`)
  }
  return checkWebhookPayload(value)
}

/** Checks an already-verified, parsed webhook payload (see {@link parseWebhook}). */
export function checkWebhookPayload(value: unknown): RefoldWebhook {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookError('invalid_payload', `Webhook payload must be a JSON object, got ${describe(value)}`)
  }
  const record = value as Record<string, unknown>
  const event = record.event
  if (typeof event !== 'string' || !(webhookEvents as readonly string[]).includes(event)) {
    throw new WebhookError(
      'unknown_event',
      `Webhook event ${typeof event === 'string' ? `"${event}"` : `field is ${describe(event)}`} is not one Refold documents ` +
        `(expected one of: ${webhookEvents.join(', ')})`,
    )
  }
  const problems: string[] = []
  const required = (field: string): void => {
    if (typeof record[field] !== 'string') problems.push(`${field}: expected a string, got ${describe(record[field])}`)
  }
  const optional = (field: string): void => {
    if (record[field] !== undefined && typeof record[field] !== 'string') {
      problems.push(`${field}: expected a string when present, got ${describe(record[field])}`)
    }
  }
  required('linked_account_id')
  if (event === 'Workflow Completed' || event === 'Workflow Errored') {
    for (const field of ['instance_id', 'workflow_id', 'config_id', 'workflow_name']) required(field)
    optional('environment')
    const status = event === 'Workflow Completed' ? 'COMPLETED' : 'ERRORED'
    if (record.status !== status) problems.push(`status: expected "${status}" for "${event}", got ${describe(record.status)}`)
  } else {
    required('slug')
    for (const field of ['org_id', 'environment', 'type', 'createdAt']) optional(field)
  }
  if (problems.length > 0) {
    throw new WebhookError(
      'invalid_payload',
      `Webhook "${event}" does not have Refold's documented shape:\n  ${problems.join('\n  ')}`,
      problems,
    )
  }
  return record as unknown as RefoldWebhook
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}
