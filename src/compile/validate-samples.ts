/**
 * The last gate of compilation: the final schema must compile, and the `sample` and
 * every `examples` entry must validate against it (ajv + ajv-formats).
 * Otherwise the override contradicts real payloads, and generated validators would
 * reject what the backend actually sends.
 */
import type { Diagnostic, EventDefinition, JsonSchema, JsonValue } from '../types.js'
import { locate } from '../definitions/locate.js'
import { readablePath } from '../util/json-pointer.js'
import { loadAjv } from '../util/load-ajv.js'
import { describeSchemaErrors } from '../util/schema-errors.js'

/** Errors for a final schema that does not compile, or that a sample or example does not match. */
export async function validateSamples(definition: EventDefinition, schema: JsonSchema): Promise<Diagnostic[]> {
  const ajv = await loadAjv()
  const diagnostics: Diagnostic[] = []
  const error = (pointer: string, message: string): void => {
    diagnostics.push({ file: definition.file, ...locate(definition.locations, pointer), severity: 'error', message })
  }
  // Compiled without $id: one shared ajv instance must never see two schemas claim one id.
  // The override's keywords were typed by the file format's schema when loading; what only
  // compiling finds (a regular expression that does not parse, a $ref to nowhere) is
  // reported at the override.
  const { $id: _id, ...anonymous } = schema
  let validate: ReturnType<typeof ajv.compile>
  try {
    validate = ajv.compile(anonymous)
  } catch (cause) {
    error('/schema', `schema cannot be compiled: ${cause instanceof Error ? cause.message : String(cause)}`)
    return diagnostics
  }
  try {
    const payloads: [string, string, JsonValue][] = [
      ['/sample', 'sample', definition.sample],
      ...definition.examples.map((example, i): [string, string, JsonValue] => [`/examples/${i}`, `examples[${i}]`, example]),
    ]
    for (const [root, label, payload] of payloads) {
      if (validate(payload)) continue
      for (const problem of describeSchemaErrors(validate.errors ?? [], { noun: 'field' })) {
        error(root + problem.pointer, `${readablePath(label, problem.pointer)} does not match the schema: ${problem.message}`)
      }
    }
  } finally {
    ajv.removeSchema(anonymous)
  }
  return diagnostics
}
