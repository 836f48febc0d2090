/**
 * Saved plans (`sync --out PLAN.json`, `sync --plan PLAN.json`): the plan as JSON, read back
 * with a shape check so a hand-edited or truncated file is refused with a clear message
 * instead of half-applied.
 */
import type { SyncPlan } from '../sync-types.js'

/** The file contents of a saved plan. */
export function serializePlan(plan: SyncPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`
}

/** A saved plan that cannot be used, with the reason. */
export class PlanFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: not a usable sync plan: ${problem}`)
    this.name = 'PlanFileError'
  }
}

/** Parse and check a saved plan; throws {@link PlanFileError}. */
export function parsePlanFile(text: string, file: string): SyncPlan {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new PlanFileError(file, `invalid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const fail = (problem: string): never => {
    throw new PlanFileError(file, problem)
  }
  if (!isRecord(value)) return fail('expected a JSON object written by `sync --out`')
  if (value.formatVersion !== 1) return fail(`unsupported formatVersion ${JSON.stringify(value.formatVersion)} (this version reads 1)`)
  const hashes = value.hashes
  if (!isRecord(hashes) || typeof hashes.local !== 'string' || typeof hashes.remote !== 'string') return fail('missing "hashes"')
  if (!isRecord(value.target) || typeof value.target.baseUrl !== 'string' || typeof value.target.name !== 'string')
    return fail('missing "target"')
  if (!isRecord(value.options) || !isRecord(value.summary)) return fail('missing "options" or "summary"')
  if (!Array.isArray(value.events)) return fail('missing "events"')
  value.events.forEach((event: unknown, i: number) => {
    const at = `events[${i}]`
    if (!isRecord(event) || typeof event.name !== 'string') return fail(`${at}: expected an event with a name`)
    if (!['create', 'update', 'delete', 'unchanged'].includes(event.action as string))
      return fail(`${at}: unknown action ${JSON.stringify(event.action)}`)
    if (!Array.isArray(event.changes)) return fail(`${at}: missing "changes"`)
    if (event.action === 'create' || event.action === 'update') {
      const body = event.body
      if (!isRecord(body) || typeof body.name !== 'string' || typeof body.response !== 'string' || !isRecord(body.json_schema)) {
        return fail(`${at}: ${event.action} without a body {name, response, json_schema}`)
      }
    }
    if (
      (event.action === 'update' || event.action === 'delete') &&
      (typeof event.remoteId !== 'string' || typeof event.remoteFingerprint !== 'string')
    ) {
      return fail(`${at}: ${event.action} without remoteId and remoteFingerprint`)
    }
    if (event.action === 'unchanged' && typeof event.remoteId !== 'string') return fail(`${at}: unchanged without remoteId`)
    return undefined
  })
  // Plans saved before renames could be expanded have no such list: none was in expansion.
  if (!Array.isArray(value.renameExpansions)) value.renameExpansions = []
  return value as unknown as SyncPlan
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
