/**
 * `refold-events fire NAME --account ID`: fire one event from the command line. The payload
 * (`--payload JSON`, `--payload @file`, else the event's own sample) is validated against the
 * event's compiled schema first, then sent through the runtime client to the target
 * environment, with the idempotency key the generated helper would send (`--idempotency-key`,
 * else the value at the event file's `idempotencyKey` path), the same on every attempt.
 * When the target is an emulator (it answers `/_emulator/`), the workflow runs it
 * caused are shown, and `--fail-on-errored-runs` turns an ERRORED run into exit 1.
 *
 * `--validate` picks the runtime's mode: `error` (the default here, unlike the runtime's: a
 * person at a terminal wants the mismatch, not a fire) refuses an invalid payload before any
 * environment is touched; `warn` sends it and prints the mismatch; `off` skips the check.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expandSchema } from '../../compile/rename-expansion.js'
import { loadConfig } from '../../config/load-config.js'

import { RemoteHttp } from '../../remote/remote-http.js'
import { resolveTarget } from '../resolve-target.js'
import { createClient } from '../../runtime/client.js'
import { idempotencyKeyOf } from '../../runtime/fire-request.js'
import type { ValidateMode } from '../../runtime/client-options.js'
import { RefoldError } from '../../runtime/errors.js'
import { copyRenamedFields } from '../../wire/renamed-copies.js'
import { checkPayload, type PayloadValidator } from '../../runtime/payload-validation.js'
import type { JsonSchema } from '../../types.js'
import { loadAjv } from '../../util/load-ajv.js'
import { didYouMean } from '../../util/suggest.js'
import { describeRuns, isEmulator, runsOfLastFire } from '../emulator-runs.js'
import { whereToAddWorkflow } from '../workflows-file-source.js'
import { errorLine } from '../error-line.js'
import type { CliIO } from '../io.js'
import { compileLocal } from '../compile-local.js'
import { ExitCode, ExitError } from '../exit.js'

export interface FireOptions {
  name: string
  account: string
  slug?: string
  /** JSON text, or `@path` of a JSON file. */
  payload?: string
  idempotencyKey?: string
  config?: string
  env?: string
  /** How an invalid payload is treated (see the module comment). Default `error`. */
  validate?: ValidateMode
  /** `--fail-on-errored-runs`: exit 1 when a workflow run the fire caused ERRORED (emulator targets). */
  failOnErroredRuns?: boolean
}

/** Run `fire` and return its exit code. */
export async function runFire(options: FireOptions, io: CliIO): Promise<number> {
  // Before anything is loaded or started: the runtime would name its own field (linkedAccountId), not the flag.
  if (options.account.trim() === '') throw new ExitError('--account is empty; expected the id of the linked account the event is fired for')
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  const events = await compileLocal(config, io)
  const event = events.find((e) => e.definition.name === options.name)
  if (event === undefined) {
    const renamed = events.find((e) => e.definition.previousNames?.includes(options.name) === true)
    if (renamed !== undefined) {
      throw new ExitError(
        `"${options.name}" is a previous name of "${renamed.definition.name}" (previousNames in ${renamed.definition.file}); ` +
          `fire it by its current name: refold-events fire "${renamed.definition.name}"`,
      )
    }
    const names = events.map((e) => e.definition.name)
    throw new ExitError(
      `no event named "${options.name}" in ${config.eventsDir}${didYouMean(options.name, names)}; names match exactly, case included`,
    )
  }
  const apps = event.definition.apps ?? []
  if (options.slug !== undefined && apps.length > 0 && !apps.includes(options.slug)) {
    // A fire for an app runs only that app's workflows: a misspelt slug would be accepted and run nothing.
    throw new ExitError(
      `--slug "${options.slug}" is not an app of "${event.definition.name}"${didYouMean(options.slug, apps)}; ` +
        `expected one of its apps: ${apps.join(', ')} (from ${event.definition.file}), or no --slug to run the workflows of every app`,
    )
  }
  const given = options.payload === undefined ? event.definition.sample : await readPayload(options.payload, io.cwd)
  // As the generated helper fires it: the old fields of renames in expansion sent as copies of the new ones.
  const copies = event.renameCopies ?? []
  const payload = copyRenamedFields(given, copies)
  const validate = options.validate ?? 'error'
  const validator = validate === 'off' ? undefined : await compileValidator(expandSchema(event.schema, copies))
  // Checked before any environment is touched: a refused payload never starts an emulator or opens a socket.
  const invalid = validate === 'error' && validator !== undefined ? checkPayload(event.definition.name, payload, validator) : undefined
  if (invalid !== undefined) {
    io.stderr(`${errorLine(invalid.message)}\n`)
    return ExitCode.error
  }

  const target = await resolveTarget({ config, envName: options.env, env: io.env, cwd: io.cwd })
  const client = createClient({
    apiKey: target.apiKey.reveal(),
    baseUrl: target.baseUrl,
    validate,
    onInvalid: (report) => io.stderr(`warning: ${report.message}\n`),
    // Said on stdout below, with the file that names the previous name.
    onPreviousName: () => {},
    idempotencyHeader: config.runtime.idempotencyHeader,
    env: {},
  })
  try {
    for (const warning of target.warnings) io.stderr(`warning: ${warning}\n`)
    const request = {
      event: event.definition.name,
      linkedAccountId: options.account,
      payload,
      ...(options.slug === undefined ? {} : { slug: options.slug }),
      ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
      // As the generated helper does: the key comes from the payload unless given, so a retry
      // (and a second run of this command) is deduplicated by workflows that use it.
      ...(event.definition.idempotencyKey === undefined ? {} : { idempotencyKeyFrom: event.definition.idempotencyKey }),
      // During a rename's rollout the target may know only a previous name, as deployed helpers do.
      ...(event.definition.previousNames === undefined ? {} : { previousNames: event.definition.previousNames }),
    }
    const result = await client.fire(request, validator)
    const id = result.requestId === undefined ? '' : ` [request id ${result.requestId}]`
    const attempts = result.attempts === 1 ? '' : ` after ${result.attempts} attempts`
    io.stdout(
      `Fired "${event.definition.name}" for account ${options.account} on ${target.name}: ${result.status} ${result.message}${attempts}${id}\n`,
    )
    if (result.firedAs !== undefined) {
      io.stdout(
        `${target.name} does not know "${event.definition.name}" yet: fired under its previous name "${result.firedAs}" ` +
          `(previousNames in ${event.definition.file}); run \`refold-events sync\` to rename it in place\n`,
      )
    }
    const key = idempotencyKeyOf(request)
    if (key !== undefined && options.idempotencyKey === undefined) {
      io.stdout(
        `Idempotency key ${JSON.stringify(key)} (the payload's ${event.definition.idempotencyKey}, from ${event.definition.file})\n`,
      )
    }
    // Any emulator shows what the fire caused: the embedded one and one reached over HTTP alike.
    const http = new RemoteHttp({ baseUrl: target.baseUrl, apiKey: target.apiKey, concurrency: 4, requestsPerSecond: 100, maxAttempts: 2 })
    try {
      if (!(await isEmulator(http))) {
        if (options.failOnErroredRuns === true) {
          io.stderr(
            `warning: --fail-on-errored-runs: ${target.name} is not an emulator (no /_emulator/ routes), so its workflow runs cannot be read\n`,
          )
        }
        return ExitCode.ok
      }
      const firedAs = result.firedAs ?? event.definition.name
      const runs = await runsOfLastFire(http, { event: firedAs, account: options.account, slug: options.slug })
      // The embedded emulator's workflows come from the config; another emulator's from how it was started.
      const addWorkflow =
        target.emulator !== null ? whereToAddWorkflow(config, io.cwd) : `add one to the workflows file ${target.name} was started with`
      io.stdout(describeRuns(runs, firedAs, options.slug, target.name, addWorkflow))
      const errored = runs.runs.filter((run) => run.status === 'ERRORED').length
      if (errored > 0 && options.failOnErroredRuns === true) {
        io.stderr(
          `error: ${errored} of ${runs.runs.length} workflow ${runs.runs.length === 1 ? 'run' : 'runs'} ERRORED (--fail-on-errored-runs)\n`,
        )
        return ExitCode.error
      }
      return ExitCode.ok
    } finally {
      await http.close()
    }
  } catch (error) {
    if (error instanceof RefoldError) {
      io.stderr(`${errorLine(error.message)}\n`)
      return ExitCode.error
    }
    throw error
  } finally {
    await client.close()
    await target.close()
  }
}

async function readPayload(option: string, cwd: string): Promise<unknown> {
  let text = option
  let source = '--payload'
  if (option.startsWith('@')) {
    source = option.slice(1)
    try {
      text = await readFile(resolve(cwd, source), 'utf8')
    } catch (error) {
      throw new ExitError(`cannot read the payload file ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
    }
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ExitError(
      `${source} is not valid JSON (${(error as Error).message}); expected the payload object, e.g. --payload '{"email":"jane@example.com"}'`,
    )
  }
}

/** An ajv validator of the compiled schema (every error collected, so every failing path is named). */
async function compileValidator(schema: JsonSchema): Promise<PayloadValidator> {
  const ajv = await loadAjv()
  // Compiled without $id: the shared ajv instance must never see two schemas claim one id.
  const { $id: _id, ...anonymous } = schema
  return ajv.compile(anonymous) as PayloadValidator
}
