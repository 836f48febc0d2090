/**
 * Receiving Refold's webhooks: `parseWebhook` verifies the signature, then checks the shape by
 * hand (no ajv: the runtime stays small). The shapes are Refold's (src/wire/webhooks.ts). Fields
 * beyond them are kept in the returned object but not typed, so a field Refold adds later does
 * not break parsing.
 */
import {
  type ConnectionCreatedWebhook,
  type ConnectionDeletedWebhook,
  type ConnectionExpiredWebhook,
  type RefoldWebhook,
  type RefoldWebhookEvent,
  type WorkflowCompletedWebhook,
  type WorkflowErroredWebhook,
  webhookEvents,
} from '../wire/webhooks.js'
import { RefoldError } from './errors.js'
import { type SignatureHeader, verifyWebhookSignature } from './webhook-signature.js'

export {
  type ConnectionCreatedWebhook,
  type ConnectionDeletedWebhook,
  type ConnectionExpiredWebhook,
  type RefoldWebhook,
  type RefoldWebhookEvent,
  type WorkflowCompletedWebhook,
  type WorkflowErroredWebhook,
  webhookEvents,
}

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
