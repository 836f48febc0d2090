/**
 * `refold-events outbox status|retry|replay|prune`: operate the outbox a relay drains.
 * - `status`: pending, in flight, delivered, dead and the oldest unfinished age, per event
 *   (`--format json` for scripts);
 * - `retry`: dead letters back to pending (by `--event`, `--id`, or `--all`), same idempotency key;
 * - `replay --since`: delivered fires sent again, with a new idempotency key;
 * - `prune --older-than`: delivered fires (and with `--dead` dead letters) deleted.
 * Long operations show a progress line on a terminal.
 */

import type { OutboxStore } from '../../outbox/outbox-store.js'
import type { OutboxFilter, OutboxStatus } from '../../outbox/outbox-types.js'
import type { CliIO } from '../io.js'
import { openStoreOption, storeFailure, type StoreOptions } from '../outbox-store-option.js'
import { ProgressLine } from '../progress-line.js'
import { formatAge, parseDuration, parseSince } from '../time-option.js'
import { plural } from '../../diagnostics.js'
import { ExitCode, ExitError } from '../exit.js'

export type OutboxAction = 'status' | 'retry' | 'replay' | 'prune'

export interface OutboxCommandOptions extends StoreOptions {
  action: OutboxAction
  format?: 'human' | 'json'
  event?: string
  id?: string[]
  all?: boolean
  since?: string
  olderThan?: string
  dead?: boolean
}

/** Run one `outbox` action and return its exit code. */
export async function runOutbox(options: OutboxCommandOptions, io: CliIO): Promise<number> {
  // Arguments are checked before the store is opened: a typo never creates an outbox file.
  const filter = filterOf(options)
  const now = Date.now()
  const since = options.action === 'replay' ? parseSince(required(options.since, '--since'), '--since', now) : 0
  const olderThan = options.action === 'prune' ? now - parseDuration(required(options.olderThan, '--older-than'), '--older-than') : 0
  if (options.action === 'retry' && filter.event === undefined && filter.ids === undefined && options.all !== true) {
    throw new ExitError('outbox retry: name the dead letters to retry: --event NAME, --id ID (repeatable), or --all')
  }

  const { store, shown } = await openStoreOption(options, io, true)
  try {
    switch (options.action) {
      case 'status':
        return await status(store, options.format ?? 'human', io)
      case 'retry': {
        const count = await withProgress(io, 'Retrying', (progress) => store.retry(filter, progress))
        io.stdout(
          `Re-queued ${plural(count, 'dead letter')}; a running relay sends ${count === 1 ? 'it' : 'them'} with the same idempotency key.\n`,
        )
        return ExitCode.ok
      }
      case 'replay': {
        const count = await withProgress(io, 'Replaying', (progress) => store.replay(since, filter, progress))
        io.stdout(
          `Re-queued ${plural(count, 'delivered fire')} since ${new Date(since).toISOString()}; each is sent again with a new idempotency key.\n`,
        )
        return ExitCode.ok
      }
      case 'prune': {
        const count = await withProgress(io, 'Pruning', (progress) => store.prune(olderThan, { dead: options.dead === true }, progress))
        const what = options.dead === true ? 'delivered fires and dead letters' : 'delivered fires'
        io.stdout(`Deleted ${count} ${what} older than ${options.olderThan}.\n`)
        return ExitCode.ok
      }
    }
  } catch (error) {
    throw storeFailure(error, shown)
  } finally {
    await store.close()
  }
}

async function status(store: OutboxStore, format: 'human' | 'json', io: CliIO): Promise<number> {
  const counts = await store.status()
  if (format === 'json') {
    io.stdout(`${JSON.stringify(counts, null, 2)}\n`)
    return ExitCode.ok
  }
  io.stdout(formatStatus(counts))
  if (counts.total.dead > 0) {
    const dead = await store.list({ state: 'dead', limit: 20 })
    io.stdout(`\nDead letters (newest ${dead.length} of ${counts.total.dead}; \`refold-events outbox retry\` re-queues them):\n`)
    for (const record of dead)
      io.stdout(
        `  #${record.id} "${record.event}" for ${record.linkedAccountId}, ${plural(record.attempts, 'attempt')}: ${record.lastError?.message ?? 'no error recorded'}\n`,
      )
  }
  return ExitCode.ok
}

/** The status table: one row per event, then the total. */
function formatStatus(status: OutboxStatus): string {
  const header = ['EVENT', 'PENDING', 'IN FLIGHT', 'DELIVERED', 'DEAD', 'OLDEST']
  const row = (name: string, c: OutboxStatus['total']): string[] => [
    name,
    String(c.pending),
    String(c.inFlight),
    String(c.delivered),
    String(c.dead),
    c.oldestAgeMs === null ? '-' : formatAge(c.oldestAgeMs),
  ]
  const rows = [header, ...status.events.map((e) => row(e.event, e)), row('(total)', status.total)]
  const widths = header.map((_, column) => Math.max(...rows.map((r) => r[column]?.length ?? 0)))
  return `${rows.map((r) => r.map((cell, column) => (column === r.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')).join('\n')}\n`
}

function filterOf(options: OutboxCommandOptions): OutboxFilter {
  const filter: OutboxFilter = {}
  if (options.event !== undefined) filter.event = options.event
  if (options.id !== undefined) {
    filter.ids = options.id.map((text) => {
      if (!/^\d{1,15}$/.test(text))
        throw new ExitError(`--id expects a fire's number as \`outbox status\` lists it (#12 -> --id 12), got ${JSON.stringify(text)}`)
      return Number(text)
    })
  }
  return filter
}

function required(value: string | undefined, option: string): string {
  if (value === undefined) throw new ExitError(`${option} is required`)
  return value
}

async function withProgress(
  io: CliIO,
  label: string,
  work: (progress: (done: number, total: number) => void) => Promise<number>,
): Promise<number> {
  const line = new ProgressLine(io, label)
  try {
    return await work((done, total) => line.update(done, total))
  } finally {
    line.clear()
  }
}
