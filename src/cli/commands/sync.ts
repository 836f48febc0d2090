/**
 * `refold-events sync`: make Refold's event definitions match the YAML, safely.
 * Load and compile, read Refold (events and workflows), plan, print the plan, and apply it
 * unless a breaking change is unacknowledged (exit 2), `--dry-run`, `--out` or `--detailed-exitcode` was given.
 * `--plan FILE` applies a saved plan exactly, refusing when either side moved since.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ResolvedConfig } from '../../config/define-config.js'
import { loadConfig } from '../../config/load-config.js'
import { ConfigError, DefinitionError } from '../../errors.js'
import { RefoldEventsApi } from '../../remote/events-api.js'
import { RemoteHttp } from '../../remote/remote-http.js'
import { RefoldWorkflowsApi } from '../../remote/workflows-api.js'
import type { ApplyResult } from '../../sync/apply/apply-plan.js'
import { parsePlanFile, PlanFileError, serializePlan } from '../../sync/plan/plan-file.js'
import { hasWork } from '../../sync/plan/plan-summary.js'
import type { SyncPorts } from '../../sync/ports.js'
import { formatPlan, type PlanFormat } from '../../sync/report/format-plan.js'
import { type PlanPhase, planAgainstRemote, SavedPlanError, type SyncOutcome, settlePlan, verifySavedPlan } from '../../sync/run-sync.js'
import type { SyncPlan } from '../../sync/sync-types.js'
import type { CompiledEvent } from '../../types.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import { compileLocal } from '../compile-local.js'
import { humanDiagnostic } from '../diagnostics-output.js'
import { errorLine } from '../error-line.js'
import { configErrorDiagnostics, formatFailedLoad, humanLines } from '../failed-load-output.js'
import { withRemoteErrors } from '../remote-failure.js'
import { useColor, type CliIO } from '../io.js'
import { ProgressLine } from '../progress-line.js'
import { resolveTarget, type Target } from '../resolve-target.js'
import { checkWorkflowsFile } from '../workflows-check.js'
import { ExitCode, ExitError, plainFailure } from '../exit.js'

export interface SyncOptions {
  config?: string
  env?: string
  dryRun?: boolean
  prune?: boolean
  allowBreaking?: boolean
  strict?: boolean
  format?: PlanFormat
  /** Save the plan here instead of applying it. */
  out?: string
  /** Apply this saved plan. */
  plan?: string
  detailedExitcode?: boolean
  /** `--allow-empty`: let `--prune` run from an empty set of events (deletes every remote event). */
  allowEmpty?: boolean
}

/** Run `sync` and return its exit code. */
export async function runSync(options: SyncOptions, io: CliIO): Promise<number> {
  if (options.plan !== undefined && options.out !== undefined)
    throw new ExitError('--plan applies a saved plan and --out saves a new one: give one of them')
  if (options.plan !== undefined && options.detailedExitcode === true) {
    throw new ExitError(
      '--detailed-exitcode plans without applying (exit 3 when changes are pending) and --plan applies a saved plan: give one of them',
    )
  }
  if (options.plan !== undefined && (options.prune || options.allowBreaking || options.strict || options.allowEmpty)) {
    throw new ExitError(
      '--plan applies the saved plan exactly as reviewed: --prune, --strict, --allow-breaking and --allow-empty belong to the `sync --out` that made it',
    )
  }
  const format = options.format ?? 'human'
  let config: ResolvedConfig
  let local: CompiledEvent[]
  try {
    config = await loadConfig({ cwd: io.cwd, configPath: options.config })
    local = await compileLocal(config, io)
  } catch (error) {
    // Machine formats still answer on stdout: CI annotations, a JSON document, a PR comment.
    const plain = plainFailure(error)
    if (format === 'human' || !(error instanceof DefinitionError || error instanceof ConfigError || plain !== undefined)) throw error
    const diagnostics =
      error instanceof ConfigError ? configErrorDiagnostics(error) : error instanceof DefinitionError ? error.diagnostics : []
    const positionless = plain !== undefined ? [plain.message] : []
    io.stdout(formatFailedLoad(format, 'refold-events sync', diagnostics, positionless))
    io.stderr(humanLines(diagnostics) + positionless.map((message) => `${errorLine(message)}\n`).join(''))
    return ExitCode.error
  }
  if (local.length === 0 && options.prune === true && options.allowEmpty !== true) {
    // Checked before Refold is read: an empty set would plan to delete every remote event.
    throw new ExitError(
      'refusing --prune from an empty set of events: it would delete every event on the target. ' +
        'Check eventsDir and the current folder, or add --allow-empty if deleting every event is really meant',
    )
  }
  const target = await resolveTarget({ config, envName: options.env, env: io.env, cwd: io.cwd })
  if (target.emulator !== null) {
    // The built-in emulator runs the configured workflows file: its mistakes are this sync's business.
    for (const diagnostic of await checkWorkflowsFile(config, local, io.cwd)) io.stderr(`${humanDiagnostic(diagnostic, useColor(io))}\n`)
  }
  const http = new RemoteHttp({
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
    concurrency: config.sync.concurrency,
    requestsPerSecond: config.sync.requestsPerSecond,
  })
  try {
    return await withRemoteErrors(target, () => syncWith(options, config, local, target, http, io))
  } finally {
    await http.close()
    await target.close()
  }
}

async function syncWith(
  options: SyncOptions,
  config: ResolvedConfig,
  local: CompiledEvent[],
  target: Target,
  http: RemoteHttp,
  io: CliIO,
): Promise<number> {
  const format = options.format ?? 'human'
  for (const warning of target.warnings) io.stderr(`warning: ${warning}\n`)
  const ports: SyncPorts = { events: new RefoldEventsApi(http), workflows: new RefoldWorkflowsApi(http) }
  // Reading a large account and planning take a while: say which phase is running (TTY only).
  const progress = new ProgressLine(io, 'Planning')
  const onPhase = (phase: PlanPhase): void => progress.status(phaseText(phase, target.name, local.length))
  let plan: SyncPlan
  try {
    plan =
      options.plan !== undefined
        ? await loadSavedPlan(options.plan, config, local, target, ports, io, onPhase)
        : await planAgainstRemote(
            ports,
            {
              local,
              target: { name: target.name, baseUrl: target.baseUrl },
              options: { prune: options.prune === true, strict: options.strict === true, allowBreaking: options.allowBreaking === true },
              responseForm: config.sync.responseForm,
              inference: config.inference,
            },
            onPhase,
          )
  } finally {
    progress.clear()
  }
  io.stdout(formatPlan(plan, format, { color: useColor(io) }))
  // Machine formats keep stdout to the plan; the rest of the story goes to stderr.
  const say = format === 'human' ? io.stdout : io.stderr

  if (options.out !== undefined) {
    await writeFileAtomic(resolve(io.cwd, options.out), serializePlan(plan))
    say(
      `\nPlan saved to ${options.out}. Apply exactly this plan with: refold-events sync --plan ${options.out}${options.env === undefined ? '' : ` --env ${options.env}`}\n`,
    )
  }
  const withhold =
    options.dryRun === true ? 'dry-run' : options.out !== undefined ? 'saved' : options.detailedExitcode === true ? 'plan-only' : null
  const applying = new ProgressLine(io, 'Applying')
  let outcome: SyncOutcome
  try {
    outcome = await settlePlan(plan, ports, {
      withhold,
      applyOptions: () => {
        const stop = new AbortController()
        // Ctrl+C finishes the writes in flight, starts no new ones, and reports exactly what was applied.
        void io.waitForInterrupt().then(() => stop.abort())
        return { concurrency: config.sync.concurrency, signal: stop.signal, onProgress: (done, total) => applying.update(done, total) }
      },
    })
  } finally {
    applying.clear()
  }
  switch (outcome.kind) {
    case 'blocked': {
      const count = plan.summary.breaking
      say(
        `\nRefusing to apply: ${count} breaking ${count === 1 ? 'change' : 'changes'} not acknowledged; nothing was changed on ${target.name}.\n`,
      )
      return ExitCode.breaking
    }
    case 'not-applied':
      // `--detailed-exitcode` is a question about the plan (Terraform's `plan -detailed-exitcode`):
      // asking it never applies, with or without --dry-run.
      if (outcome.reason === 'dry-run') say('\nDry run: nothing was changed.\n')
      else if (outcome.reason === 'plan-only') say('\nPlan only (--detailed-exitcode): nothing was changed.\n')
      return options.detailedExitcode === true && hasWork(plan) ? ExitCode.changesPending : ExitCode.ok
    case 'nothing-to-do':
      say(`\nNothing to do: ${target.name} matches the YAML.\n`)
      return ExitCode.ok
    case 'applied':
      report(outcome.result, target, say)
      return outcome.result.notApplied.length === 0 ? ExitCode.ok : ExitCode.error
  }
}

/** Read a saved plan and check that the target, the YAML and Refold are as they were when it was made. */
async function loadSavedPlan(
  file: string,
  config: ResolvedConfig,
  local: CompiledEvent[],
  target: Target,
  ports: SyncPorts,
  io: CliIO,
  onPhase: (phase: PlanPhase) => void,
): Promise<SyncPlan> {
  let text: string
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8')
  } catch (error) {
    throw new ExitError(`cannot read the plan ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let plan: SyncPlan
  try {
    plan = parsePlanFile(text, file)
  } catch (error) {
    if (error instanceof PlanFileError) throw new ExitError(error.message)
    throw error
  }
  try {
    return await verifySavedPlan(
      plan,
      ports,
      {
        local,
        responseForm: config.sync.responseForm,
        // The local emulator listens on a new port every run: for it, the name is the identity.
        target: { name: target.name, baseUrl: target.baseUrl, addressChangesEachRun: target.emulator !== null },
      },
      onPhase,
    )
  } catch (error) {
    if (error instanceof SavedPlanError) throw new ExitError(savedPlanRefusal(error, file, target))
    throw error
  }
}

/** Why a saved plan is refused, and what to do instead. */
function savedPlanRefusal(error: SavedPlanError, file: string, target: Target): string {
  const review = `nothing was applied. Review a new plan: refold-events sync --out ${file}`
  switch (error.mismatch) {
    case 'other-target':
      return `${file} was made for ${error.plan.target.name} (${error.plan.target.baseUrl}), not ${target.name} (${target.baseUrl}); make a new plan for this environment`
    case 'local-changed':
      return `the YAML changed since ${file} was made; ${review}`
    case 'remote-changed':
      // Said as Refold's side, not the variable's: the usual cause is this very plan, applied before.
      return `Refold's events or workflows at ${targetShown(target)} changed since ${file} was made; nothing was applied. If you already applied this plan, there is nothing left to apply; otherwise review a new plan: refold-events sync --out ${file}`
  }
}

/** A target as a reader knows it: the URL for REFOLD_BASE_URL, else the environment's name. */
function targetShown(target: Target): string {
  return target.name === 'REFOLD_BASE_URL' ? target.baseUrl : target.name
}

/** The status line of a phase: what is being read, or how much is being planned. */
function phaseText(phase: PlanPhase, target: string, events: number): string {
  if (phase === 'events') return `Reading events from ${target}…`
  if (phase === 'workflows') return `Scanning the workflows of ${target}…`
  return `Planning ${events === 1 ? '1 event' : `${events} events`}…`
}

function report(result: ApplyResult, target: Target, say: (text: string) => void): void {
  const lines: string[] = ['']
  const counts = (['create', 'update', 'delete'] as const).map(
    (action) => `${result.applied.filter((o) => o.action === action).length} ${action}d`,
  )
  lines.push(`Applied to ${target.name}: ${counts.join(', ')}.`)
  for (const outcome of result.applied) if (outcome.detail !== null) lines.push(`  ${outcome.action} ${outcome.name}: ${outcome.detail}`)
  if (result.notApplied.length > 0) {
    lines.push(`Not applied (${result.notApplied.length}); run sync again to retry them:`)
    for (const outcome of result.notApplied) lines.push(`  ${outcome.action} ${outcome.name}: ${outcome.detail ?? 'failed'}`)
  }
  say(`${lines.join('\n')}\n`)
}
