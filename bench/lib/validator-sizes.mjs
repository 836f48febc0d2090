/**
 * Validator bytes per event against the event's own JSON Schema bytes, on the corpus: one
 * event per payload and one per GitHub event kind (all its payloads as samples), compiled
 * as `generate` compiles them. Per event: the schema file `generate` writes
 * (`schemas/<event>.schema.json`), ajv's standalone validator for that event alone (today's
 * emitter, `emitValidators([event])`: what a module of its own would hold) and the compact
 * validator with the import lines its module needs. Reads the built package (dist/).
 */
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { compileDefinitions } from 'refold-events'
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
  for (const group of corpusGroups(entries)) if (group.samples.length > 1) definitions.push(definition(`corpus ${group.name}`, group.samples))
  return definitions
}

/**
 * `{ events, rows: [{ name, schema, ajv, compact }] }` (bytes) for the corpus `entries`;
 * `compact` is null for an event the compact form does not cover.
 */
export async function validatorSizes(entries) {
  const [{ emitCompactValidator }, { emitValidators, validatorName }, { validatorSchema }, { emitSchemaFile }] = await Promise.all([
    dist('codegen/compact-validator.js'),
    dist('codegen/emit-validators.js'),
    dist('codegen/validator-schema.js'),
    dist('codegen/emit-schemas.js'),
  ])
  const compiled = await compileDefinitions(await corpusDefinitions(entries), { formats: true, closedObjects: true })
  const rows = []
  for (const event of compiled.events) {
    const compact = emitCompactValidator(validatorSchema(event.schema), { exportName: validatorName(event) })
    const imports =
      compact === undefined
        ? ''
        : `import { ${compact.imports.values.join(', ')} } from "${compact.imports.from}"\nimport type { ${compact.imports.types.join(', ')} } from "${compact.imports.from}"\n`
    const { js } = await emitValidators([event])
    rows.push({
      name: event.definition.name,
      schema: Buffer.byteLength(emitSchemaFile(event)),
      ajv: Buffer.byteLength(js),
      compact: compact === undefined ? null : Buffer.byteLength(imports + compact.code),
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
