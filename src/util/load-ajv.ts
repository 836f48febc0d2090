/**
 * The one place ajv instances are made, with options per purpose, imported lazily: ajv costs
 * tens of milliseconds to load, and only the commands that validate should pay for it.
 * Every instance checks formats with ajv-formats, compares `enum`/`const`/`uniqueItems` with
 * {@link jsonEqual}, and reads payload fields as own properties only (a field named
 * `constructor` or `toString` is never looked up on Object.prototype).
 */
import { createRequire } from 'node:module'
import { jsonEqual } from './json-equal.js'

/** The validator class ajv exports for draft 2020-12. */
export type Ajv = InstanceType<typeof import('ajv/dist/2020.js')['default']>

/**
 * - `check`: this project's own schemas and documents (compile, the loader, learn, fire).
 *   `allErrors` and `verbose` so every problem is reported with the schema that rejected
 *   it. Schemas are not checked against the meta-schema (compiling it costs ~45 ms a
 *   run): the file format's schema types every keyword of an override, and inference
 *   output is valid by construction.
 * - `standalone`: source code of one event's validator module (codegen); compile already
 *   checked the schema, repeated subschemas become calls instead of pasted code.
 * - `foreign`: schemas someone else wrote (the emulator checks fires against an event's
 *   `json_schema`): checked against the meta-schema, an invalid one is an error.
 */
export type AjvPurpose = 'check' | 'standalone' | 'foreign'

/** The dialects an instance can read; 2020-12 is this project's, draft-07 comes from elsewhere. */
export type AjvDialect = '2020-12' | 'draft-07'

/** Makes instances once ajv is loaded (synchronously: codegen makes one per event). */
export type AjvMaker = (purpose: AjvPurpose, dialect?: AjvDialect) => Ajv

const OPTIONS = {
  check: { allErrors: true, verbose: true, validateSchema: false, code: { optimize: false } },
  standalone: { allErrors: true, validateSchema: false, logger: false, inlineRefs: false, code: { source: true, esm: true, lines: true } },
  foreign: { allErrors: true, validateSchema: true },
} as const

let maker: Promise<AjvMaker> | undefined
let shared: Promise<Ajv> | undefined

/** Load ajv and ajv-formats once; the maker returned is synchronous. */
export function loadAjvMaker(): Promise<AjvMaker> {
  maker ??= createMaker()
  return maker
}

/** The process's shared `check` instance. */
export function loadAjv(): Promise<Ajv> {
  shared ??= loadAjvMaker().then((make) => make('check'))
  return shared
}

async function createMaker(): Promise<AjvMaker> {
  const [ajv2020Module, ajv07Module, formatsModule] = await Promise.all([import('ajv/dist/2020.js'), import('ajv'), import('ajv-formats')])
  // All CommonJS: `default` is `module.exports`, whose own `default` is the export.
  const Ajv2020 = ajv2020Module.default.default
  const Ajv07 = ajv07Module.default.default
  const addFormats = formatsModule.default.default
  useJsonEqualInAjv()
  return (purpose, dialect = '2020-12') => {
    // Not `strict`: schemas may carry extension keywords (`x-*`, `tsType`) that refold-events checks itself.
    const options = { ...OPTIONS[purpose], strict: false, ownProperties: true }
    const ajv = dialect === 'draft-07' ? (new Ajv07(options) as unknown as Ajv) : new Ajv2020(options)
    addFormats(ajv)
    return ajv
  }
}

type Helper = ((a: unknown, b: unknown) => boolean) & { code?: string }

/**
 * Makes validators compiled in this process compare with {@link jsonEqual} instead of
 * fast-deep-equal, which throws on payload data with a field named `toString` or `valueOf`.
 * ajv's keywords take the helper from the `default` export of `ajv/dist/runtime/equal`
 * each time they compile a schema, and standalone code names it by the helper's `code`
 * (`require("ajv/dist/runtime/equal").default`, which generated validators import from
 * `refold-events/runtime/ajv`, itself {@link jsonEqual}). Replacing that export once, before
 * any schema is compiled, covers every ajv instance of the process. Idempotent.
 */
function useJsonEqualInAjv(): void {
  // `require`, not `import`: the very `module.exports` object ajv's keywords read, whatever
  // ES-module interop the host applies.
  const exports = createRequire(import.meta.url)('ajv/dist/runtime/equal') as { default: Helper }
  if (exports.default === jsonEqual) return
  const helper: Helper = jsonEqual
  helper.code = exports.default.code
  exports.default = helper
}
