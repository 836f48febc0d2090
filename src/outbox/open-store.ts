/**
 * One way to name a store, shared by the CLI and applications: a `postgres://` (or
 * `postgresql://`) URL is the Postgres store, anything else is the path of the embedded file.
 */
import { openPostgresStore } from './postgres-store.js'
import type { OutboxStore } from './outbox-store.js'
import { openSqliteStore } from './sqlite-store.js'

/** The embedded store's file when none is named. */
export const DEFAULT_OUTBOX_FILE = '.refold/outbox.db'

/** Opens the store `location` names; `schema` applies to Postgres only. */
export function openOutboxStore(location: string, options: { schema?: string | undefined } = {}): Promise<OutboxStore> {
  return isPostgresUrl(location)
    ? openPostgresStore({ connectionString: location, schema: options.schema })
    : openSqliteStore({ file: location })
}

/** Whether `location` is a Postgres connection URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location)
}

/** `postgres://user:secret@host/db` shown as `postgres://user:***@host/db`: passwords never reach output. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location
  try {
    const url = new URL(location)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return 'a Postgres URL'
  }
}
