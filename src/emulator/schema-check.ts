/**
 * Checks fired payloads against an event's `json_schema`. ajv is loaded on first use
 * (the emulator starts without it) and each distinct schema is compiled once.
 */
import type { JsonObject, JsonSchema } from '../types.js'
import { loadAjvMaker } from '../util/load-ajv.js'
import type { SchemaMismatch } from './types.js'

type Validate = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; params: Record<string, unknown> }> | null
}
type Compile = (schema: JsonSchema) => Validate

const CACHE_LIMIT = 500
const compiled = new Map<string, Validate | Error>()
let compilers: Promise<{ draft2020: Compile; draft07: Compile }> | null = null

/** The payload's mismatches against `schema` (empty when it fits). An uncompilable schema is one mismatch saying so. */
export async function checkPayload(schema: JsonSchema, payload: JsonObject): Promise<SchemaMismatch[]> {
  const validate = await validatorFor(schema)
  if (validate instanceof Error) return [{ path: '', message: `the event's json_schema could not be compiled: ${validate.message}` }]
  if (validate(payload)) return []
  return (validate.errors ?? []).map((error) => ({ path: error.instancePath, message: describe(error) }))
}

/** Start loading ajv in the background so the first fire does not pay for it. */
export function preloadSchemaChecker(): void {
  void loadCompilers().catch(() => {})
}

async function validatorFor(schema: JsonSchema): Promise<Validate | Error> {
  const key = JSON.stringify(schema)
  let validate = compiled.get(key)
  if (validate === undefined) {
    const { draft2020, draft07 } = await loadCompilers()
    const draft = typeof schema.$schema === 'string' && /draft-0[4-7]/.test(schema.$schema) ? draft07 : draft2020
    // The top-level $id is dropped: ajv refuses a second schema with the same $id, and
    // an updated event keeps its $id while its schema changes.
    const { $id: _id, ...withoutId } = schema
    try {
      validate = draft(withoutId)
    } catch (error) {
      validate = error instanceof Error ? error : new Error(String(error))
    }
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!)
    compiled.set(key, validate)
  }
  return validate
}

function loadCompilers(): Promise<{ draft2020: Compile; draft07: Compile }> {
  compilers ??= (async () => {
    const make = await loadAjvMaker()
    const ajv2020 = make('foreign')
    const ajv07 = make('foreign', 'draft-07')
    return {
      draft2020: (schema) => ajv2020.compile(schema) as Validate,
      draft07: (schema) => ajv07.compile(schema) as Validate,
    }
  })()
  return compilers
}

function describe(error: { message?: string; params: Record<string, unknown> }): string {
  const message = error.message ?? 'is invalid'
  if (typeof error.params.additionalProperty === 'string') return `${message}: "${error.params.additionalProperty}"`
  if (Array.isArray(error.params.allowedValues)) return `${message}: ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  return message
}
