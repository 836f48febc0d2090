/**
 * Schema inference: sample payloads in, one JSON Schema out, following the rules of
 * DESIGN.md "Schema inference". A pure function; the loader merges the `schema`
 * override afterwards and validates every sample against the result.
 *
 * Two passes over plain data, neither recursive: `observeSamples` folds every sample
 * into a tree of shapes (one per payload place), `emitSchema` writes the schema and the
 * warnings from that tree. Samples are read, never copied or changed.
 */
import type { InferOptions, InferResult, JsonValue } from '../types.js'
import { emitSchema } from './emit-schema.js'
import { markPolicyPaths, POLICY_NULLABLE, POLICY_OPTIONAL } from './policy-paths.js'
import { observeSamples } from './sample-shape.js'
import { formatMask } from './string-formats.js'

/** Inference options when neither the config nor the caller sets them. */
export const DEFAULT_INFER_OPTIONS: Readonly<InferOptions> = Object.freeze({ formats: true, closedObjects: false })

/**
 * Infer the JSON Schema (draft 2020-12 keywords) that every one of `samples` satisfies.
 *
 * - Types: string, integer, number (integer with number is number), boolean, null,
 *   object, array. A property present in every occurrence of its object is `required`.
 * - A type seen with null is nullable (`type: ['string', 'null']`, and for objects and
 *   arrays `type: ['object', 'null']` with the object's keywords beside it).
 * - Array items merge across every element of every sample. Mixed types become a union:
 *   a `type` list for primitives, `anyOf` once objects or arrays take part.
 * - `format` only where every string value matches it as ajv-formats' full formats define
 *   it, and only the formats the policy names (`date-time`, `date`, `uuid` by default;
 *   `email` and `uri` on request); enums are never guessed.
 * - Objects are open (no `additionalProperties`) unless `closedObjects` is true.
 * - Policy paths: `nullable` places also accept null, `optional` ones are never required;
 *   an entry that names no place of the samples is returned in `policyProblems`.
 * - A number listed in `decimals` (written `100.00` in YAML) is a `number`, not an `integer`.
 * - Properties keep the order of first appearance; the same input gives the same bytes.
 * - Where the samples cannot tell a type (always null, always-empty array, always-empty
 *   closed object) the schema accepts anything there and a warning says how to settle it.
 *
 * Samples nested arbitrarily deep are fine (no recursion). A property whose value is
 * `undefined` counts as absent; other non-JSON values (bigint, Date, ...) throw a
 * TypeError naming their place.
 *
 * @example
 * inferSchema([{ email: 'a@b.co', company: null }, { email: 'c@d.io', company: 'Acme' }])
 * // schema: { type: 'object', properties: { email: { type: 'string' },
 * //   company: { type: ['string', 'null'] } }, required: ['email', 'company'] }
 */
export function inferSchema(samples: readonly JsonValue[], options: Partial<InferOptions> = {}): InferResult {
  const resolved: InferOptions = {
    formats: options.formats ?? DEFAULT_INFER_OPTIONS.formats,
    closedObjects: options.closedObjects ?? DEFAULT_INFER_OPTIONS.closedObjects,
  }
  const shape = observeSamples(samples, formatMask(resolved.formats), options.decimals)
  const policyProblems = [
    ...markPolicyPaths(shape, options.nullable ?? [], POLICY_NULLABLE, 'nullable'),
    ...markPolicyPaths(shape, options.optional ?? [], POLICY_OPTIONAL, 'optional'),
  ]
  return { ...emitSchema(shape, resolved), policyProblems }
}
