/**
 * One event's payload validator compiled ahead of time with ajv's standalone code
 * generation: a TypeScript module exporting a `PayloadValidator`, so firing never compiles
 * a schema and `tsc` emits it into `outDir` like any other file (no `allowJs`).
 *
 * ajv's output is untyped JavaScript, so the module opts out of type checking with
 * `// @ts-nocheck`; its one export is declared as `PayloadValidator`, which is what the
 * event module and users see. Each event gets an ajv instance of its own, because ajv
 * numbers its functions per instance (`validate10`, `schema11`): a shared instance would
 * make an event's code depend on the events compiled before it.
 *
 * ajv's ESM output still `require()`s its runtime helpers and ajv-formats' checks; those
 * lines are rewritten to one import from `refold-events/runtime/ajv`, so generated code
 * depends on nothing but `refold-events`.
 */
import type { JsonSchema } from '../types.js'
import { loadAjvMaker } from '../util/load-ajv.js'
import { GENERATED_BANNER, NO_CHECK_DIRECTIVE } from './banner.js'
import { CodeWriter, stringLiteral } from './code-writer.js'
import { AJV_RUNTIME_MODULE, RUNTIME_MODULE } from './output-layout.js'
import { extractSharedSubschemas, SHARED_SCHEMA_ID } from './shared-subschemas.js'

/**
 * What ajv's standalone code requires, keyed `module|property`, and the name
 * `refold-events/runtime/ajv` exports it under.
 */
const AJV_REQUIRES: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length|default': 'ucs2length',
  'ajv/dist/runtime/equal|default': 'equal',
  'ajv/dist/runtime/uri|default': 'uri',
  'ajv-formats/dist/formats|fullFormats': 'fullFormats',
}

/** The key ajv knows the event's schema by (never a bare word: `constructor` is taken by Object.prototype). */
const SCHEMA_KEY = 'payload.schema.json'

/** Compiles one validator schema (annotations already dropped) to the text of a validator module exporting `exportName`. */
export type AjvValidatorEmitter = (schema: JsonSchema, exportName: string) => string

/** Load ajv, ajv-formats and ajv's standalone builder once; the returned emitter is synchronous. */
export async function loadAjvValidatorEmitter(): Promise<AjvValidatorEmitter> {
  // CommonJS: Node's default import is `module.exports`, which ajv also exposes as `.default`.
  const [make, standaloneModule] = await Promise.all([loadAjvMaker(), import('ajv/dist/standalone/index.js')])
  const standaloneCode = standaloneModule.default.default
  return (schema, exportName) => {
    // One instance per event: the event's schema and its shared parts under fixed keys.
    const ajv = make('standalone')
    // Repeats inside this event only: sharing across events would tie one event's module to others.
    const { schemas, shared } = extractSharedSubschemas([schema])
    if (Object.keys(shared).length > 0) ajv.addSchema({ $id: SHARED_SCHEMA_ID, $defs: shared })
    ajv.addSchema(schemas[0]!, SCHEMA_KEY)
    return toValidatorModule(standaloneCode(ajv, { validate: SCHEMA_KEY }), exportName)
  }
}

/**
 * Banner, `@ts-nocheck`, one import of the ajv runtime helpers in place of the `require()`
 * lines (ajv emits each as its own `const name = require("…")….;` line), no `"use strict"`
 * (modules are strict), and the validator exported under its typed name.
 */
function toValidatorModule(ajvCode: string, exportName: string): string {
  const imports = new Set<string>()
  let exported = 0
  const body = ajvCode
    .replace(/^"use strict";\n?/, '')
    .replace(
      /^const (\w+) = require\("([^"]+)"\)\.(\w+)(.*);$/gm,
      (_line, local: string, module: string, property: string, rest: string) => {
        const binding = AJV_REQUIRES[`${module}|${property}`]
        if (binding === undefined) {
          throw new Error(`ajv standalone code requires ${module}.${property}, which refold-events/runtime/ajv does not provide`)
        }
        imports.add(binding)
        return `const ${local} = ${binding}${rest};`
      },
    )
    .replace(/^export const validate = (\w+);$/m, (_line, local: string) => {
      exported++
      return `export const ${exportName}: PayloadValidator = ${local};`
    })
  if (exported !== 1) throw new Error('ajv standalone code: expected one export of the validator')
  if (/^(?:const|let|var) .*\brequire\("/m.test(body)) {
    throw new Error('ajv standalone code contains a require() call that could not be rewritten to an import')
  }
  // ajv's code is plain JavaScript with no types to check; the export carries the type.
  const header = new CodeWriter().line(GENERATED_BANNER).line(NO_CHECK_DIRECTIVE)
  header.line(`import type { PayloadValidator } from ${stringLiteral(RUNTIME_MODULE)}`)
  if (imports.size > 0) header.line(`import { ${[...imports].sort().join(', ')} } from ${stringLiteral(AJV_RUNTIME_MODULE)}`)
  // The module body is ajv's, already one statement per line: written as is, after our header.
  return `${header.toString()}\n${body.trim()}\n`
}
