/**
 * The command-line surface: parses argv with commander and dispatches to one module per
 * command, imported lazily so `--version` and `check` never load codegen or HTTP code.
 * Returns the exit code; never calls `process.exit`.
 */
import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { ConfigError, DefinitionError, formatConfigError } from '../errors.js'
import { errorLine } from './error-line.js'
import type { CliIO } from './io.js'
import { formatDiagnostic } from '../diagnostics.js'
import { ExitCode, plainFailure } from './exit.js'
import { readOptions } from './options.js'
import type { PlanFormat } from '../sync/report/format-plan.js'
import type { OutboxAction } from './commands/outbox.js'
import type { DiagnosticsFormat } from './diagnostics-output.js'
import type { ValidateMode } from '../runtime/client-options.js'

// Shown once, in the top-level help; every command's help points to it.
const EXIT_CODES_HELP = `

Exit codes (every command):
  0  success
  1  error (bad input, network failure, partial failure)
  2  breaking changes refused (sync)
  3  changes pending (sync --dry-run --detailed-exitcode)`

const SEE_EXIT_CODES = '\n\nExit codes: 0 success, 1 error; see "refold-events --help" for the full table.'

/** An "Examples:" section, commander-style: each command, then what it does. */
function examples(...items: Array<[command: string, what: string]>): string {
  return `\nExamples:\n${items.map(([command, what]) => `  $ ${command}\n      ${what}`).join('\n')}`
}

// Choices are spelt here, not imported, so `--version` loads no command code; `satisfies`
// keeps each list to the values its command accepts.
const DIAGNOSTICS_FORMATS = ['human', 'json', 'github'] as const satisfies readonly DiagnosticsFormat[]
const PLAN_FORMATS = ['human', 'json', 'github', 'markdown'] as const satisfies readonly PlanFormat[]
const TEXT_FORMATS = ['human', 'json'] as const
const VALIDATE_MODES = ['error', 'warn', 'off'] as const satisfies readonly ValidateMode[]
const STORE_OPTIONS = { db: 'string', schema: 'string' } as const
const EMULATOR_OPTIONS = {
  config: 'string',
  host: 'required string',
  port: 'required string',
  state: 'string-or-false',
  apiKey: 'string',
  workflows: 'string',
  webhookUrl: 'string',
  latency: 'string',
  failRate: 'string',
  failStatus: 'string',
  dropRate: 'string',
  rateLimit: 'string',
  burst: 'string',
  faults: 'string',
  seed: 'string',
  maxBody: 'string',
  history: 'string',
  quiet: 'boolean',
} as const

const ISSUES_URL = 'https://github.com/refold-events/refold-events/issues'

/** Run the CLI with `argv` (without `node` and the script) and return the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = ExitCode.ok
  const program = buildProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'))
  }
}

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('refold-events')
    .description('Refold event definitions as code: typed fire helpers, schemas and safe sync.')
    .version(readVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of unexpected errors')
    .helpCommand(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      examples(
        ['refold-events init', 'scaffold a config and one event file'],
        ['refold-events check && refold-events generate', 'validate events/ and write generated/'],
        ['refold-events help sync', 'the options and examples of one command'],
      ) + EXIT_CODES_HELP,
    )

  /** Declare a subcommand whose action lives in `./commands/<file>.js`, with its examples. */
  const command = (name: string, description: string, ...usage: Array<[string, string]>): Command =>
    program
      .command(name)
      .description(description)
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
      .addHelpText('after', examples(...usage) + SEE_EXIT_CODES)

  const configOption = (): Option => new Option('--config <path>', 'config file (default: refold.config.ts if present)')
  const envOption = (): Option =>
    new Option('--env <name>', 'target environment from the config (default: $REFOLD_BASE_URL, else the local emulator)')

  command(
    'check',
    'load, infer and validate every event definition; print errors and warnings',
    ['refold-events check', 'every problem as file:line:column on stderr, a summary on stdout'],
    ['refold-events check --format github', 'annotations on the pull request diff, in GitHub Actions'],
  )
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(DIAGNOSTICS_FORMATS).default('human'))
    .action(async (raw) => {
      const options = readOptions(raw, { config: 'string', format: DIAGNOSTICS_FORMATS })
      const { runCheck } = await import('./commands/check.js')
      setExitCode(await runCheck(options, io))
    })

  command(
    'generate',
    'write typed fire<Event>() helpers, JSON Schemas and precompiled validators to outDir',
    ['refold-events generate', 'write generated/ (only files whose bytes change)'],
    ['refold-events generate --check', 'in CI: exit 1 when generated/ is stale'],
    ['refold-events generate --watch', 'regenerate on every save, until Ctrl+C'],
  )
    .addOption(configOption())
    .addOption(new Option('--check', 'write nothing; exit 1 naming each stale, missing or extra file'))
    .addOption(new Option('--watch', 'regenerate whenever an event file or the config changes, until Ctrl+C'))
    .action(async (raw) => {
      const options = readOptions(raw, { config: 'string', check: 'boolean', watch: 'boolean' })
      const { runGenerate } = await import('./commands/generate.js')
      setExitCode(await runGenerate(options, io))
    })

  command('init', 'scaffold refold.config.ts and one example event in the current folder', [
    'refold-events init',
    'writes refold.config.ts and events/new-contact-created.yaml; never overwrites',
  ]).action(async () => {
    const { runInit } = await import('./commands/init.js')
    setExitCode(await runInit({}, io))
  })

  command(
    'emulator',
    'serve a local Refold emulator (events, fire and workflow APIs) until Ctrl+C; prints its URL first',
    ['refold-events emulator --workflows workflows.yaml', 'on http://127.0.0.1:4010, API key tk_emulator'],
    ['refold-events emulator --port 0 --no-state --quiet', 'a free port, state in memory, for tests'],
    ['refold-events emulator --fail-rate 0.2 --seed 1', 'answer a fifth of requests with a 5xx, reproducibly'],
  )
    .addOption(configOption())
    .addOption(new Option('--host <host>', 'interface to bind').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port; 0 picks a free one').default('4010'))
    .addOption(new Option('--state <file>', "state file (default: the config's emulator.state, else .refold/emulator.json)"))
    .addOption(new Option('--no-state', 'keep the state in memory only'))
    .addOption(new Option('--api-key <key>', `API key to accept (default: $REFOLD_API_KEY, else the development key "tk_emulator")`))
    .addOption(new Option('--workflows <file>', "workflows file, YAML or JSON (default: the config's emulator.workflows)"))
    .addOption(new Option('--webhook-url <url>', 'send signed "Workflow Completed"/"Workflow Errored" webhooks here'))
    .addOption(new Option('--latency <ms>', 'fault: added latency per request, MS or MIN-MAX'))
    .addOption(new Option('--fail-rate <p>', 'fault: share of requests answered with a 5xx (0-1)'))
    .addOption(new Option('--fail-status <statuses>', 'statuses of --fail-rate answers, from 500,502,503,504 (default 500,503)'))
    .addOption(new Option('--drop-rate <p>', 'fault: share of connections dropped without an answer (0-1)'))
    .addOption(new Option('--rate-limit <n>', 'fault: requests per second per route class before 429 (Refold documents 20)'))
    .addOption(new Option('--burst <n>', 'token bucket size of --rate-limit (default 5, as Refold documents)'))
    .addOption(new Option('--faults <classes>', 'route classes faults apply to: events,fire,workflows (default all)'))
    .addOption(new Option('--seed <n>', 'seed of the fault PRNG, for a reproducible fault sequence'))
    .addOption(new Option('--max-body <bytes>', 'largest request body (413 beyond), e.g. 1048576, 512kb, 5mb (default 1mb)'))
    .addOption(new Option('--history <n>', 'fires, runs and webhook deliveries kept, each (default 1000)'))
    .addOption(new Option('--quiet', 'do not log each request'))
    .action(async (raw) => {
      const options = readOptions(raw, EMULATOR_OPTIONS)
      const { runEmulator } = await import('./commands/emulator.js')
      setExitCode(await runEmulator(options, io))
    })

  command(
    'sync',
    "make Refold's events match events/: plan, refuse breaking changes (exit 2), apply",
    ['refold-events sync --dry-run', 'print the plan against the local emulator; change nothing'],
    ['refold-events sync --dry-run --format github', 'in a pull request: annotate each change at its YAML line'],
    ['refold-events sync --env production', 'on merge: apply, refusing unacknowledged breaking changes'],
    ['refold-events sync --out plan.json && refold-events sync --plan plan.json', 'review a plan, then apply exactly it'],
  )
    .addOption(configOption())
    .addOption(envOption())
    .addOption(new Option('--dry-run', 'print the plan and write nothing'))
    .addOption(new Option('--prune', 'delete remote events that have no YAML'))
    .addOption(new Option('--allow-breaking', 'apply breaking changes too (each is shown as acknowledged)'))
    .addOption(new Option('--strict', 'keep changes no workflow reads blocking too'))
    .addOption(new Option('--format <format>', 'plan output format').choices(PLAN_FORMATS).default('human'))
    .addOption(new Option('--out <file>', 'save the plan to FILE instead of applying it'))
    .addOption(new Option('--plan <file>', 'apply exactly the plan saved in FILE; refused if the YAML or Refold changed since'))
    .addOption(new Option('--detailed-exitcode', 'plan only (never applies): exit 3 when changes are pending, 0 when none'))
    .addOption(new Option('--allow-empty', 'let --prune run when events/ holds no event (it deletes every remote event)'))
    .action(async (raw) => {
      const options = readOptions(raw, {
        config: 'string',
        env: 'string',
        dryRun: 'boolean',
        prune: 'boolean',
        allowBreaking: 'boolean',
        strict: 'boolean',
        format: PLAN_FORMATS,
        out: 'string',
        plan: 'string',
        detailedExitcode: 'boolean',
        allowEmpty: 'boolean',
      })
      const { runSync } = await import('./commands/sync.js')
      setExitCode(await runSync(options, io))
    })

  command('pull', 'write a YAML file for each remote event that has none yet (never overwrites)', [
    'refold-events pull --env staging',
    'adopt the events of an existing Refold setup',
  ])
    .addOption(configOption())
    .addOption(envOption())
    .action(async (raw) => {
      const options = readOptions(raw, { config: 'string', env: 'string' })
      const { runPull } = await import('./commands/pull.js')
      setExitCode(await runPull(options, io))
    })

  command(
    'fire',
    'fire one event: validate the payload against its schema, send it, print the answer',
    ['refold-events fire "New Contact Created" --account acct_demo', 'fire the sample on the local emulator and show the runs'],
    ['refold-events fire "Invoice Paid" --account acct_1 --slug quickbooks --payload @invoice.json', 'a payload from a file, for one app'],
    [
      'refold-events fire "Invoice Paid" --account acct_1 --env staging --fail-on-errored-runs',
      'in a script: exit 1 when a run ERRORED (the target must be an emulator)',
    ],
  )
    .usage('<name> --account <id> [options]')
    .argument('<name>', 'exact event name, as in its YAML')
    .requiredOption('--account <id>', '(required) linked account id the event is fired for')
    .addOption(new Option('--slug <slug>', 'app slug to fire for'))
    .addOption(new Option('--payload <json>', "payload as JSON, or @FILE to read it from a file (default: the event's sample)"))
    .addOption(new Option('--idempotency-key <key>', 'idempotency key, for workflows that deduplicate on it'))
    .addOption(
      new Option('--validate <mode>', 'invalid payload: error = refuse it, warn = send it and print the mismatch, off = no check')
        .choices(VALIDATE_MODES)
        .default('error'),
    )
    .addOption(
      new Option('--fail-on-errored-runs', 'exit 1 when a workflow run the fire caused ERRORED (emulator targets, which show their runs)'),
    )
    .addOption(configOption())
    .addOption(envOption())
    .action(async (name: string, raw) => {
      const options = readOptions(raw, {
        account: 'required string',
        slug: 'string',
        payload: 'string',
        idempotencyKey: 'string',
        validate: VALIDATE_MODES,
        failOnErroredRuns: 'boolean',
        config: 'string',
        env: 'string',
      })
      const { runFire } = await import('./commands/fire.js')
      setExitCode(await runFire({ ...options, name }, io))
    })

  command(
    'validate',
    'check recorded payloads (JSON or NDJSON {"event", "payload"} records; - for stdin) against the event definitions',
    ['refold-events validate recorded.ndjson', 'every record that does not match its event, by path'],
    ['cat recorded.ndjson | refold-events validate - --format json', 'the same from standard input, as data'],
  )
    .argument('<files...>', 'record files: JSON (one record or an array) or NDJSON; - reads standard input')
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(TEXT_FORMATS).default('human'))
    .addOption(new Option('--show-values', 'print the offending values too (recordings may hold personal data)'))
    .action(async (files: string[], raw) => {
      const options = readOptions(raw, { config: 'string', format: TEXT_FORMATS, showValues: 'boolean' })
      const { runValidate } = await import('./commands/validate.js')
      setExitCode(await runValidate({ ...options, files }, io))
    })

  command(
    'learn',
    'add the fewest examples to the event files so every recorded payload validates (values redacted)',
    ['refold-events learn recorded.ndjson --dry-run', 'show the schema changes per event; write nothing'],
    ['refold-events learn recorded.ndjson', 'add the examples to the event files'],
  )
    .argument('<files...>', 'record files: JSON (one record or an array) or NDJSON; - reads standard input')
    .addOption(configOption())
    .addOption(new Option('--dry-run', 'print the schema changes per event and write nothing'))
    .addOption(new Option('--keep-values', 'add payloads as recorded instead of redacted stand-ins'))
    .action(async (files: string[], raw) => {
      const options = readOptions(raw, { config: 'string', dryRun: 'boolean', keepValues: 'boolean' })
      const { runLearn } = await import('./commands/learn.js')
      setExitCode(await runLearn({ ...options, files }, io))
    })

  // Durable fires (issue 15): the relay and the outbox's operations.
  const storeOptions = (cmd: Command): Command =>
    cmd
      .addOption(
        new Option(
          '--db <url|file>',
          'the outbox: a postgres:// URL or the embedded file (default: $REFOLD_OUTBOX_DB, else .refold/outbox.db)',
        ),
      )
      .addOption(new Option('--schema <name>', 'Postgres schema of the outbox tables (default refold_outbox)'))

  storeOptions(command('relay', "deliver the outbox's fires to Refold, in order per linked account, until Ctrl+C (or --once)"))
    .addOption(configOption())
    .addOption(envOption())
    .addOption(new Option('--once', 'stop once nothing is due (fires waiting for a retry stay queued)'))
    .addOption(new Option('--concurrency <n>', 'fires (of different accounts) in flight at once (default 8)'))
    .addOption(
      new Option('--rate-limit <n>', "requests per second, all relays on this outbox together (default 20, Refold's documented limit)"),
    )
    .addOption(new Option('--burst <n>', 'requests that may start back to back (default 5)'))
    .addOption(
      new Option('--lease-ms <ms>', 'how long a claimed fire stays with this relay before another may take it over (default 60000)'),
    )
    .addOption(new Option('--max-attempts <n>', 'attempts before a failing fire becomes a dead letter (default 25)'))
    .addOption(new Option('--timeout-ms <ms>', "longest wait for Refold's answer per attempt (default 10000)"))
    .action(async (raw) => {
      const options = readOptions(raw, {
        ...STORE_OPTIONS,
        config: 'string',
        env: 'string',
        once: 'boolean',
        concurrency: 'string',
        rateLimit: 'string',
        burst: 'string',
        leaseMs: 'string',
        maxAttempts: 'string',
        timeoutMs: 'string',
      })
      const { runRelay } = await import('./commands/relay.js')
      setExitCode(await runRelay(options, io))
    })

  const outbox = program.command('outbox').description('inspect and operate the outbox of durable fires').exitOverride()
  outbox.configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }).addHelpText('after', EXIT_CODES_HELP)
  const outboxCommand = (name: string, description: string): Command =>
    storeOptions(
      outbox
        .command(name)
        .description(description)
        .exitOverride()
        .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }),
    )
  const runAction = (action: OutboxAction) => async (raw: Record<string, unknown>) => {
    const options = readOptions(raw, {
      ...STORE_OPTIONS,
      format: TEXT_FORMATS,
      event: 'string',
      id: 'strings',
      all: 'boolean',
      since: 'string',
      olderThan: 'string',
      dead: 'boolean',
    })
    const { runOutbox } = await import('./commands/outbox.js')
    setExitCode(await runOutbox({ ...options, action }, io))
  }
  outboxCommand('status', 'pending, in flight, delivered and dead fires, and the oldest unfinished age, per event')
    .addOption(new Option('--format <format>', 'output format').choices(TEXT_FORMATS).default('human'))
    .action(runAction('status'))
  outboxCommand('retry', 'send dead letters again (same idempotency key), after fixing their cause')
    .addOption(new Option('--event <name>', 'only dead letters of this event'))
    .addOption(new Option('--id <id...>', 'only these fires (numbers as `outbox status` lists them)'))
    .addOption(new Option('--all', 'every dead letter'))
    .action(runAction('retry'))
  outboxCommand('replay', 'send fires delivered since a time again (new idempotency key: workflows run again)')
    .requiredOption('--since <time>', 'a date (2026-12-01T10:00:00Z) or a duration back from now (2h)')
    .addOption(new Option('--event <name>', 'only fires of this event'))
    .action(runAction('replay'))
  outboxCommand('prune', 'delete delivered fires older than a duration (pending ones are never deleted)')
    .requiredOption('--older-than <duration>', 'e.g. 7d, 12h')
    .addOption(new Option('--dead', 'also delete dead letters created before then'))
    .action(runAction('prune'))

  return program
}

function reportError(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; commander already printed them.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.error
  }
  if (error instanceof DefinitionError) {
    for (const diagnostic of error.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`)
    return ExitCode.error
  }
  if (error instanceof ConfigError) {
    io.stderr(`${formatConfigError(error)}\n`)
    return ExitCode.error
  }
  const plain = plainFailure(error)
  if (plain !== undefined) {
    io.stderr(`${errorLine(plain.message)}\n`)
    return plain.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr(`refold-events: unexpected error: ${message}\n`)
  if (debug && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`)
  else io.stderr(`Run again with --debug for the stack trace, and report it at ${ISSUES_URL}\n`)
  return ExitCode.error
}

function readVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
