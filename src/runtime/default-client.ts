/**
 * The process-wide client generated helpers fall back to when no client is passed. It is built
 * on first use from `REFOLD_API_KEY` / `REFOLD_BASE_URL`, so importing generated code costs
 * nothing and a missing key surfaces at the first fire, as a rejected promise.
 */
import { createClient } from './client.js'
import type { RefoldClient } from './client-options.js'

let defaultClient: RefoldClient | undefined

/**
 * The default client, created from the environment on first call (`REFOLD_API_KEY`,
 * `REFOLD_BASE_URL`, and `REFOLD_VALIDATE` for its validation mode, else `warn`). After it is
 * closed, the next call creates a fresh one.
 */
export function getDefaultClient(): RefoldClient {
  if (defaultClient === undefined || isClosed(defaultClient)) defaultClient = createClient()
  return defaultClient
}

/**
 * Makes `client` the default used by generated helpers called without a client (for example
 * one configured with `rateLimit` at start-up, or a fake in tests). `undefined` resets to the
 * environment-built default on next use. The previous default is not closed.
 */
export function setDefaultClient(client: RefoldClient | undefined): void {
  defaultClient = client
}

function isClosed(client: RefoldClient): boolean {
  return (client as { readonly closed?: unknown }).closed === true
}
