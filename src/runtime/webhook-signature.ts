/**
 * Checking that a webhook came from Refold. Refold signs each delivery with the header
 * `x-cobalt-signature`: the hex HMAC-SHA256 of the raw request body, keyed with the API key of
 * the environment the webhook belongs to (Refold docs, "Webhooks" → verify the signature).
 * Verify the raw bytes as received: re-serialising parsed JSON changes them.
 */
import { timingSafeEqual } from 'node:crypto'
import { WEBHOOK_SIGNATURE_HEADER, webhookDigest } from '../wire/webhooks.js'
import { RefoldConfigurationError } from './errors.js'

export { WEBHOOK_SIGNATURE_HEADER }

/** A signature header as a server framework hands it over. */
export type SignatureHeader = string | readonly string[] | null | undefined

/**
 * Whether `signature` is Refold's signature of `rawBody` under `secret` (your Refold API key).
 * Returns `false` for a wrong, missing or malformed signature and never throws for one; the
 * comparison takes the same time wherever the signatures differ. Throws only when `secret` is
 * empty or `rawBody` is not
 * a string or bytes (parsed JSON): configuration mistakes, not bad requests.
 */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signature: SignatureHeader, secret: string): boolean {
  if (typeof secret !== 'string' || secret === '') {
    throw new RefoldConfigurationError('missing_api_key', 'verifyWebhookSignature needs the Refold API key as its secret; it was empty')
  }
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new RefoldConfigurationError(
      'invalid_argument',
      'verifyWebhookSignature needs the raw request body (a string or Buffer), not parsed JSON: ' +
        'the signature covers the exact bytes Refold sent (e.g. express.raw({ type: "application/json" }))',
    )
  }
  const given = typeof signature === 'string' ? signature : signature?.length === 1 ? signature[0] : undefined
  if (given === undefined) return false
  const hex = given.trim()
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false
  const expected = webhookDigest(rawBody, secret)
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'))
}
