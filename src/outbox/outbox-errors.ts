/**
 * The outbox's typed error. Fires rejected by validation keep the runtime's
 * `PayloadValidationError`; everything about the store itself is an {@link OutboxError} with a
 * closed `problem`, so the CLI maps it to a message and an exit code without reading text.
 */

/** Why the outbox could not do what was asked. */
export type OutboxProblem =
  /** The store's driver (`better-sqlite3` or `pg`) is not installed. */
  | 'driver_missing'
  /** The store could not be opened or its schema created. */
  | 'store_unavailable'
  /** A caller's argument is wrong (unknown event, bad transaction handle, bad option). */
  | 'invalid_argument'
  /** The outbox or relay was closed. */
  | 'closed'

/** A problem of the outbox or its store; `cause` holds the driver's error when there is one. */
export class OutboxError extends Error {
  readonly problem: OutboxProblem
  constructor(problem: OutboxProblem, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'OutboxError'
    this.problem = problem
  }
}

/**
 * Imports an optional driver, turning "not installed" into an {@link OutboxError} that says
 * what to install. Optional, so users who never use the outbox never install or build it.
 */
export async function importDriver<T>(name: 'better-sqlite3' | 'pg', purpose: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const version = name === 'better-sqlite3' ? 'better-sqlite3@12' : 'pg@8'
      throw new OutboxError('driver_missing', `${purpose} needs the "${name}" package: npm install ${version}`, { cause: error })
    }
    throw new OutboxError('driver_missing', `${purpose}: loading "${name}" failed (${(error as Error).message})`, { cause: error })
  }
}
