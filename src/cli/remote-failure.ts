/**
 * Refold being unreachable, refusing the key or answering nonsense is a failure of the
 * run, not a crash: one `error:` line naming the environment and what failed, exit 1.
 */
import { ExitError } from '../errors.js'
import { RemoteConflictError, RemoteError, RemoteProtocolError } from '../remote/remote-error.js'

/** Run `work`; a remote API failure becomes an {@link ExitError} that names `target`. */
export async function withRemoteErrors<T>(target: { name: string; baseUrl: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof RemoteError || error instanceof RemoteProtocolError || error instanceof RemoteConflictError) {
      const hint = error instanceof RemoteError && (error.status === 401 || error.status === 403) ? '; check the API key for this environment' : ''
      throw new ExitError(`${target.name} (${target.baseUrl}): ${error.message}${hint}`)
    }
    throw error
  }
}
