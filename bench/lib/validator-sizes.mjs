/**
 * Validator bytes per event against the event's own JSON Schema bytes, on the corpus: one
 * event per payload and one per GitHub event kind (all its payloads as samples), compiled
 * as `generate` compiles them. Per event: the schema file `generate` writes
 * (`schemas/<event>.schema.json`), ajv's standalone validator module for that event (the
 * emitter before compact validators, still the fallback) and the compact validator module
 * `generate` writes (`events/<event>.validate.mts`). Reads the built package (dist/).
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { compileDefinitions, DEFAULT_INFER_OPTIONS } from 'refold-events'
import { corpusGroups } from './corpus.mjs'
import { REPO_ROOT } from './project.mjs'

const dist = (path) => import(pathToFileURL(join(REPO_ROOT, 'dist', path)).href)

/** Corpus entries as event definitions: one per payload, one per group of several payloads. */
async function corpusDefinitions(entries) {
  const { toIdentifier } = await dist('definitions/identifier.js')
  const definition = (name, payloads) => {
    const [sample, ...examples] = payloads
    return { name, identifier: toIdentifier(name), file: `corpus/${name}`, sample, examples, renames: {}, allowBreaking: [], locations: {} }
  }
  const definitions = entries.map((entry) => definition(`corpus ${entry.path.replace(/\.json$/, '')}`, [entry.payload]))
  for (const group of corpusGroups(entries))
    if (group.samples.length > 1) definitions.push(definition(`corpus ${group.name}`, group.samples))
  return definitions
}

/**
 * `{ events, rows: [{ name, schema, ajv, compact }] }` (bytes) for the corpus `entries`;
 * `compact` is null for an event the compact form does not cover.
 */
export async function validatorSizes(entries, inference = DEFAULT_INFER_OPTIONS) {
  const [
    { emitCompactValidator },
    { loadAjvValidatorEmitter },
    { declarationNames },
    { validatorDoc, validatorModule, withBanner },
    { validatorSchema },
    { emitSchemaFile },
  ] = await Promise.all([
    dist('codegen/compact-validator.js'),
    dist('codegen/ajv-validator.js'),
    dist('codegen/emit-event-module.js'),
    dist('codegen/event-validator.js'),
    dist('codegen/validator-schema.js'),
    dist('codegen/emit-schemas.js'),
  ])
  const emitAjv = await loadAjvValidatorEmitter()
  const compiled = await compileDefinitions(await corpusDefinitions(entries), inference)
  const rows = []
  for (const event of compiled.events) {
    const schema = validatorSchema(event.schema)
    const exportName = declarationNames(event).validate
    const compact = emitCompactValidator(schema, { exportName, doc: validatorDoc(event) })
    rows.push({
      name: event.definition.name,
      schema: Buffer.byteLength(emitSchemaFile(event)),
      ajv: Buffer.byteLength(withBanner(emitAjv(schema, exportName))),
      compact: compact === undefined ? null : Buffer.byteLength(validatorModule(compact)),
    })
  }
  return rows
}

/** Median and worst of `values`, with the event of the worst. */
export function medianAndWorst(rows, ratio) {
  const values = rows.map((row) => ({ row, value: ratio(row) })).sort((a, b) => a.value - b.value)
  const mid = values.length >> 1
  const median = values.length % 2 ? values[mid].value : (values[mid - 1].value + values[mid].value) / 2
  return { median, worst: values[values.length - 1] }
}
