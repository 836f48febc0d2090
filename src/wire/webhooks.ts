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
 * Each delivery is signed in `x-cobalt-signature`: the hex HMAC-SHA256 of the raw body, keyed
 * with the API key of the environment the webhook belongs to. The runtime verifies and parses
 * them (runtime/webhooks.ts); the emulator sends them.
 */
import { createHmac } from 'node:crypto'

/** The header Refold puts the signature in (Node lower-cases header names). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-cobalt-signature'

/** The HMAC-SHA256 of a raw body under `secret`: its hex form is the signature header's value. */
export function webhookDigest(rawBody: string | Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest()
}

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
