/**
 * `createOutbox()`: the durable twin of the generated fire helpers. `outbox.fire(name, args,
 * { tx })` checks and validates exactly like `client.fire()` would, then writes one row (in the
 * caller's transaction when given) instead of sending. A relay sends it later, in order, with
 * retries; the row's idempotency key is sent on every attempt.
 *
 * Typed by the generated `RefoldEventMap` (event name -> payload type):
 *
 *     const outbox = createOutbox<RefoldEventMap>(store, { validators: payloadValidators })
 *     await outbox.fire('New Contact Created', { linkedAccountId, payload }, { tx: client })
 */
import { randomUUID } from 'node:crypto'
import { CLIENT_DEFAULTS, type RefoldWarning, type ValidateMode } from '../runtime/client-options.js'
import { PayloadValidationError } from '../runtime/errors.js'
import { checkFireArgs, type FireArgs } from '../runtime/fire-request.js'
import { checkPayload, type PayloadValidator } from '../runtime/payload-validation.js'
import { OutboxError } from './outbox-errors.js'
import type { OutboxStore } from './outbox-store.js'
import type { EnqueueResult, OutboxEntry } from './outbox-types.js'

/** Options of {@link createOutbox}. */
export interface OutboxOptions<M> {
  /**
   * Precompiled validators per event (the generated `payloadValidators`). When given, a name
   * without a validator is refused: it is not an event of this project.
   */
  validators?: { readonly [N in keyof M]?: PayloadValidator } | undefined
  /** As the client's `validate` option; default the runtime's default mode. */
  validate?: ValidateMode | undefined
  /** Receives `'warn'`-mode reports. Default: one process warning per event name. */
  onWarning?: ((warning: RefoldWarning) => void) | undefined
}

/** Per-call options of `outbox.fire()`. */
export interface OutboxFireOptions {
  /**
   * The caller's transaction: a `pg` client inside `BEGIN` (Postgres store), or the
   * better-sqlite3 database inside `db.transaction()` (embedded store). Without it the row is
   * committed on its own.
   */
  tx?: unknown
}

/** A typed outbox over one store. */
export interface Outbox<M> {
  /**
   * Records a fire durably. Resolves once the row is written (committed only when the caller's
   * transaction commits). Rejects with `PayloadValidationError` (validate `'error'`), or
   * `RefoldConfigurationError` for bad arguments, before anything is written.
   */
  fire<N extends keyof M & string>(event: N, args: FireArgs<M[N]>, options?: OutboxFireOptions): Promise<EnqueueResult>
  /** The store the rows go to. */
  readonly store: OutboxStore
}

/** Creates a typed outbox writing to `store`. */
export function createOutbox<M extends object = Record<string, unknown>>(store: OutboxStore, options: OutboxOptions<M> = {}): Outbox<M> {
  const validate = options.validate ?? CLIENT_DEFAULTS.validate
  if (!['error', 'warn', 'off'].includes(validate))
    throw new TypeError(`validate must be 'error', 'warn' or 'off', got ${String(validate)}`)
  const validators = options.validators as Readonly<Record<string, PayloadValidator | undefined>> | undefined
  const warned = new Set<string>()
  const onWarning =
    options.onWarning ??
    ((warning: RefoldWarning): void => {
      if (warned.has(warning.event)) return
      warned.add(warning.event)
      process.emitWarning(
        `${warning.message}\n(recorded anyway: validate is 'warn'; later invalid payloads of this event are not reported)`,
        { code: 'REFOLD_INVALID_PAYLOAD' },
      )
    })

  return {
    store,
    // Not async: with the embedded store the row must be written synchronously, inside the
    // caller's db.transaction(); every check before it is synchronous too.
    fire(event, args, fireOptions = {}) {
      try {
        return store.enqueue(entryOf(event, args, validators, validate, onWarning), fireOptions.tx)
      } catch (error) {
        return Promise.reject(error)
      }
    },
  }
}

function entryOf(
  event: string,
  args: FireArgs,
  validators: Readonly<Record<string, PayloadValidator | undefined>> | undefined,
  validate: ValidateMode,
  onWarning: (warning: RefoldWarning) => void,
): OutboxEntry {
  const request = { ...args, event }
  const argumentError = checkFireArgs(request)
  if (argumentError !== undefined) throw argumentError
  let validator: PayloadValidator | undefined
  if (validators !== undefined) {
    if (!Object.hasOwn(validators, event)) {
      throw new OutboxError('invalid_argument', `Unknown Refold event ${JSON.stringify(event)}: not one of the outbox's events`)
    }
    validator = validators[event]
  }
  if (validator !== undefined && validate !== 'off') {
    const invalid = checkPayload(event, args.payload, validator)
    if (invalid !== undefined) {
      if (validate === 'error') throw invalid
      onWarning({ code: 'invalid_payload', event, message: invalid.message, error: invalid })
    }
  }
  let payloadJson: string | undefined
  try {
    payloadJson = JSON.stringify(args.payload)
  } catch (error) {
    throw new PayloadValidationError(event, [
      { path: '', message: `cannot be written as JSON (${(error as Error).message})`, keyword: 'json', params: {} },
    ])
  }
  if (payloadJson === undefined) {
    throw new PayloadValidationError(event, [{ path: '', message: 'cannot be written as JSON (undefined)', keyword: 'json', params: {} }])
  }
  return {
    event,
    linkedAccountId: args.linkedAccountId,
    slug: args.slug ?? null,
    configId: args.configId ?? null,
    instanceTag: args.instanceTag ?? null,
    payloadJson,
    idempotencyKey: args.idempotencyKey ?? `rfo_${randomUUID()}`,
  }
}
