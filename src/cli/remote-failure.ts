/**
 * Refold being unreachable, refusing the key or answering nonsense is a failure of the
 * run, not a crash: one `error:` line naming the environment and what failed, exit 1.
 */

import { RemoteConflictError, RemoteError, RemoteProtocolError } from '../remote/remote-error.js'
import { ExitError } from './exit.js'

/** Run `work`; a remote API failure becomes an {@link ExitError} that names `target`. */
export async function withRemoteErrors<T>(target: { name: string; baseUrl: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof RemoteError || error instanceof RemoteProtocolError || error instanceof RemoteConflictError) {
      throw new ExitError(`${target.name} (${target.baseUrl}): ${error.message}${nextStep(error)}`)
    }
    throw error
  }
}

/** What the user can do about `error`, as a clause to append. */
function nextStep(error: Error): string {
  if (error instanceof RemoteProtocolError) return "; check that this URL serves Refold's API (https://app.refold.ai, or a local emulator)"
  if (!(error instanceof RemoteError)) return ''
  // A 403 "Rate Limit Hit" is transient (retried, then reported as busy below), not a key problem.
  if (error.status === 401 || (error.status === 403 && !error.transient)) return '; check the API key for this environment'
  // Not transient without a status: the host name did not resolve, which a rerun will not change.
  if (error.status === undefined)
    return error.transient
      ? '; check the URL and that the server is reachable, then run again'
      : '; check the host name in the URL for a typo'
  // Writes are re-planned from what Refold holds, so a rerun picks up where this one stopped.
  if (error.transient) return '; Refold is busy or failing: run again in a moment'
  return ''
}
