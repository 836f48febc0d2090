/**
 * `refold-events relay`: delivers the outbox's fires to Refold as its own process, until
 * Ctrl+C / SIGTERM (then it finishes the fires in flight), or with `--once` until nothing is
 * due. Any number of relays may run on one store; they share its rate limit. Dead letters are
 * reported on stderr as they happen; a TTY gets a progress line. Events the project's files
 * give `previousNames` go out under a previous name while Refold does not know the new one,
 * as the generated helpers do.
 */
import { existsSync } from 'node:fs'
import type { ResolvedConfig } from '../../config/define-config.js'
import { loadDefinitions } from '../../definitions/load-definitions.js'
import { loadConfig } from '../../config/load-config.js'

import { startRelay, type RelayEvent } from '../../outbox/relay.js'
import { LOCAL_ENVIRONMENT, resolveTarget } from '../resolve-target.js'
import type { CliIO } from '../io.js'
import { openStoreOption, storeFailure, type StoreOptions } from '../outbox-store-option.js'
import { ProgressLine } from '../progress-line.js'
import { ExitCode, ExitError } from '../exit.js'
import { positiveNumber, wholeNumber } from '../options.js'

export interface RelayCommandOptions extends StoreOptions {
  config?: string
  env?: string
  once?: boolean
  concurrency?: string
  rateLimit?: string
  burst?: string
  leaseMs?: string
  maxAttempts?: string
  timeoutMs?: string
}

/** Run `relay` and return its exit code. */
export async function runRelay(options: RelayCommandOptions, io: CliIO): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  const numbers = {
    concurrency: optionalNumber(options.concurrency, (text) => wholeNumber('--concurrency', text, 1)),
    perSecond: optionalNumber(options.rateLimit, (text) => positiveNumber('--rate-limit', text, 'a number of requests per second')),
    burst: optionalNumber(options.burst, (text) => wholeNumber('--burst', text, 1)),
    leaseMs: optionalNumber(options.leaseMs, (text) => wholeNumber('--lease-ms', text, 1)),
    maxAttempts: optionalNumber(options.maxAttempts, (text) => wholeNumber('--max-attempts', text, 1)),
    timeoutMs: optionalNumber(options.timeoutMs, (text) => wholeNumber('--timeout-ms', text, 1)),
  }
  if (options.env === undefined && (io.env.REFOLD_BASE_URL ?? '').trim() === '') {
    throw new ExitError(
      'relay needs a Refold to deliver to: --env NAME (from refold.config.ts) or REFOLD_BASE_URL with REFOLD_API_KEY ' +
        `(--env ${LOCAL_ENVIRONMENT} delivers to an in-process emulator that is gone when the relay stops)`,
    )
  }
  const { store, shown } = await openStoreOption(options, io)
  let target: Awaited<ReturnType<typeof resolveTarget>> | undefined
  try {
    target = await resolveTarget({ config, envName: options.env, env: io.env, cwd: io.cwd })
    for (const warning of target.warnings) io.stderr(`warning: ${warning}\n`)
    const progress = new ProgressLine(io, 'Delivered')
    let remaining = 0
    const onEvent = (event: RelayEvent): void => {
      if (event.type === 'dead') {
        progress.clear()
        io.stderr(
          `dead letter: #${event.record.id} "${event.record.event}" for ${event.record.linkedAccountId}: ${event.failure.message}\n`,
        )
      } else if (event.type === 'store_error') {
        progress.clear()
        io.stderr(`warning: the outbox store failed (${(event.error as Error)?.message ?? String(event.error)}); trying again\n`)
      }
      progress.update(relay.stats.delivered, relay.stats.delivered + remaining)
    }
    const previousNames = await previousNamesOf(config, io.cwd)
    const targetName = target.name
    const relay = startRelay({
      store,
      previousNames,
      clientOptions: {
        apiKey: target.apiKey.reveal(),
        baseUrl: target.baseUrl,
        idempotencyHeader: config.runtime.idempotencyHeader,
        onPreviousName: (event, firedAs) => {
          progress.clear()
          io.stderr(
            `warning: ${targetName} does not know "${event}" yet: its fires go out under the previous name "${firedAs}" until \`refold-events sync\` renames it\n`,
          )
        },
        env: {},
        ...(numbers.timeoutMs === undefined ? {} : { timeoutMs: numbers.timeoutMs }),
      },
      concurrency: numbers.concurrency,
      rateLimit: {
        perSecond: numbers.perSecond ?? 20,
        burst: numbers.burst ?? Math.min(5, Math.max(1, Math.floor(numbers.perSecond ?? 20))),
      },
      leaseMs: numbers.leaseMs,
      retry: numbers.maxAttempts === undefined ? undefined : { maxAttempts: numbers.maxAttempts },
      onEvent,
    })
    io.stderr(
      `relay: delivering from ${shown} to ${target.name} (${target.baseUrl})${options.once === true ? ' until nothing is due' : '; Ctrl+C stops after the fires in flight'}\n`,
    )
    // The progress line's total needs the backlog; it is read once a second, only on a terminal.
    const backlog = io.isTTY
      ? setInterval(() => {
          store.status().then(
            (status) => (remaining = status.total.pending + status.total.inFlight),
            () => {},
          )
        }, 1_000)
      : undefined
    try {
      if (options.once === true) await relay.idle()
      else await io.waitForInterrupt()
    } finally {
      if (backlog !== undefined) clearInterval(backlog)
      await relay.stop()
      progress.clear()
    }
    const { delivered, retried, dead } = relay.stats
    io.stdout(`relay: ${delivered} delivered, ${retried} retries scheduled, ${dead} dead letters\n`)
    return ExitCode.ok
  } catch (error) {
    throw storeFailure(error, shown)
  } finally {
    await store.close()
    await target?.close()
  }
}

/**
 * `previousNames` of the project's event files, by current name. A relay may run where the
 * events folder is not deployed: then there are none. Files with errors are skipped here
 * (`check` reports them); the others still count.
 */
async function previousNamesOf(config: ResolvedConfig, cwd: string): Promise<Record<string, readonly string[]>> {
  if (!existsSync(config.eventsDir)) return {}
  const { definitions } = await loadDefinitions({ eventsDir: config.eventsDir, cwd, maxFileBytes: config.maxFileBytes })
  const result: Record<string, readonly string[]> = {}
  for (const definition of definitions) {
    if (definition.previousNames !== undefined)
      Object.defineProperty(result, definition.name, { value: definition.previousNames, enumerable: true })
  }
  return result
}

function optionalNumber(text: string | undefined, parse: (text: string) => number): number | undefined {
  return text === undefined ? undefined : parse(text)
}
