/**
 * The schema a remote event effectively has when it carries no `json_schema` (events made
 * in the Refold Console have only a sample): exactly what this project would compile for a
 * YAML file holding just its name and sample. Comparing against that, rather than against
 * nothing, is what makes `pull` followed by `sync` a no-op.
 */
import { compileEvent } from '../../compile/compile-project.js'
import { toIdentifier } from '../../definitions/identifier.js'
import { inferSchema } from '../../infer/infer-schema.js'
import type { CompiledEvent, EventDefinition, InferOptions, JsonObject, JsonSchema } from '../../types.js'
import { canonicalJson } from '../../util/canonical-json.js'
import type { RemoteEventSnapshot } from '../sync-types.js'

/** The definition a remote event would have as a bare YAML file (name and sample only). */
export function definitionOfRemote(name: string, sample: JsonObject, file = `(remote) ${name}`): EventDefinition {
  return {
    name,
    identifier: toIdentifier(name) ?? 'RemoteEvent',
    file,
    sample,
    examples: [],
    renames: {},
    allowBreaking: [],
    locations: {},
  }
}

/** The compiled schema of a bare name + sample; plain inference when the project compile refuses it. */
export async function compileBareSchema(name: string, sample: JsonObject, inference: InferOptions): Promise<JsonSchema> {
  const { event } = await compileEvent(definitionOfRemote(name, sample), inference)
  return event?.schema ?? inferSchema([sample], inference).schema
}

/**
 * Precompute the effective schema of every remote event that lacks `json_schema`, and
 * return the synchronous lookup the planner takes as `inferSchema`.
 */
export async function remoteSchemaLookup(
  remote: readonly RemoteEventSnapshot[],
  inference: InferOptions,
  local: readonly CompiledEvent[] = [],
): Promise<(sample: JsonObject, name: string) => JsonSchema> {
  const schemas = new Map<string, JsonSchema>()
  const key = (sample: JsonObject, name: string): string => `${name}\u0000${canonicalJson(sample)}`
  // Only events without a schema need one; usually (everything pushed by sync) none does,
  // and then nothing is serialised at all.
  const needed = remote.filter((event) => event.jsonSchema === null && event.sample !== null)
  const neededNames = new Set(needed.map((event) => event.name))
  // A bare local file (just this name and sample) already compiled to exactly the schema
  // wanted: reuse it instead of compiling again. That is the whole of a freshly pulled project.
  for (const event of local) {
    const d = event.definition
    if (neededNames.has(d.name) && d.examples.length === 0 && d.schema === undefined && d.description === undefined)
      schemas.set(key(d.sample, d.name), event.schema)
  }
  for (const event of needed) {
    const k = key(event.sample!, event.name)
    if (!schemas.has(k)) schemas.set(k, await compileBareSchema(event.name, event.sample!, inference))
  }
  return (sample, name) => schemas.get(key(sample, name)) ?? inferSchema([sample], inference).schema
}

/** The schema a remote event effectively has: its `json_schema`, else what its sample infers to. */
export function effectiveRemoteSchema(
  event: RemoteEventSnapshot,
  inferSchema: (sample: JsonObject, name: string) => JsonSchema,
): JsonSchema | null {
  if (event.jsonSchema !== null) return event.jsonSchema
  return event.sample === null ? null : inferSchema(event.sample, event.name)
}
