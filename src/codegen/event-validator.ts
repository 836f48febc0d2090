/**
 * The one place an event's validator module is produced. Today every event's validator is
 * ajv's standalone code (ajv-validator.ts); a compact emitter for the keywords inference
 * writes plugs in here, falling back to ajv for schemas it does not cover:
 *
 *   return withBanner(emitCompactValidator(schema, { exportName }) ?? emitAjv(schema, exportName))
 *
 * Whatever emits it, the module's contract is the same: a TypeScript ES module
 * (`events/<kebab>.validate.mts`) whose only export is `exportName`, a `PayloadValidator`
 * from `refold-events/runtime`, importing nothing but `refold-events`.
 */
import type { CompiledEvent } from '../types.js'
import type { AjvValidatorEmitter } from './ajv-validator.js'
import { GENERATED_BANNER } from './banner.js'
import { declarationNames } from './emit-event-module.js'
import { validatorSchema } from './validator-schema.js'

/** The text of `event`'s validator module. */
export function emitEventValidator(event: CompiledEvent, emitAjv: AjvValidatorEmitter): string {
  const schema = validatorSchema(event.schema)
  const exportName = declarationNames(event).validate
  return withBanner(emitAjv(schema, exportName))
}

/** `source` starting with the generated-file banner (the CLI only ever touches files that carry it). */
function withBanner(source: string): string {
  return source.startsWith(`${GENERATED_BANNER}\n`) ? source : `${GENERATED_BANNER}\n${source}`
}
