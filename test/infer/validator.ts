/**
 * ajv as the loader uses it (draft 2020-12 + ajv-formats' full formats), but strict:
 * inferred schemas must not lean on keywords ajv does not know. `allowUnionTypes`
 * because DESIGN.md asks for `type` lists on mixed primitives; `allowMatchingProperties`
 * because a `__proto__` field is declared both in `properties` and, for ajv, in
 * `patternProperties` (see emit-schema.ts). `ownProperties` because without it ajv reads
 * inherited members: an optional `constructor` field would see `Object.prototype.constructor`
 * in `{}` and report "must be string". `optimize: false` only skips ajv's code
 * optimisation pass, which triples compile time on corpus-sized schemas.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { JsonSchema, JsonValue } from '../../src/types.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

/** A fresh strict validator with formats. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    ownProperties: true,
    code: { optimize: false },
  })
  addFormats(ajv)
  return ajv
}

const shared = createAjv()

/** A checker for `schema`: each call gives the errors of a value as `pointer: message` lines. */
export function compileValidator(schema: JsonSchema, ajv: Ajv2020 = shared): (value: JsonValue) => string[] {
  const validate = ajv.compile(schema)
  // Property tests compile thousands of schemas: drop each from ajv's cache after use.
  ajv.removeSchema(schema)
  return (value) => {
    if (validate(value)) return []
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'}: ${error.message ?? ''}`)
  }
}

/** Errors of `value` against `schema` (compiled for this one call); empty when valid. */
export function validationErrors(schema: JsonSchema, value: JsonValue, ajv: Ajv2020 = shared): string[] {
  return compileValidator(schema, ajv)(value)
}
