/**
 * Makes validators compiled in this process compare `enum`, `const` and `uniqueItems`
 * values with {@link jsonEqual} instead of fast-deep-equal, which throws on payload data
 * with a field named `toString` or `valueOf` (see runtime/json-equal.ts).
 *
 * ajv's keywords take the helper from the `default` export of `ajv/dist/runtime/equal`
 * each time they compile a schema, and standalone code names it by the helper's `code`
 * (`require("ajv/dist/runtime/equal").default`, which generated validators import from
 * `refold-events/runtime/ajv`, itself {@link jsonEqual}). Replacing that export once, before
 * any schema is compiled, covers every ajv instance of the process.
 */
import { createRequire } from 'node:module'
import { jsonEqual } from './json-equal.js'

type Helper = ((a: unknown, b: unknown) => boolean) & { code?: string }

/** Idempotent; call before compiling schemas. */
export function useJsonEqualInAjv(): void {
  // `require`, not `import`: the very `module.exports` object ajv's keywords read, whatever
  // ES-module interop the host applies.
  const exports = createRequire(import.meta.url)('ajv/dist/runtime/equal') as { default: Helper }
  if (exports.default === jsonEqual) return
  const helper: Helper = jsonEqual
  helper.code = exports.default.code
  exports.default = helper
}
