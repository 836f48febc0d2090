/**
 * The fewest examples that make every recorded payload of one event validate, chosen
 * greedily: in record order, a payload becomes an example only when it does not already
 * validate against the schema compiled with the examples chosen so far. The schema is
 * compiled by the project's own compiler (inference, policy, override, checks), so what
 * `learn` adds is exactly what `check` and `generate` will see.
 *
 * An example is a redacted stand-in of the payload unless values are kept. A stand-in
 * must pass every check the real value passes (an override's pattern, enum or bounds) and
 * must widen the schema enough for the real payload; where it does not, the real value is
 * kept at that place and reported. A payload that even as written cannot be an example
 * (it contradicts the author's override) is refused, never forced in.
 */
import { compileEvent } from '../compile/compile-project.js'
import { overrideConstrains } from '../compile/check-override.js'
import type { CompiledEvent, EventDefinition, InferOptions, JsonObject, JsonValue } from '../types.js'
import { jsonEqual } from '../util/json-equal.js'
import { compilePayloadCheck, type PayloadCheck, type PayloadMismatch } from './payload-checker.js'
import type { PayloadRecord } from './payload-records.js'
import { redactPayload, restoreValue } from './redact-payload.js'
import { withoutRenamedCopies } from '../wire/renamed-copies.js'

/** Options of {@link learnEvent}. */
export interface LearnEventOptions {
  inference: InferOptions
  /** Add payloads as recorded instead of redacted stand-ins. */
  keepValues: boolean
}

/** One example chosen for an event. */
export interface AddedExample {
  /** The record it stands for. */
  record: PayloadRecord
  example: JsonObject
  /** JSON Pointers where the real value was kept (no stand-in fits there); `''` for the whole payload. */
  kept: string[]
}

/** A record `learn` leaves out (reported, never dropped silently), and why. */
export interface RefusedRecord {
  record: PayloadRecord
  /** Its mismatches against the learned schema (kinds only, never values). */
  mismatches: PayloadMismatch[]
  /**
   * Why: `override` (as an example it breaks the event's `schema` override), `compile` (as an
   * example the event would not compile for another reason: a dotted field beside a nested
   * one, too deep), `narrowed` (an example added later narrowed a field it relied on).
   */
  reason: 'override' | 'compile' | 'narrowed'
}

/** What learning did to one event. */
export interface LearnedEvent {
  before: CompiledEvent
  /** The event compiled with the added examples (equal to `before` when none). */
  after: CompiledEvent
  added: AddedExample[]
  refused: RefusedRecord[]
  /** Records that validated against the schema before learning. */
  alreadyValid: number
}

/** `learn` cannot go on: an event does not compile to start with, or the edited files would not pass `check`. */
export class LearnError extends Error {}

/** Rounds of putting real values back before a stand-in is given up for the real payload. */
const MAX_RESTORE_ROUNDS = 8
/** Passes over the records: a later example can narrow a field that was unknown (always null). */
const MAX_PASSES = 3

/** Choose the examples that make `records` (all of `definition`'s event) validate. */
export async function learnEvent(
  definition: EventDefinition,
  records: readonly PayloadRecord[],
  options: LearnEventOptions,
): Promise<LearnedEvent> {
  const before = await compileOrThrow(definition, options.inference)
  // Recorded fires carry the old fields of renames in expansion as copies: learned from, an old
  // path would become a field, the copy would stop (silently) and the helpers stop sending it.
  // Each record is read as its caller wrote it.
  const copies = before.renameCopies ?? []
  const payloads = new Map(records.map((record) => [record, withoutRenamedCopies(record.payload, copies) as JsonObject]))
  const payloadOf = (record: PayloadRecord): JsonObject => payloads.get(record)!
  // Without a constraining override, a stand-in (same types, same formats) passes whatever
  // the real value passes, so only the widening needs checking: an ajv compile saved per
  // example, and ajv compiles are what learning costs (hundreds of ms for a large schema).
  const constrained = definition.schema !== undefined && overrideConstrains(definition.schema as JsonValue)
  let current = before
  const added: AddedExample[] = []
  const refused = new Set<PayloadRecord>()
  let check = await compilePayloadCheck(current.schema)
  const alreadyValid = records.filter((record) => check.accepts(payloadOf(record))).length
  try {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let changed = false
      for (const record of records) {
        if (refused.has(record) || check.accepts(payloadOf(record))) continue
        const base = [...current.definition.examples]
        const chosen = await chooseExample(definition, base, payloadOf(record), { ...options, constrained })
        if (chosen === undefined) {
          // Even as written it cannot be an example: the author's override rejects it.
          refused.add(record)
          continue
        }
        added.push({ record, example: chosen.example, kept: chosen.kept })
        current = chosen.event
        check.release()
        check = chosen.check
        changed = true
      }
      if (!changed) break
    }
    // A record refused early may validate after a later example widened the schema; one
    // still invalid after the last pass (an always-null field narrowed by a later example)
    // is reported the same way: never dropped silently.
    const invalid: RefusedRecord[] = []
    for (const record of records) {
      const mismatches = check.mismatches(payloadOf(record))
      if (mismatches.length === 0) continue
      invalid.push({ record, mismatches, reason: !refused.has(record) ? 'narrowed' : constrained ? 'override' : 'compile' })
    }
    return { before, after: current, added, refused: invalid, alreadyValid }
  } finally {
    check.release()
  }
}

interface Chosen {
  event: CompiledEvent
  /** The compiled check of `event`'s schema (the caller releases it). */
  check: PayloadCheck
  example: JsonObject
  kept: string[]
}

/**
 * The example that stands for `payload`: redacted unless values are kept, or undefined
 * when not even the payload as written can be an example.
 */
async function chooseExample(
  definition: EventDefinition,
  base: JsonObject[],
  payload: JsonObject,
  options: LearnEventOptions & { constrained: boolean },
): Promise<Chosen | undefined> {
  const compileWith = async (example: JsonObject): Promise<CompiledEvent | undefined> =>
    (await compileEvent(withExamples(definition, [...base, example]), options.inference)).event
  const asRecorded = async (): Promise<Chosen | undefined> => {
    const event = await compileWith(payload)
    return event === undefined ? undefined : { event, check: await compilePayloadCheck(event.schema), example: payload, kept: [''] }
  }
  if (options.keepValues) return asRecorded()
  const redacted = redactPayload(payload)
  let candidate = redacted.value
  const kept = new Set(redacted.kept)
  // Checks the real value passes (an override's pattern, enum, bounds): the stand-in must too.
  let real: PayloadCheck | undefined
  if (options.constrained) {
    const withReal = await compileWith(payload)
    if (withReal === undefined) return undefined
    real = await compilePayloadCheck(withReal.schema)
  }
  try {
    for (let round = 0; round < MAX_RESTORE_ROUNDS; round++) {
      let failing = real?.mismatches(candidate).map((m) => m.path) ?? []
      if (failing.length === 0) {
        const event = await compileWith(candidate)
        if (event === undefined) break
        const widened = await compilePayloadCheck(event.schema)
        // The stand-in must widen the schema as far as the real payload needs.
        failing = widened.mismatches(payload).map((m) => m.path)
        if (failing.length === 0) return { event, check: widened, example: candidate, kept: [...kept].sort() }
        widened.release()
      }
      const restored = failing.reduce((value, path) => restoreValue(value, payload, path), candidate)
      if (jsonEqual(restored, candidate)) break
      for (const path of failing) kept.add(path)
      candidate = restored
    }
  } finally {
    real?.release()
  }
  return asRecorded()
}

async function compileOrThrow(definition: EventDefinition, inference: InferOptions): Promise<CompiledEvent> {
  const { event, diagnostics } = await compileEvent(definition, inference)
  if (event === undefined) {
    const first = diagnostics.find((d) => d.severity === 'error')
    throw new LearnError(
      `event "${definition.name}" (${definition.file}) does not compile${first === undefined ? '' : `: ${first.message}`}; run refold-events check`,
    )
  }
  return event
}

function withExamples(definition: EventDefinition, examples: JsonObject[]): EventDefinition {
  return { ...definition, examples }
}
