/**
 * Fingerprints of both sides of a plan. A saved plan (`--out`) records them; applying it
 * (`--plan`) recomputes them and refuses when either moved, so what is applied is exactly
 * what was reviewed (Terraform's saved-plan rule).
 *
 * Each side is serialised at most once, because planning 1,000 events must cost about what
 * listing them does: the YAML side is hashed as the compiler made it (its key order is
 * deterministic for a given YAML and version; a different version at most refuses a saved
 * plan, never applies a wrong one), and a remote event equal to its YAML counterpart
 * (which the planner compares anyway) stands in the remote hash as "same as the YAML",
 * which the local hash pins. Only remote events that differ are serialised.
 */
import { createHash } from 'node:crypto'
import { wireForm } from '../../compile/rename-expansion.js'
import type { CompiledEvent } from '../../types.js'
import { fingerprint, canonicallyEqual } from '../../util/canonical-json.js'
import type { ResponseForm } from '../../wire/event-body.js'
import type { RemoteEventSnapshot, WorkflowScan } from '../sync-types.js'

/** What the YAML asks for: every body sync would write, plus the acknowledgements that gate it. */
export function hashLocal(events: readonly CompiledEvent[], form: ResponseForm): string {
  // The body sync writes is a function of the name, the sample, the form and the schema: hash
  // those, without first writing the sample as the body's JSON string (a second serialisation).
  const hash = createHash('sha256')
  hash.update(form)
  for (const event of [...events].sort((a, b) => compareText(a.definition.name, b.definition.name))) {
    const { name, sample, renames, allowBreaking, previousNames } = event.definition
    const copies = event.renameCopies ?? []
    // Copies and previousNames (which decide renames in place) only when there are any: a project
    // without them keeps the hashes its saved plans carry. Each in its own wrapper, so neither reads as the other.
    const extra = [...(copies.length === 0 ? [] : [copies]), ...(previousNames === undefined ? [] : [{ previousNames }])]
    hash.update(JSON.stringify([name, sample, event.schema, renames, allowBreaking, ...extra]))
    hash.update('\n')
  }
  return hash.digest('hex')
}

/** What the planner already knows about the remote events, so that {@link hashRemote} serialises none twice. */
export interface RemoteFindings {
  /** Ids of the remote events equal to their YAML event as stored. */
  same: ReadonlySet<string>
  /** Fingerprints already taken ({@link remoteEventFingerprint}), by id. */
  fingerprints: ReadonlyMap<string, string>
}

/**
 * What Refold has: every event (id, name, sample, schema; "same as the YAML" when it equals
 * the YAML event of its name: the ids the planner found so, else compared here) and
 * who reads what. A workflow that starts reading a field
 * after review changes the verdict, so it invalidates the plan.
 */
export function hashRemote(
  events: readonly RemoteEventSnapshot[],
  scan: WorkflowScan,
  local: readonly CompiledEvent[],
  findings?: RemoteFindings,
): string {
  const same = findings?.same
  const byName = same === undefined ? new Map(local.map((e) => [e.definition.name, e])) : null
  const seen = new Set<string>()
  const isSame = (event: RemoteEventSnapshot): boolean => {
    if (same !== undefined) return same.has(event.id)
    // As the planner: of several remote events with one name, only the lowest id is matched.
    const first = !seen.has(event.name)
    seen.add(event.name)
    const mine = byName!.get(event.name)
    if (!first || mine === undefined) return false
    const wire = wireForm(mine)
    return canonicallyEqual(event.sample, wire.sample) && canonicallyEqual(event.jsonSchema, wire.schema)
  }
  const hash = createHash('sha256')
  for (const event of [...events].sort((a, b) => compareText(a.id, b.id))) {
    const fingerprint = isSame(event) ? '=' : (findings?.fingerprints.get(event.id) ?? remoteEventFingerprint(event))
    hash.update(`${JSON.stringify([event.id, event.name])} ${fingerprint}\n`)
  }
  const workflows = scan.ok
    ? [...scan.workflows]
        .map((w) => ({
          id: w.id,
          name: w.name,
          app: w.app,
          events: [...w.events].sort(),
          references: w.references.map((r) => r.text).sort(),
        }))
        .sort((a, b) => compareText(a.id, b.id))
    : { scanFailed: true }
  hash.update(fingerprint(workflows))
  return hash.digest('hex')
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** What a remote event is, for "did it change since the plan": name, sample and schema, key order ignored. */
export function remoteEventFingerprint(event: Pick<RemoteEventSnapshot, 'name' | 'sample' | 'jsonSchema'>): string {
  return fingerprint({ name: event.name, sample: event.sample, schema: event.jsonSchema })
}
