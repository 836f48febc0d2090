/**
 * The store the `relay` and `outbox` commands work on: `--db` (a `postgres://` URL or a file),
 * else `$REFOLD_OUTBOX_DB`, else the embedded file `.refold/outbox.db`. Store errors become
 * one-line errors; a Postgres password never reaches the output.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

import { describeLocation, isPostgresUrl, openOutboxStore, DEFAULT_OUTBOX_FILE } from '../outbox/open-store.js'
import { OutboxError } from '../outbox/outbox-errors.js'
import type { OutboxStore } from '../outbox/outbox-store.js'
import type { CliIO } from './io.js'
import { ExitError } from './exit.js'

/** Options shared by the commands that open a store. */
export interface StoreOptions {
  db?: string | undefined
  schema?: string | undefined
}

/**
 * Opens the store the options name; what it is called in messages comes with it. With
 * `mustExist`, a missing embedded file is an error rather than a new empty outbox (a typo in
 * `--db` should not look like "nothing pending").
 */
export async function openStoreOption(options: StoreOptions, io: CliIO, mustExist = false): Promise<{ store: OutboxStore; shown: string }> {
  const fromEnv = io.env.REFOLD_OUTBOX_DB
  const named = options.db ?? (fromEnv === undefined || fromEnv.trim() === '' ? DEFAULT_OUTBOX_FILE : fromEnv)
  const location = isPostgresUrl(named) ? named : resolve(io.cwd, named)
  const shown = isPostgresUrl(named) ? describeLocation(named) : named
  if (mustExist && !isPostgresUrl(named) && !existsSync(location)) {
    throw new ExitError(
      `no outbox at ${shown}: nothing was recorded there yet; name the outbox with --db (a file or a postgres:// URL) or $REFOLD_OUTBOX_DB`,
    )
  }
  try {
    return { store: await openOutboxStore(location, { schema: options.schema }), shown }
  } catch (error) {
    throw storeFailure(error, shown)
  }
}

/** A store failure as an {@link ExitError}: the driver's message, the password scrubbed. */
export function storeFailure(error: unknown, shown: string): ExitError {
  if (error instanceof ExitError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof OutboxError) return new ExitError(`outbox (${shown}): ${message}`)
  return new ExitError(`outbox (${shown}): the store failed: ${message}`)
}
