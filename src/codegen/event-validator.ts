/**
 * The one place an event's validator module is produced: a compact validator
 * (compact-validator.ts, for the keywords inference and policy write), or ajv's standalone
 * code (ajv-validator.ts) for a schema that uses a keyword the compact form does not cover.
 * ajv is loaded only when an event needs it (`loadAjv` is memoised by the caller).
 *
 * Whatever emits it, the module's contract is the same: a TypeScript ES module
 * (`events/<kebab>.validate.mts`) whose only export is `exportName`, a `PayloadValidator`
 * from `refold-events/runtime`, importing nothing but `refold-events`, under
 * `// @ts-nocheck`: a user's `tsc` takes the export's type from its annotation and does not
 * check the body ({@link NO_CHECK_DIRECTIVE}).
 */
import { expandSchema } from '../compile/rename-expansion.js'
import type { CompiledEvent } from '../types.js'
import type { AjvValidatorEmitter } from './ajv-validator.js'
import { GENERATED_BANNER, NO_CHECK_DIRECTIVE } from './banner.js'
import { CodeWriter, stringLiteral } from './code-writer.js'
import { emitCompactValidator } from './compact-validator.js'
import { declarationNames } from './emit-event-module.js'
import { validatorSchema } from './validator-schema.js'

/** A validator as code plus the names it imports (the shape the compact emitter returns). */
export interface ValidatorCode {
  /** `export const <exportName>: PayloadValidator = …`, ending in a newline. */
  code: string
  /** Names the code needs from `from`: values, and types (`import type`). */
  imports: { from: string; values: string[]; types: string[] }
}

/** The text of `event`'s validator module; `loadAjv` gives ajv's emitter when it is needed. */
export async function emitEventValidator(event: CompiledEvent, loadAjv: () => Promise<AjvValidatorEmitter>): Promise<string> {
  // The payload as sent: the old fields of renames in expansion allowed (never required), so a
  // closed object accepts the copies the helper adds, and a payload checked before them passes too.
  const schema = validatorSchema(expandSchema(event.schema, event.renameCopies ?? []))
  const exportName = declarationNames(event).validate
  const compact = emitCompactValidator(schema, { exportName, doc: validatorDoc(event) })
  return compact !== undefined ? validatorModule(compact) : withBanner((await loadAjv())(schema, exportName))
}

/** The doc comment an event's validator carries. */
export function validatorDoc(event: CompiledEvent): string {
  return `Checks a payload of the Refold event ${stringLiteral(event.definition.name)} against its schema.`
}

/** A validator module around {@link ValidatorCode}: banner, `@ts-nocheck`, its imports, its code. */
export function validatorModule({ code, imports }: ValidatorCode): string {
  const w = new CodeWriter().line(GENERATED_BANNER).line(NO_CHECK_DIRECTIVE)
  if (imports.values.length > 0) w.line(`import { ${[...imports.values].sort().join(', ')} } from ${stringLiteral(imports.from)}`)
  if (imports.types.length > 0) w.line(`import type { ${[...imports.types].sort().join(', ')} } from ${stringLiteral(imports.from)}`)
  return w.blank().lines(code.trimEnd()).toString()
}

/** `source` starting with the generated-file banner (the CLI only ever touches files that carry it). */
export function withBanner(source: string): string {
  return source.startsWith(`${GENERATED_BANNER}\n`) ? source : `${GENERATED_BANNER}\n${source}`
}
