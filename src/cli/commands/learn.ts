/**
 * `refold-events learn FILE...`: fold recorded payloads into the event files so every one
 * of them validates, adding the fewest examples (redacted stand-ins unless
 * `--keep-values`), with comments and layout of each file kept. `--dry-run` prints the
 * schema changes per event and writes nothing. Files are written atomically, all or none.
 * Exit 1 when an input cannot be read (nothing written), or when a record is left out
 * (an unknown event, or one only a `schema` override change can accept).
 */
import { resolve } from 'node:path'
import { readFile } from 'node:fs/promises'
import { compileProject } from '../../compile/compile-project.js'
import { loadConfig } from '../../config/load-config.js'

import { AppendExamplesError } from '../../learn/append-examples.js'
import { LearnError, type RefusedRecord } from '../../learn/learn-event.js'
import { planLearn, type EventLearning, type LearnPlan } from '../../learn/plan-learn.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import { humanDiagnostic } from '../diagnostics-output.js'
import { useColor, type CliIO } from '../io.js'
import { readRecordInputs } from '../record-inputs.js'
import { countDiagnostics, plural } from '../../diagnostics.js'
import { ExitCode, ExitError } from '../exit.js'

export interface LearnOptions {
  /** The inputs: paths, or `-` for standard input. */
  files: string[]
  /** `--config PATH`, relative to the current directory. */
  config?: string
  /** `--dry-run`: print the changes, write nothing. */
  dryRun?: boolean
  /** `--keep-values`: add payloads as recorded, not redacted. */
  keepValues?: boolean
}

/** Run `learn` and return its exit code. */
export async function runLearn(options: LearnOptions, io: CliIO): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  const compiled = await compileProject(config, { cwd: io.cwd })
  const color = useColor(io)
  if (countDiagnostics(compiled.diagnostics).errors > 0) {
    for (const diagnostic of compiled.diagnostics) io.stderr(`${humanDiagnostic(diagnostic, color)}\n`)
    io.stderr('the event definitions have errors (see above); fix them before learning from records; nothing written\n')
    return ExitCode.error
  }
  const input = await readRecordInputs(options.files, io)
  for (const problem of input.problems) io.stderr(`${humanDiagnostic(problem, color)}\n`)
  if (countDiagnostics(input.problems).errors > 0) {
    // Learning from part of a recording would widen the schema for only some of it.
    io.stderr('an input could not be read (see above); nothing written\n')
    return ExitCode.error
  }
  const definitions = compiled.events.map((event) => event.definition)
  const needed = new Set(input.records.map((r) => r.event))
  const texts = new Map<string, string>()
  for (const definition of definitions) {
    // A record under a previous name (fired before a rename) is learned into the renamed event.
    if (!needed.has(definition.name) && !(definition.previousNames ?? []).some((name) => needed.has(name))) continue
    try {
      texts.set(definition.file, await readFile(resolve(io.cwd, definition.file), 'utf8'))
    } catch (error) {
      throw new ExitError(`cannot read ${definition.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); nothing written`)
    }
  }
  let plan: LearnPlan
  try {
    plan = await planLearn({
      definitions,
      texts,
      records: input.records,
      inference: config.inference,
      keepValues: options.keepValues === true,
    })
  } catch (error) {
    if (error instanceof LearnError || error instanceof AppendExamplesError) throw new ExitError(error.message)
    throw error
  }
  io.stdout(describePlan(plan, options.dryRun === true, options.keepValues === true))
  if (options.dryRun !== true && plan.writes.length > 0) {
    await writeAll(plan.writes, texts, io)
    io.stdout(`wrote ${plan.writes.map((w) => w.file).join(', ')}; review the diff, then run refold-events check\n`)
  } else if (options.dryRun === true) {
    io.stdout('nothing written (--dry-run)\n')
  }
  const leftOut = plan.unknown.length + plan.events.reduce((n, e) => n + e.refused.length, 0)
  return leftOut === 0 ? ExitCode.ok : ExitCode.error
}

function describePlan(plan: LearnPlan, dryRun: boolean, keepValues: boolean): string {
  const lines: string[] = []
  for (const event of plan.events) lines.push(...describeEvent(event, dryRun, keepValues))
  for (const { record, suggestion } of plan.unknown) {
    const hint = suggestion === null ? '' : ` (did you mean "${suggestion}"?)`
    lines.push(
      `${record.file}:${record.line}:${record.column}: event "${record.event}" is not defined in this project${hint}; record not learned`,
    )
  }
  const added = plan.events.reduce((n, e) => n + e.added.length, 0)
  const records = plan.events.reduce((n, e) => n + e.records, 0) + plan.unknown.length
  lines.push(
    `${plural(records, 'record')}, ${plural(added, 'example')} ${dryRun ? 'to add' : 'added'} to ${plural(plan.writes.length, 'file')}`,
  )
  return `${lines.join('\n')}\n`
}

function describeEvent(event: EventLearning, dryRun: boolean, keepValues: boolean): string[] {
  const size = event.bytesAdded === 0 ? '' : ` (+${event.bytesAdded} bytes)`
  const verb = dryRun ? 'would add' : 'added'
  const lines = [
    `${event.name} (${event.file}): ${plural(event.records, 'record')}, ${event.alreadyValid} already valid, ${verb} ${plural(event.added.length, 'example')}${size}`,
  ]
  for (const change of event.changes) lines.push(`  ${change.description}`)
  // With redaction on, every real value that still goes into the file is named.
  for (const example of keepValues ? [] : event.added) {
    const at = `${example.record.file}:${example.record.line}:${example.record.column}`
    if (example.kept.includes('')) lines.push(`  ${at}: added as recorded (no redacted stand-in validates where it does)`)
    else if (example.kept.length > 0)
      lines.push(`  ${at}: kept the real value at ${example.kept.join(', ')} (no redacted stand-in fits there)`)
  }
  for (const refused of event.refused) {
    const { record } = refused
    lines.push(`  ${record.file}:${record.line}:${record.column}: not learned: ${REFUSAL[refused.reason]}:`)
    for (const m of refused.mismatches) lines.push(`    ${m.path === '' ? '(payload)' : m.path}: expected ${m.expected}, got ${m.actual}`)
  }
  return lines
}

const REFUSAL: Record<RefusedRecord['reason'], string> = {
  override: "the event's schema override does not accept it; change the override or the sender",
  compile: 'as an example it would not pass check (a dotted field name beside the same nested field, or nesting deeper than 64 levels)',
  narrowed: 'a later example narrowed a field it relies on; add it to the examples by hand',
}

/** Every file or none: a failed write puts back the files already written. */
async function writeAll(writes: LearnPlan['writes'], originals: ReadonlyMap<string, string>, io: CliIO): Promise<void> {
  const done: string[] = []
  for (const write of writes) {
    try {
      await writeFileAtomic(resolve(io.cwd, write.file), write.text)
      done.push(write.file)
    } catch (error) {
      for (const file of done) await writeFileAtomic(resolve(io.cwd, file), originals.get(file)!)
      const code = (error as NodeJS.ErrnoException).code
      throw new ExitError(
        `cannot write ${write.file}${code === undefined ? '' : ` (${code})`}; the files already written were put back, nothing changed`,
      )
    }
  }
}
