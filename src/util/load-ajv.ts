/**
 * The one ajv instance of a process (JSON Schema draft 2020-12, with ajv-formats),
 * imported lazily: ajv costs tens of milliseconds to load, and only the commands that
 * validate should pay for it.
 */
import { useJsonEqualInAjv } from './ajv-equal.js'

/** The validator class ajv exports for draft 2020-12. */
export type Ajv = InstanceType<typeof import('ajv/dist/2020.js')['default']>

let instance: Promise<Ajv> | undefined

/**
 * The shared validator instance. `allErrors` and `verbose` so every problem of a document
 * is reported with the schema that rejected it; not `strict`, because schema overrides may
 * carry extension keywords (`x-*`, `tsType`) that refold-events checks itself. Schemas are
 * not checked against the draft 2020-12 meta-schema (compiling it costs ~45 ms a run): the
 * file format's schema already types every keyword of an override, and inference output
 * is valid by construction.
 */
export function loadAjv(): Promise<Ajv> {
  instance ??= create()
  return instance
}

async function create(): Promise<Ajv> {
  const [ajvModule, formatsModule] = await Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')])
  // Both are CommonJS: `default` is `module.exports`, whose own `default` is the export.
  const Ajv2020 = ajvModule.default.default
  const addFormats = formatsModule.default.default
  // ownProperties: payload fields named `constructor` or `toString` must be looked up on the
  // payload only, never on Object.prototype (an optional `constructor` field would otherwise
  // reject every payload without one).
  useJsonEqualInAjv()
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: false,
    validateSchema: false,
    ownProperties: true,
    code: { optimize: false },
  })
  addFormats(ajv)
  return ajv
}
