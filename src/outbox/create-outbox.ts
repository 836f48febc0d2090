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
import { resolveValidateMode, type InvalidPayloadHook, type ValidateMode } from '../runtime/client-options.js'
import { PayloadValidationError, RefoldConfigurationError } from '../runtime/errors.js'
import { checkFireArgs, type FireArgs } from '../runtime/fire-request.js'
import { InvalidPayloadReporter } from '../runtime/invalid-payload-reporter.js'
import { checkPayload, type PayloadValidator } from '../runtime/payload-validation.js'
import { withRenamedCopies, type RenamedCopy } from '../wire/renamed-copies.js'
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
  /**
   * As the client's `validate` option: `'warn'` records an invalid payload and reports it,
   * `'error'` refuses it (nothing written), `'off'`. Default: `REFOLD_VALIDATE`, else `'warn'`.
   */
  validate?: ValidateMode | undefined
  /**
   * Receives the report of each payload its validator rejects, as the client's `onInvalid` does
   * (the same hook, e.g. `recordInvalidPayloads`, serves both). Default: a process warning once
   * per event and path.
   */
  onInvalid?: InvalidPayloadHook | undefined
  /**
   * Renamed fields each fire also sends under their old names, by event name (the generated
   * `eventRenamedCopies`): the outbox records a fire with the copies its helper would send, so
   * workflows still reading an old name see it in relayed fires too. Default: none.
   */
  renamedCopies?: { readonly [name: string]: readonly RenamedCopy[] | undefined } | undefined
  /** Where `REFOLD_VALIDATE` is read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
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
  // The client's own rules and reporter: one meaning of each mode, one report format.
  const validate = resolveValidateMode(options.validate, options.env ?? process.env)
  const validators = options.validators as Readonly<Record<string, PayloadValidator | undefined>> | undefined
  const copies = new Map(Object.entries(options.renamedCopies ?? {}))
  // The outbox holds no API key: nothing of one can reach a report.
  const reporter = new InvalidPayloadReporter(options.onInvalid, (text) => text)

  return {
    store,
    // Not async: with the embedded store the row must be written synchronously, inside the
    // caller's db.transaction(); every check before it is synchronous too.
    fire(event, args, fireOptions = {}) {
      try {
        if (validate instanceof RefoldConfigurationError) throw validate
        // As the helper does: the copies are made before validation (the validator accepts them).
        const fired = withRenamedCopies(args, copies.get(event))
        return store.enqueue(entryOf(event, fired, validators, validate, reporter), fireOptions.tx)
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
  reporter: InvalidPayloadReporter,
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
      reporter.report(invalid, args.payload, validate !== 'error')
      if (validate === 'error') throw invalid
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
