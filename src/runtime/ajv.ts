/**
 * The ajv runtime helpers that precompiled validators (`generated/events/<name>.validate.mts`) call,
 * re-exported as one ES module: `refold-events/runtime/ajv`. ajv's standalone output
 * `require()`s these; the generator rewrites each `require()` to an import from here, so
 * generated code depends only on `refold-events` and loads as a real ES module.
 *
 * Kept apart from `refold-events/runtime`, which must stay free of ajv.
 */
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js'
import uriModule from 'ajv/dist/runtime/uri.js'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { jsonEqual } from '../util/json-equal.js'

/**
 * Node hands an ES module `module.exports` of a CommonJS file as its default import;
 * bundlers that honour `__esModule` hand over `exports.default`. Accept both.
 */
function unwrap<T>(imported: unknown): T {
  const value = imported as { default?: unknown } | null
  return (typeof value === 'object' && value !== null && 'default' in value ? value.default : value) as T
}

/**
 * Deep equality for `enum`, `const` and `uniqueItems`. Not ajv's fast-deep-equal: that one
 * calls a payload's own `toString`/`valueOf` and throws on a field so named.
 */
export const equal: (a: unknown, b: unknown) => boolean = jsonEqual
/** String length in Unicode code points, for `minLength` / `maxLength`. */
export const ucs2length = unwrap<(value: string) => number>(ucs2lengthModule)
/** URI parsing (fast-uri), for `$id`-relative references; only generated validators call it. */
export const uri = unwrap<object>(uriModule)
/** ajv-formats' full format checks (`date-time`, `email`, `uri`, `uuid`, …). */
export { fullFormats }
