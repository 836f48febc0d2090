/**
 * Checks a parsed event file against the file format's own JSON Schema,
 * `event-file.schema.json` at the package root: the same schema editors use for
 * completion, so the loader and the editor never disagree.
 */
import { readFileSync } from 'node:fs'
import type { ValidateFunction } from 'ajv'
import type { JsonValue } from '../types.js'
import { loadAjv } from '../util/load-ajv.js'
import { describeSchemaErrors, type SchemaProblem } from '../util/schema-errors.js'

/** Where the file format's schema ships: the package root (`src/` and `dist/` sit one level below). */
export const EVENT_FILE_SCHEMA_URL = new URL('../../event-file.schema.json', import.meta.url)

/** The top-level keys an event file may have, in the order the format documents them. */
export const EVENT_FILE_KEYS = [
  'name',
  'description',
  'model',
  'apps',
  'sample',
  'examples',
  'schema',
  'inference',
  'renames',
  'allowBreaking',
  'idempotencyKey',
  'previousNames',
] as const

let validator: Promise<ValidateFunction> | undefined

/** Problems of `document` as an event file, each at the JSON Pointer of the offending node or key. */
export async function validateEventFile(document: JsonValue): Promise<SchemaProblem[]> {
  validator ??= compile()
  const validate = await validator
  if (validate(document)) return []
  return describeSchemaErrors(validate.errors ?? [], { noun: 'key' })
}

async function compile(): Promise<ValidateFunction> {
  const ajv = await loadAjv()
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(EVENT_FILE_SCHEMA_URL, 'utf8')) as Record<string, unknown>
  // The file is draft-07 for editors; every keyword it uses means the same under the
  // shared 2020-12 instance, so it is compiled there rather than loading a second ajv.
  return ajv.compile({ ...schema, $id: 'refold-events:event-file' })
}
