/**
 * `learn` as data: recorded payloads + the project's definitions and file texts -> per
 * event the examples to add, the schema changes they make (the sync planner's field
 * diff), the records only an override change can accept, and the new text of each file.
 * Nothing is written here; the plan is checked as a whole (the edited project compiles and
 * every record of a known event validates) before the CLI writes anything.
 */
import { compileDefinitions } from '../compile/compile-project.js'
import { describeChange } from '../sync/plan/describe-change.js'
import { diffFields } from '../sync/plan/field-diff.js'
import { collectFields } from '../sync/plan/trigger-fields.js'
import type { ChangeKind, FieldShape } from '../sync/sync-types.js'
import { jsonEqual } from '../util/json-equal.js'
import type { EventDefinition, InferOptions, JsonSchema } from '../types.js'
import { suggest } from '../util/suggest.js'
import { appendExamples } from './append-examples.js'
import { checkRecords } from './check-records.js'
import { recordedEventLookup } from './event-lookup.js'
import { LearnError, learnEvent, type AddedExample, type RefusedRecord } from './learn-event.js'
import type { PayloadRecord } from './payload-records.js'

/** What `learn` reads. */
export interface LearnInput {
  /** Every definition of the project (all compile without errors). */
  definitions: readonly EventDefinition[]
  /** The text of each definition's file, keyed by `definition.file`. */
  texts: ReadonlyMap<string, string>
  records: readonly PayloadRecord[]
  inference: InferOptions
  keepValues: boolean
}

/** One schema change an event's new examples make. */
export interface SchemaChange {
  kind: ChangeKind
  /** Dotted trigger-variable path (`issue.milestone`, `labels[].name`). */
  path: string
  before: FieldShape | null
  after: FieldShape | null
  /** One line, in the words `sync` uses. */
  description: string
}

/** What learning does to one event. */
export interface EventLearning {
  name: string
  file: string
  records: number
  alreadyValid: number
  added: AddedExample[]
  changes: SchemaChange[]
  refused: RefusedRecord[]
  /** Bytes the file grows by. */
  bytesAdded: number
}

/** The whole plan. */
export interface LearnPlan {
  events: EventLearning[]
  /** Records of events the project does not define, with the closest defined name. */
  unknown: Array<{ record: PayloadRecord; suggestion: string | null }>
  /** New text of each file that changes. */
  writes: Array<{ file: string; text: string }>
}

/** Plan `learn`. Throws {@link LearnError} when the result would not compile or would not accept the records. */
export async function planLearn(input: LearnInput): Promise<LearnPlan> {
  const byName = new Map(input.definitions.map((d) => [d.name, d]))
  const lookup = recordedEventLookup(input.definitions, (d) => d)
  const recordsByEvent = new Map<string, PayloadRecord[]>()
  const unknown: LearnPlan['unknown'] = []
  for (const record of input.records) {
    // A record fired before a rename (under a previous name) teaches the event it now is.
    const name = lookup(record.event)?.item.name
    if (name === undefined) {
      unknown.push({ record, suggestion: suggest(record.event, byName.keys()) ?? null })
      continue
    }
    const list = recordsByEvent.get(name) ?? []
    list.push(record)
    recordsByEvent.set(name, list)
  }
  const events: EventLearning[] = []
  const writes: LearnPlan['writes'] = []
  const finalDefinitions = new Map(input.definitions.map((d) => [d.name, d]))
  const learnedSchemas = new Map<string, JsonSchema>()
  for (const name of [...recordsByEvent.keys()].sort()) {
    const definition = byName.get(name)!
    const records = recordsByEvent.get(name)!
    const learned = await learnEvent(definition, records, { inference: input.inference, keepValues: input.keepValues })
    learnedSchemas.set(name, learned.after.schema)
    const beforeFields = collectFields(learned.before.schema, learned.before.definition.sample)
    const afterFields = collectFields(learned.after.schema, learned.after.definition.sample)
    const changes = diffFields(beforeFields, afterFields).deltas.map(
      (delta): SchemaChange => ({
        kind: delta.kind,
        path: delta.path,
        before: delta.before,
        after: delta.after,
        description: describeChange({ ...delta, event: name, evidence: delta.evidence }),
      }),
    )
    let bytesAdded = 0
    if (learned.added.length > 0) {
      const text = input.texts.get(definition.file)
      if (text === undefined) throw new LearnError(`${definition.file}: the file's text was not read`)
      const comment = input.keepValues
        ? `learned from recorded payloads (refold-events learn --keep-values)`
        : `learned from recorded payloads (refold-events learn; values redacted)`
      const edited = await appendExamples(
        text,
        definition,
        learned.added.map((a) => a.example),
        { comment },
      )
      bytesAdded = Buffer.byteLength(edited.text) - Buffer.byteLength(text)
      writes.push({ file: definition.file, text: edited.text })
      finalDefinitions.set(name, edited.definition)
    }
    events.push({
      name,
      file: definition.file,
      records: records.length,
      alreadyValid: learned.alreadyValid,
      added: learned.added,
      changes,
      refused: learned.refused,
      bytesAdded,
    })
  }
  await verify([...finalDefinitions.values()], input, learnedSchemas, events)
  return { events, unknown, writes }
}

/**
 * The edited project must compile, and every record not refused must validate against it.
 * learnEvent checked each record against the schema it compiled in memory; the files read
 * back must compile to that same schema, else the records are checked again against what
 * the files say (an ajv compile per such event, which is what costs).
 */
async function verify(
  definitions: EventDefinition[],
  input: LearnInput,
  learned: ReadonlyMap<string, JsonSchema>,
  events: readonly EventLearning[],
): Promise<void> {
  const compiled = await compileDefinitions(definitions, input.inference)
  const error = compiled.diagnostics.find((d) => d.severity === 'error')
  if (error !== undefined) {
    throw new LearnError(`the edited ${error.file} would not pass check (line ${error.line}: ${error.message}); nothing was written`)
  }
  const refused = new Set(events.flatMap((e) => e.refused.map((r) => r.record)))
  const differing = compiled.events.filter((e) => learned.has(e.definition.name) && !jsonEqual(e.schema, learned.get(e.definition.name)!))
  const names = new Set(differing.map((e) => e.definition.name))
  const lookup = recordedEventLookup(differing, (e) => e.definition)
  const records = input.records.filter((r) => !refused.has(r) && names.has(lookup(r.event)?.item.definition.name ?? ''))
  const report = await checkRecords(records, differing)
  const invalid = report.results.find((r) => r.status !== 'valid')
  if (invalid !== undefined) {
    throw new LearnError(
      `${invalid.file}:${invalid.line}:${invalid.column}: the record of "${invalid.event}" would still not validate after learning; nothing was written`,
    )
  }
}
