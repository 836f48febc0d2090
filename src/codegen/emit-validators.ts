/**
 * Payload validators compiled ahead of time with ajv's standalone code generation, so
 * firing never compiles a schema: `validators.js` (a real ES module) and its
 * `validators.d.ts`.
 *
 * Why a `.js` + `.d.ts` pair rather than a `.ts` file: Node can import it as is (plain
 * JavaScript users, tests, `node --import`), TypeScript resolves `./validators.js` to the
 * `.d.ts` under both `nodenext` and `bundler` resolution, and `tsc` never type-checks the
 * (large, untyped) validator code. Bundlers, tsx, ts-node and vitest load it directly;
 * projects that compile `generated/` with plain `tsc` into another folder set `allowJs` so
 * the file is copied along.
 *
 * ajv's ESM output still `require()`s its runtime helpers and ajv-formats' checks; those
 * lines are rewritten to one import from `refold-events/runtime/ajv`, so generated code
 * depends on nothing but `refold-events`.
 */
import type { CompiledEvent } from '../types.js'
import { GENERATED_BANNER } from './banner.js'
import { CodeWriter, stringLiteral } from './code-writer.js'
import { extractSharedSubschemas, SHARED_SCHEMA_ID } from './shared-subschemas.js'
import { validatorSchema } from './validator-schema.js'

/** Module the rewritten `require()`s import from (src/runtime/ajv.ts). */
export const AJV_RUNTIME_MODULE = 'refold-events/runtime/ajv'
/** Module generated code takes its runtime types and client from. */
export const RUNTIME_MODULE = 'refold-events/runtime'

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

/** The exported name of an event's validator in `validators.js`. */
export function validatorName(event: CompiledEvent): string {
  return `validate${event.definition.identifier}`
}

/**
 * Events per standalone compile. ajv's multi-export code builder overflows the call stack
 * beyond several thousand exports (`generate` crashed at 10,000 synthetic events, measured
 * by bench/stages/generate.mjs), and one ajv instance holding every compiled schema grows
 * without bound; a larger project is compiled in chunks, each in a scope of its own.
 */
export const EVENTS_PER_CHUNK = 1000

/** Options of {@link emitValidators}. */
export interface EmitValidatorsOptions {
  /** Events per standalone compile; default {@link EVENTS_PER_CHUNK}. */
  eventsPerChunk?: number
}

/** `validators.js` and `validators.d.ts` for `events` (already sorted). */
export async function emitValidators(events: CompiledEvent[], options: EmitValidatorsOptions = {}): Promise<{ js: string; dts: string }> {
  // CommonJS packages: Node's default import is `module.exports`, which ajv also exposes as `.default`.
  const [ajvModule, standaloneModule, formatsModule] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv/dist/standalone/index.js'),
    import('ajv-formats'),
  ])
  const Ajv2020 = ajvModule.default.default
  const standaloneCode = standaloneModule.default.default
  const addFormats = formatsModule.default.default
  const { schemas, shared } = extractSharedSubschemas(events.map((event) => validatorSchema(event.schema)))
  /** The standalone code of `events[from..to)`, from an ajv instance of its own. */
  const compileChunk = (from: number, to: number): string => {
    const ajv = new Ajv2020({
      code: { source: true, esm: true, lines: true },
      // PayloadValidationError lists every failing path, not just the first.
      allErrors: true,
      // Override fragments may carry annotations ajv does not know; they are not errors here.
      strict: false,
      logger: false,
      // A payload field named `constructor` or `toString` is read from the payload only,
      // never from Object.prototype.
      ownProperties: true,
      // Shared subschemas are compiled once and called, not pasted at each reference.
      inlineRefs: false,
    })
    addFormats(ajv)
    if (Object.keys(shared).length > 0) ajv.addSchema({ $id: SHARED_SCHEMA_ID, $defs: shared })
    const exports: Record<string, string> = {}
    const standIns = new Map<string, string>()
    for (let i = from; i < to; i++) {
      const event = events[i]!
      // ajv keeps schemas in plain objects: a bare key such as `constructor` (the event
      // "Constructor") is taken by Object.prototype; no prototype member has a dot.
      const key = `${event.fileName}.schema.json`
      ajv.addSchema(schemas[i]!, key)
      const name = validatorName(event)
      // ajv exports only ASCII identifiers; `validate注文作成` goes out under a stand-in (`$`
      // never occurs in an event identifier) and is renamed below.
      const exported = AJV_EXPORT_NAME.test(name) ? name : `validate$${i}`
      if (exported !== name) standIns.set(exported, name)
      exports[exported] = key
    }
    return renameStandIns(standaloneCode(ajv, exports), standIns)
  }
  const perChunk = Math.max(1, options.eventsPerChunk ?? EVENTS_PER_CHUNK)
  let js = ''
  if (events.length > perChunk) {
    const chunks: string[] = []
    for (let from = 0; from < events.length; from += perChunk) {
      chunks.push(chunkModule(compileChunk(from, Math.min(from + perChunk, events.length)), chunks.length))
    }
    js = chunks.join('\n')
  } else if (events.length > 0) {
    js = compileChunk(0, events.length)
  }
  return { js: toEsModule(js), dts: declarations(events) }
}

/**
 * One chunk's standalone code inside a function scope (its ajv names, `validate12` or
 * `schema3`, restart in every chunk), its validators exported from the module. `$` never
 * occurs in an event identifier, so `$validators<n>` cannot clash with an export.
 */
function chunkModule(code: string, index: number): string {
  const exported: Array<[name: string, local: string]> = []
  const body = code
    .replace(/^"use strict";\n?/, '')
    .replace(/^export const (\S+) = (\w+);$/gm, (_line, name: string, local: string) => {
      exported.push([name, local])
      return ''
    })
    .replace(/^export \{ (\w+) as (\S+) \};$/gm, (_line, local: string, name: string) => {
      exported.push([name, local])
      return ''
    })
  const scope = `$validators${index}`
  return [
    `const ${scope} = (() => {`,
    body.trim(),
    `return { ${exported.map(([name, local]) => `${name}: ${local}`).join(', ')} };`,
    '})();',
    ...exported.map(([name]) => `export const ${name} = ${scope}.${name};`),
  ].join('\n')
}

/** The export names ajv's standalone code accepts (its `IDENTIFIER`). */
const AJV_EXPORT_NAME = /^[a-z$_][a-z$_0-9]*$/i

/** `export const validate$0 = validate12;` -> `export { validate12 as validate注文作成 };` */
function renameStandIns(code: string, standIns: ReadonlyMap<string, string>): string {
  if (standIns.size === 0) return code
  let renamed = 0
  const out = code.replace(/^export const (validate\$\d+) = (\w+);$/gm, (line, standIn: string, local: string) => {
    const name = standIns.get(standIn)
    if (name === undefined) return line
    renamed++
    return `export { ${local} as ${name} };`
  })
  if (renamed !== standIns.size) throw new Error(`ajv standalone code: expected ${standIns.size} stand-in exports to rename, found ${renamed}`)
  return out
}

/**
 * Banner, one import of the ajv runtime helpers in place of the `require()` lines
 * (ajv emits each as its own `const name = require("…")….;` line), no `"use strict"`
 * (modules are strict).
 */
export function toEsModule(ajvCode: string): string {
  const imports = new Set<string>()
  const body = ajvCode
    .replace(/^"use strict";\n?/, '')
    .replace(/^const (\w+) = require\("([^"]+)"\)\.(\w+)(.*);$/gm, (_line, local: string, module: string, property: string, rest: string) => {
      const binding = AJV_REQUIRES[`${module}|${property}`]
      if (binding === undefined) {
        throw new Error(`ajv standalone code requires ${module}.${property}, which refold-events/runtime/ajv does not provide`)
      }
      imports.add(binding)
      return `const ${local} = ${binding}${rest};`
    })
  if (/^(?:const|let|var) .*\brequire\("/m.test(body)) {
    throw new Error('ajv standalone code contains a require() call that could not be rewritten to an import')
  }
  // The module body is ajv's, already one statement per line: written as is, after our header.
  const header = new CodeWriter().line(GENERATED_BANNER)
  if (imports.size > 0) header.line(`import { ${[...imports].sort().join(', ')} } from ${stringLiteral(AJV_RUNTIME_MODULE)}`)
  const code = body.trim()
  return code === '' ? header.toString() : `${header.toString()}\n${code}\n`
}

function declarations(events: CompiledEvent[]): string {
  const w = new CodeWriter().line(GENERATED_BANNER)
  w.line(`import type { PayloadValidator } from ${stringLiteral(RUNTIME_MODULE)}`)
  for (const event of events) {
    w.blank()
    w.doc(`Checks a payload of the Refold event ${stringLiteral(event.definition.name)} against its schema (precompiled by ajv).`)
    w.line(`export declare const ${validatorName(event)}: PayloadValidator`)
  }
  return w.toString()
}
