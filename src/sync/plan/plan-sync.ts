/**
 * The sync planner: compiled YAML events + remote events + workflow scan -> {@link SyncPlan}.
 * Pure and deterministic (no I/O, no clock): the CLI fetches, this decides, apply writes.
 *
 * An event is unchanged when the sample and the schema sync would write equal, as
 * canonical JSON, what Refold has; a remote event without `json_schema` is taken to
 * have the schema its sample infers to, so adopting a Console event (`pull`) and
 * syncing it back is a no-op.
 */
import type { CompiledEvent, JsonObject, JsonSchema, SourceLocation } from '../../types.js'
import { canonicallyEqual } from '../../util/canonical-json.js'
import { classify, findAcknowledgement, unmatchedAllowBreaking, type ClassifyContext } from './classify-change.js'
import { overridePointer, recordedLocation } from '../../definitions/locate.js'
import { appendPointer } from '../../util/json-pointer.js'
import { sentEvent, wireForm } from '../../compile/rename-expansion.js'
import { describeChange, describeExpansion } from './describe-change.js'
import { buildEventBody, type ResponseForm } from '../../wire/event-body.js'
import { remoteEventFingerprint } from './plan-hashes.js'
import { effectiveRemoteSchema } from './remote-schemas.js'
import { fieldSimilarity, findEventRenames, type EventRenamePair } from './event-renames.js'
import { diffFields, type FieldDelta } from './field-diff.js'
import { widenedShapeObserved } from './observed-widening.js'
import { hashLocal, hashRemote } from './plan-hashes.js'
import { summarise } from './plan-summary.js'
import type {
  Acknowledgement,
  EventDifference,
  EventPlan,
  PlanNote,
  PlanOptions,
  PlannedChange,
  RemoteEventSnapshot,
  RenameExpansion,
  SyncPlan,
  WorkflowScan,
} from '../sync-types.js'
import { collectFields, fieldsFromVariables, type FieldMap } from './trigger-fields.js'
import { formatPath, ITEMS, parsePath, pointerOf } from '../../util/field-path.js'
import { compare, ReaderIndex } from './workflow-references.js'
import { didYouMean } from '../../util/suggest.js'

/** Everything the planner needs, already fetched and compiled. */
export interface PlanInput {
  local: readonly CompiledEvent[]
  remote: readonly RemoteEventSnapshot[]
  workflows: WorkflowScan
  /** The environment planned against (shown, saved; never the key). */
  target: { name: string; baseUrl: string }
  options: PlanOptions
  responseForm: ResponseForm
  /**
   * The schema the project would compile for a definition made of just this name and sample
   * (inference with the project's options), for remote events that carry no `json_schema`.
   */
  inferSchema: (sample: JsonObject, name: string) => JsonSchema
}

/** Compute the plan. */
export function planSync(input: PlanInput): SyncPlan {
  const context: ClassifyContext = {
    scanOk: input.workflows.ok,
    scanError: input.workflows.ok ? null : input.workflows.error,
    options: input.options,
  }
  const planner = new Planner(input, context)
  const events = planner.plan()
  const plan: SyncPlan = {
    formatVersion: 1,
    target: { ...input.target },
    options: { ...input.options },
    workflowScan: input.workflows.ok
      ? { ok: true, workflows: input.workflows.workflows.length }
      : { ok: false, error: input.workflows.error },
    events,
    unmanaged: planner.unmanaged,
    notes: planner.notes,
    renameExpansions: planner.expansions(),
    summary: summarise(events),
    hashes: { local: '', remote: '' },
  }
  // Only a plan that is saved, printed as JSON or checked against a saved one needs its hashes,
  // and hashing serialises the whole YAML side (the largest part of planning 1,000 events with
  // one changed): they are computed when first read, once, from the planner's own findings
  // (which remote events equal their YAML, the fingerprints it took). Still an enumerable
  // property, so JSON.stringify and spreads include it.
  let hashes: SyncPlan['hashes'] | undefined
  Object.defineProperty(plan, 'hashes', {
    enumerable: true,
    configurable: true,
    get: () => {
      hashes ??= {
        local: hashLocal(input.local, input.responseForm),
        remote: hashRemote(input.remote, input.workflows, input.local, {
          same: new Set(events.flatMap((e) => (e.action === 'unchanged' && planner.sameAsYaml.has(e.remoteId) ? [e.remoteId] : []))),
          fingerprints: planner.fingerprints,
        }),
      }
      return hashes
    },
  })
  return plan
}

class Planner {
  readonly notes: PlanNote[] = []
  readonly unmanaged: SyncPlan['unmanaged'] = []
  /** Remote events whose sample and `json_schema` equal their YAML event's as stored (not just effectively). */
  readonly sameAsYaml = new Set<string>()
  /** Renames in expansion whose old field Refold's event never had (`event\0from`): noted, not reported as expansions. */
  private readonly strayCopies = new Set<string>()
  /** Fingerprints of remote events taken for apply's check, by id (the remote hash reuses them). */
  readonly fingerprints = new Map<string, string>()
  private readonly readers: ReaderIndex

  constructor(
    private readonly input: PlanInput,
    private readonly context: ClassifyContext,
  ) {
    this.readers = new ReaderIndex(input.workflows.ok ? input.workflows.workflows : [])
  }

  plan(): EventPlan[] {
    const remoteByName = this.indexRemote()
    const events: EventPlan[] = []
    const fresh = new Map<string, CompiledEvent>()
    for (const event of this.input.local) {
      const remote = remoteByName.get(event.definition.name)
      if (remote === undefined) fresh.set(event.definition.name, event)
      else events.push(this.planExisting(event, remote))
    }
    const localNames = new Set(this.input.local.map((e) => e.definition.name))
    const gone = [...remoteByName.values()].filter((r) => !localNames.has(r.name))
    // A rename the YAML declares (previousNames) needs no guessing and is acknowledged by it.
    const declared = this.declaredRenames(fresh, gone)
    const renamed = new Set(declared.flatMap((r) => [`from:${r.from}`, `to:${r.to}`]))
    const detected = findEventRenames(
      new Map(gone.filter((r) => !renamed.has(`from:${r.name}`)).map((r) => [r.name, this.remoteFields(r)])),
      new Map(
        [...fresh]
          .filter(([name]) => !renamed.has(`to:${name}`))
          .map(([name, e]) => {
            const wire = wireForm(e)
            return [name, collectFields(wire.schema, wire.sample)] as const
          }),
      ),
    )
    const renames = [...declared, ...detected]
    // Workflows bind to an event's id (executions carry custom_trigger_id): an acknowledged
    // rename, or one that blocks until acknowledged, is a PUT of the new name on the same id,
    // so they stay attached. An unacknowledged one nobody reads may be a coincidence (two
    // events with the same fields): it stays a create, and the old event is left alone.
    const inPlace = [...declared, ...detected.filter((r) => this.renamesInPlace(fresh.get(r.to)!, r))]
    for (const event of fresh.values()) {
      const rename = renames.find((r) => r.to === event.definition.name) ?? null
      if (rename !== null && inPlace.includes(rename)) {
        events.push(this.planRename(event, remoteByName.get(rename.from)!, rename, declared.includes(rename)))
      } else events.push(this.planCreate(event, rename))
      this.noteCaseClash(event, remoteByName)
    }
    this.noteLiveNames(remoteByName, declared)
    for (const remote of gone) {
      if (inPlace.some((r) => r.from === remote.name)) continue
      const rename = renames.find((r) => r.from === remote.name) ?? null
      if (this.input.options.prune) events.push(this.planDelete(remote, rename))
      else {
        this.unmanaged.push({ name: remote.name, id: remote.id, workflows: this.readers.workflowsOf(remote.name).length })
        if (rename !== null) {
          this.notes.push({
            message: `remote event "${remote.name}" is left in place (probably renamed to "${rename.to}"); --prune deletes it`,
            location: null,
          })
        }
      }
    }
    return events.sort((a, b) => compare(a.name, b.name) || compare(a.action, b.action))
  }

  /** Remote events by name; Refold refuses duplicate names, but a plan must not assume it. */
  private indexRemote(): Map<string, RemoteEventSnapshot> {
    const byName = new Map<string, RemoteEventSnapshot>()
    const sorted = [...this.input.remote].sort((a, b) => compare(a.id, b.id))
    for (const remote of sorted) {
      const first = byName.get(remote.name)
      if (first === undefined) byName.set(remote.name, remote)
      else
        this.notes.push({
          message: `remote has several events named "${remote.name}" (${first.id}, ${remote.id}); only ${first.id} is synced`,
          location: null,
        })
    }
    return byName
  }

  /** Every rename in expansion of the YAML, with the workflows that still read its old name. */
  expansions(): RenameExpansion[] {
    const out: RenameExpansion[] = []
    for (const event of [...this.input.local].sort((a, b) => compare(a.definition.name, b.definition.name))) {
      const { definition } = event
      for (const copy of event.renameCopies ?? []) {
        if (this.strayCopies.has(`${definition.name}\0${copy.from}`)) continue
        const from = formatPath(copy.oldPath)
        const to = formatPath(copy.newPath)
        const readers = this.readers.readersOf(definition.name, from)
        const expansion = { event: definition.name, from, to, readers, contract: readers.length === 0 && this.context.scanOk }
        out.push({
          ...expansion,
          location: recordedLocation(definition, appendPointer('/renames', copy.from)) ?? eventLocation(event),
          message: describeExpansion(expansion, this.context.scanError),
        })
      }
    }
    return out
  }

  private planExisting(event: CompiledEvent, remote: RemoteEventSnapshot): EventPlan {
    const { definition } = event
    const wire = wireForm(event)
    const effective = effectiveRemoteSchema(remote, this.input.inferSchema)
    const differences: EventDifference[] = []
    if (remote.sample === null || !canonicallyEqual(remote.sample, wire.sample)) differences.push('sample')
    if (effective === null || !canonicallyEqual(effective, wire.schema)) differences.push('json_schema')
    if (differences.length === 0 && remote.jsonSchema !== null) this.sameAsYaml.add(remote.id)
    const base = {
      name: definition.name,
      remoteId: remote.id,
      file: definition.file,
      location: eventLocation(event),
      // Set for an update, which apply checks before writing; an unchanged event is never written.
      remoteFingerprint: null,
      renamedFrom: null,
      renamedTo: null,
    }
    const acknowledges = Object.keys(definition.renames).length > 0 || definition.allowBreaking.length > 0
    if (differences.length === 0 && !acknowledges) return { ...base, action: 'unchanged', differences, changes: [], body: null }
    const before = this.remoteFields(remote)
    const after = collectFields(wire.schema, wire.sample)
    const stray = this.noteStrayCopies(event, before, after)
    const { deltas, problems } = diffFields(before, after, renamesToDiff(event), stray)
    for (const problem of problems) {
      this.notes.push({
        message: `${definition.name}: ${problem.message}`,
        location: recordedLocation(definition, appendPointer('/renames', problem.from)) ?? eventLocation(event),
      })
    }
    const risky = deltas.filter((d) => d.risk === 'breaking-if-read').flatMap((d) => (d.to === null ? [d.path] : [d.path, d.to]))
    this.noteUnmatchedAllowBreaking(event, new Set([...before.keys(), ...after.keys()]), risky)
    if (differences.length === 0) return { ...base, action: 'unchanged', differences, changes: [], body: null }
    const changes = deltas.map((d) => this.fieldChange(event, d))
    return {
      ...base,
      remoteFingerprint: this.fingerprintOf(remote),
      action: 'update',
      differences,
      changes,
      body: buildEventBody(sentEvent(event), this.input.responseForm),
    }
  }

  private fieldChange(event: CompiledEvent, found: FieldDelta): PlannedChange {
    const { definition } = event
    // A widening the recorded examples already show is what readers have been getting all along.
    const delta: FieldDelta =
      found.risk === 'breaking-if-read' && widenedShapeObserved(definition.examples, found) ? { ...found, risk: 'observed' } : found
    const readers = delta.risk === 'breaking-if-read' ? this.readers.readersOf(definition.name, delta.path) : []
    // A contraction is what the expansion exists to make safe: its entry acknowledges it only
    // when the scan succeeded and found no workflow reading the old name. A failed scan finds no
    // readers because it read nothing, which says nothing about who reads the old name.
    const entryKey =
      delta.evidence === 'renames-entry'
        ? (Object.keys(definition.renames).find((k) => formatPath(parsePath(k)) === delta.path) ?? null)
        : null
    const contractionKey = delta.kind !== 'rename-contracted' || (this.context.scanOk && readers.length === 0) ? entryKey : null
    // The copy of a rename in expansion is pushed optional (payloads may lack it): its entry asked for that.
    const renamesKey =
      delta.kind === 'requirement-changed' && !delta.after!.required ? (copyEntry(event, delta.path) ?? contractionKey) : contractionKey
    const paths = delta.to === null ? [delta.path] : [delta.path, delta.to]
    const acknowledged = delta.risk === 'breaking-if-read' ? findAcknowledgement(definition, paths, renamesKey, this.input.options) : null
    const shown = delta.after ?? delta.before!
    const segments = delta.after === null ? shown.segments.slice(0, -1) : shown.segments
    const input = {
      kind: delta.kind,
      event: definition.name,
      path: delta.path,
      to: delta.to,
      before: shape(delta.before),
      after: shape(delta.after),
      evidence: delta.evidence,
    }
    return {
      ...input,
      ...classify(delta.risk, readers, acknowledged, this.context),
      readers,
      // A contraction is said where it is written: the renames entry (the old field has no line left).
      location: changeLocation(event, delta, entryKey, segments),
      message: describeChange(input),
    }
  }

  /**
   * Copies whose old field Refold's event does not have: most likely a typo in the `renames` key
   * (`user.logn`), which acknowledges nothing and, while expanded, adds a field nobody had. Said
   * in the notes as an unmatched entry is; their paths are never paired as a probable rename.
   */
  private noteStrayCopies(event: CompiledEvent, before: FieldMap, after: FieldMap): Set<string> {
    const { definition } = event
    const stray = new Set<string>()
    const removed = [...before.keys()].filter((path) => !after.has(path))
    for (const copy of event.renameCopies ?? []) {
      const from = formatPath(copy.oldPath)
      if (before.has(from)) continue
      stray.add(from)
      this.strayCopies.add(`${definition.name}\0${copy.from}`)
      this.notes.push({
        message: `${definition.name}: renames entry "${copy.from}" -> "${definition.renames[copy.from] ?? ''}": Refold has no field "${from}", so it acknowledges nothing${didYouMean(from, removed)}; while expanded it adds "${from}" as a copy`,
        location: recordedLocation(definition, appendPointer('/renames', copy.from)) ?? eventLocation(event),
      })
    }
    return stray
  }

  private planCreate(event: CompiledEvent, rename: EventRenamePair | null): EventPlan {
    const { definition } = event
    const location = eventLocation(event)
    const wire = wireForm(event)
    const fields = collectFields(wire.schema, wire.sample)
    const fieldCount = fields.size
    this.noteUnmatchedAllowBreaking(event, new Set(fields.keys()))
    const created = {
      kind: 'event-created' as const,
      event: definition.name,
      path: null,
      to: null,
      before: null,
      after: null,
      evidence: null,
    }
    const changes: PlannedChange[] = [
      {
        ...created,
        ...classify('additive', [], null, this.context),
        readers: [],
        location,
        message: describeChange({ ...created, fieldCount }),
      },
    ]
    if (rename !== null) {
      const renamed = {
        kind: 'event-renamed' as const,
        event: rename.from,
        path: null,
        to: definition.name,
        before: null,
        after: null,
        evidence: 'same-fields' as const,
      }
      const readers = this.readers.workflowsOf(rename.from)
      const acknowledged = findAcknowledgement(definition, null, null, this.input.options)
      changes.unshift({
        ...renamed,
        ...classify('breaking-if-read', readers, acknowledged, this.context),
        readers,
        location,
        message: describeChange({ ...renamed, similarity: rename.similarity }),
      })
    }
    return {
      name: definition.name,
      action: 'create',
      remoteId: null,
      file: definition.file,
      location,
      differences: [],
      changes,
      body: buildEventBody(sentEvent(event), this.input.responseForm),
      remoteFingerprint: null,
      renamedFrom: rename?.from ?? null,
      renamedTo: null,
    }
  }

  /** Whether a detected rename is applied in place: acknowledged, or blocking until it is. */
  private renamesInPlace(event: CompiledEvent, rename: EventRenamePair): boolean {
    const acknowledged = findAcknowledgement(event.definition, null, null, this.input.options)
    // classify drops --allow-breaking on a change nobody reads: that is no acknowledgement of a rename.
    const verdict = classify('breaking-if-read', this.readers.workflowsOf(rename.from), acknowledged, this.context)
    return verdict.acknowledged !== null || verdict.severity === 'breaking'
  }

  /**
   * An event renamed in the YAML, planned as an update of the old remote event: the new
   * name (and any field changes) PUT on its id. The rename itself is a change that can break
   * whoever still fires the old name (backends deployed before the rename get 404 until
   * redeployed), classified by the workflows attached to the event.
   */
  private planRename(event: CompiledEvent, remote: RemoteEventSnapshot, rename: EventRenamePair, declared: boolean): EventPlan {
    const { definition } = event
    const location = eventLocation(event)
    const before = this.remoteFields(remote)
    const wire = wireForm(event)
    const { deltas } = diffFields(before, collectFields(wire.schema, wire.sample), renamesToDiff(event))
    const renamed = {
      kind: 'event-renamed' as const,
      event: rename.from,
      path: null,
      to: definition.name,
      before: null,
      after: null,
      evidence: declared ? ('previous-names' as const) : ('same-fields' as const),
    }
    const readers = this.readers.workflowsOf(rename.from)
    const acknowledged: Acknowledgement | null = declared
      ? {
          by: 'previousNames',
          reason: `previousNames: ${rename.from}`,
          location: recordedLocation(definition, `/previousNames/${definition.previousNames!.indexOf(rename.from)}`),
        }
      : findAcknowledgement(definition, null, null, this.input.options)
    const changes: PlannedChange[] = [
      {
        ...renamed,
        ...classify('breaking-if-read', readers, acknowledged, this.context),
        readers,
        location,
        message: describeChange({ ...renamed, similarity: rename.similarity }),
      },
      ...deltas.map((d) => this.fieldChange(event, d)),
    ]
    const differences: EventDifference[] = []
    if (remote.sample === null || !canonicallyEqual(remote.sample, wire.sample)) differences.push('sample')
    const effective = effectiveRemoteSchema(remote, this.input.inferSchema)
    if (effective === null || !canonicallyEqual(effective, wire.schema)) differences.push('json_schema')
    return {
      name: definition.name,
      action: 'update',
      remoteId: remote.id,
      file: definition.file,
      location,
      differences,
      changes,
      body: buildEventBody(sentEvent(event), this.input.responseForm),
      remoteFingerprint: this.fingerprintOf(remote),
      renamedFrom: rename.from,
      renamedTo: null,
    }
  }

  /**
   * Renames the YAML declares: a new event (no remote of its name) whose `previousNames`
   * include a remote event no YAML has any more, the first such name in the list's order.
   */
  private declaredRenames(fresh: ReadonlyMap<string, CompiledEvent>, gone: readonly RemoteEventSnapshot[]): EventRenamePair[] {
    const goneByName = new Map(gone.map((r) => [r.name, r]))
    const pairs: EventRenamePair[] = []
    const taken = new Set<string>()
    for (const [name, event] of fresh) {
      const from = event.definition.previousNames?.find((previous) => goneByName.has(previous) && !taken.has(previous))
      if (from === undefined) continue
      taken.add(from)
      const wire = wireForm(event)
      const similarity = fieldSimilarity(this.remoteFields(goneByName.get(from)!), collectFields(wire.schema, wire.sample))
      pairs.push({ from, to: name, similarity })
    }
    return pairs
  }

  /**
   * Which names of an event with `previousNames` are live: the one Refold knows it by (and
   * its id), and the ones generated code fires. Helpers fire the new name and fall back to
   * the previous ones on 404 INVALID_EVENT; code generated before `previousNames` fires only
   * the old name, which Refold answers 404 once the rename is applied.
   */
  private noteLiveNames(remoteByName: ReadonlyMap<string, RemoteEventSnapshot>, declared: readonly EventRenamePair[]): void {
    for (const event of this.input.local) {
      const { definition } = event
      const previous = definition.previousNames ?? []
      if (previous.length === 0) continue
      const name = definition.name
      const location = recordedLocation(definition, '/previousNames') ?? eventLocation(event)
      const fallback = previous.map((p) => `"${p}"`).join(', ')
      const rename = declared.find((r) => r.to === name)
      const current = remoteByName.get(name)
      if (rename !== undefined) {
        const old = remoteByName.get(rename.from)!
        this.notes.push({
          message:
            `live names of "${name}": Refold knows this event as "${rename.from}" (id ${old.id}) until the rename in this plan is applied; ` +
            `generated code fires "${name}" and falls back to ${fallback} while Refold answers 404 INVALID_EVENT for it. ` +
            `Deploy that code before applying: afterwards Refold answers 404 for "${rename.from}", so backends still firing only it fail until redeployed`,
          location,
        })
      } else if (current !== undefined) {
        const stillThere = previous.filter((p) => remoteByName.has(p))
        this.notes.push({
          message:
            `live names of "${name}": Refold knows this event as "${name}" (id ${current.id}); generated code fires it and would fall back to ${fallback}, ` +
            (stillThere.length === 0
              ? `which Refold answers 404 INVALID_EVENT. Remove previousNames once no backend fires the old ${previous.length === 1 ? 'name' : 'names'}`
              : `but ${stillThere.map((p) => `"${p}"`).join(', ')} ${stillThere.length === 1 ? 'is' : 'are'} another Refold event, whose workflows a fallback never reaches while "${name}" exists`),
          location,
        })
      }
    }
  }

  private planDelete(remote: RemoteEventSnapshot, rename: EventRenamePair | null): EventPlan {
    const changes: PlannedChange[] = []
    // A rename's old event carries no change of its own: the rename on the new event says it all.
    if (rename === null) {
      const deleted = {
        kind: 'event-deleted' as const,
        event: remote.name,
        path: null,
        to: null,
        before: null,
        after: null,
        evidence: null,
      }
      const readers = this.readers.workflowsOf(remote.name)
      const acknowledged = findAcknowledgement(null, null, null, this.input.options)
      changes.push({
        ...deleted,
        ...classify('breaking-if-read', readers, acknowledged, this.context),
        readers,
        location: null,
        message: describeChange(deleted),
      })
    }
    return {
      name: remote.name,
      action: 'delete',
      remoteId: remote.id,
      file: null,
      location: null,
      differences: [],
      changes,
      body: null,
      remoteFingerprint: this.fingerprintOf(remote),
      renamedFrom: null,
      renamedTo: rename?.to ?? null,
    }
  }

  private fingerprintOf(remote: RemoteEventSnapshot): string {
    let fingerprint = this.fingerprints.get(remote.id)
    if (fingerprint === undefined) {
      fingerprint = remoteEventFingerprint(remote)
      this.fingerprints.set(remote.id, fingerprint)
    }
    return fingerprint
  }

  private remoteFields(remote: RemoteEventSnapshot): FieldMap {
    const schema = effectiveRemoteSchema(remote, this.input.inferSchema)
    return schema === null ? fieldsFromVariables(remote.variables) : collectFields(schema, remote.sample)
  }

  private noteUnmatchedAllowBreaking(event: CompiledEvent, fields: ReadonlySet<string>, risky: readonly string[] = []): void {
    for (const unmatched of unmatchedAllowBreaking(event.definition, fields, risky)) {
      this.notes.push({ message: `${event.definition.name}: ${unmatched.message}`, location: unmatched.location ?? eventLocation(event) })
    }
  }

  /** Refold names are case-sensitive: `new contact created` beside `New Contact Created` is a second event. */
  private noteCaseClash(event: CompiledEvent, remoteByName: Map<string, RemoteEventSnapshot>): void {
    const name = event.definition.name
    for (const other of remoteByName.keys()) {
      if (other !== name && other.toLowerCase() === name.toLowerCase()) {
        this.notes.push({
          message: `remote event "${other}" differs from "${name}" only in case; Refold names are case-sensitive, so "${name}" is created beside it`,
          location: eventLocation(event),
        })
      }
    }
  }
}

/**
 * The `renames` entries the field diff pairs up: not those in expansion, whose old field is
 * still sent (a copy, reported as an expansion), so there is nothing to pair.
 */
function renamesToDiff(event: CompiledEvent): Record<string, string> {
  const expanded = new Set((event.renameCopies ?? []).map((c) => c.from))
  return Object.fromEntries(Object.entries(event.definition.renames).filter(([from]) => !expanded.has(from)))
}

function shape(field: FieldDelta['before']): PlannedChange['before'] {
  return field === null ? null : { types: field.types, nullable: field.nullable, format: field.format, required: field.required }
}

/**
 * The `renames` key of the copy that writes the field at `path` (the old field, or an object the
 * copy creates on the way to it), or null.
 */
function copyEntry(event: CompiledEvent, path: string): string | null {
  for (const copy of event.renameCopies ?? []) {
    for (let length = copy.keptPrefix + 1; length <= copy.oldPath.length; length++) {
      if (formatPath(copy.oldPath.slice(0, length)) === path) return copy.from
    }
  }
  return null
}

/**
 * Where a field change is said: a contraction, and a copy of a rename in expansion, at their
 * `renames` entry (the old field has no line of its own); anything else at the field.
 */
function changeLocation(event: CompiledEvent, delta: FieldDelta, entryKey: string | null, segments: readonly string[]): SourceLocation {
  const key =
    delta.kind === 'rename-contracted'
      ? entryKey
      : ((event.renameCopies ?? []).find((c) => formatPath(c.oldPath) === delta.path)?.from ?? null)
  const entry = key === null ? null : recordedLocation(event.definition, appendPointer('/renames', key))
  return entry ?? fieldLocation(event, segments)
}

function eventLocation(event: CompiledEvent): SourceLocation {
  return recordedLocation(event.definition, '/name') ?? { file: event.definition.file, line: 1, column: 1 }
}

/**
 * The YAML line of a field: its sample value, else where an example or the `schema`
 * override mentions it, else the nearest enclosing field, else the event's name.
 */
function fieldLocation(event: CompiledEvent, segments: readonly string[]): SourceLocation {
  const { definition } = event
  for (let length = segments.length; length > 0; length--) {
    const prefix = segments.slice(0, length)
    const pointers = [
      pointerOf('/sample', prefix),
      ...definition.examples.map((_, i) => pointerOf(`/examples/${i}`, prefix)),
      overridePointer(prefix, ITEMS),
    ]
    for (const pointer of pointers) {
      const found = recordedLocation(definition, pointer)
      if (found !== null) return found
    }
  }
  return recordedLocation(definition, '/sample') ?? eventLocation(event)
}
