/**
 * In-memory building blocks for planner tests: compiled events, remote snapshots and
 * workflows without YAML files or HTTP.
 */
import type { CompiledEvent, JsonObject, JsonSchema, Position } from '../../src/types.js'
import type { PlanInput } from '../../src/sync/plan/plan-sync.js'
import type { RemoteEventSnapshot, WorkflowInfo } from '../../src/sync/sync-types.js'
import { findReferences } from '../../src/sync/plan/workflow-references.js'

/** A tiny schema builder: `obj({ a: str(), b: opt(int()) })`. */
export const str = (format?: string): JsonSchema => (format === undefined ? { type: 'string' } : { type: 'string', format })
export const int = (): JsonSchema => ({ type: 'integer' })
export const num = (): JsonSchema => ({ type: 'number' })
export const bool = (): JsonSchema => ({ type: 'boolean' })
export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, type: [schema.type as 'string', 'null'] })
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items })
const OPTIONAL = Symbol('optional')
export const opt = (schema: JsonSchema): JsonSchema => ({ ...schema, [OPTIONAL]: true }) as JsonSchema
export function obj(properties: Record<string, JsonSchema>): JsonSchema {
  const required = Object.entries(properties)
    .filter(([, s]) => (s as Record<symbol, unknown>)[OPTIONAL] !== true)
    .map(([k]) => k)
  const clean = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, Object.fromEntries(Object.entries(s)) as JsonSchema]))
  return { type: 'object', properties: clean, required, additionalProperties: false }
}

/** A compiled event whose every sample node has a fake location (line = order of appearance). */
export function compiled(
  name: string,
  sample: JsonObject,
  schema: JsonSchema,
  extra: { renames?: Record<string, string>; allowBreaking?: Array<{ field: string; reason: string }>; examples?: JsonObject[] } = {},
): CompiledEvent {
  const file = `events/${name.toLowerCase().replace(/\s+/g, '-')}.yaml`
  const locations: Record<string, Position> = {
    '': { line: 1, column: 1 },
    '/name': { line: 1, column: 7 },
    '/sample': { line: 2, column: 1 },
  }
  let line = 3
  const walk = (value: unknown, pointer: string): void => {
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      const at = `${pointer}/${key}`
      locations[at] = { line: line++, column: 3 }
      walk(child, at)
    }
  }
  walk(sample, '/sample')
  for (const key of Object.keys(extra.renames ?? {})) locations[`/renames/${key}`] = { line: line++, column: 3 }
  ;(extra.allowBreaking ?? []).forEach((_, i) => (locations[`/allowBreaking/${i}`] = { line: line++, column: 5 }))
  return {
    definition: {
      name,
      identifier: name.replace(/[^A-Za-z0-9]/g, ''),
      file,
      sample,
      examples: extra.examples ?? [],
      renames: extra.renames ?? {},
      allowBreaking: extra.allowBreaking ?? [],
      locations,
    },
    schema,
    fileName: name.toLowerCase().replace(/\s+/g, '-'),
  }
}

/** The remote twin of a compiled event (as a previous sync would have left it), optionally changed. */
export function remoteOf(event: CompiledEvent, id: string, overrides: Partial<RemoteEventSnapshot> = {}): RemoteEventSnapshot {
  return { id, name: event.definition.name, sample: event.definition.sample, jsonSchema: event.schema, variables: [], ...overrides }
}

/** A workflow triggered by `event` whose steps hold `templates`. */
export function workflow(id: string, name: string, event: string, templates: string[], app: string | null = 'hubspot'): WorkflowInfo {
  return { id, name, app, events: [event], references: findReferences({ nodes: templates.map((t) => ({ config: { body: t } })) }) }
}

/** A minimal inference for remote events without json_schema in tests: every key required, types from values. */
export function testInfer(sample: JsonObject): JsonSchema {
  const of = (value: unknown): JsonSchema => {
    if (value === null) return { type: 'null' }
    if (Array.isArray(value)) return value.length === 0 ? { type: 'array' } : { type: 'array', items: of(value[0]) }
    if (typeof value === 'object') return obj(Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, of(v)])))
    if (typeof value === 'number') return Number.isInteger(value) ? int() : num()
    return { type: typeof value as 'string' }
  }
  return of(sample)
}

/** Planner input with defaults: nothing remote, no workflows, scan succeeded. */
export function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    local: [],
    remote: [],
    workflows: { ok: true, workflows: [] },
    target: { name: 'test', baseUrl: 'http://127.0.0.1:1' },
    options: { prune: false, strict: false, allowBreaking: false },
    responseForm: 'payload',
    inferSchema: testInfer,
    ...overrides,
  }
}
