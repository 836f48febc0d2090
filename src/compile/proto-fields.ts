/**
 * A payload field literally named `__proto__`. ajv skips `properties.__proto__` (its guard
 * against prototype pollution), so that field would be neither validated nor counted as
 * declared; inference therefore repeats its sub-schema under the pattern `^__proto__$`,
 * which ajv does apply (infer/emit-schema.ts). An override merged into `properties.__proto__`
 * changes only the first copy: this puts the merged sub-schema back under the pattern, so
 * what the override says is what the validators enforce.
 */
import type { JsonSchema } from '../types.js'
import { setOwn } from '../util/own-property.js'
import { subschemasOf } from '../util/schema-keywords.js'

/** The pattern that stands in for `properties.__proto__` in validation. */
export const PROTO_PATTERN = '^__proto__$'

/** Wherever `schema` declares a `__proto__` property, make `patternProperties["^__proto__$"]` that same sub-schema. In place. */
export function mirrorProtoFields(schema: JsonSchema): void {
  const pending: unknown[] = [schema]
  while (pending.length > 0) {
    const node = pending.pop()
    if (!isObject(node)) continue
    const properties = node.properties
    if (isObject(properties) && Object.hasOwn(properties, '__proto__')) {
      const patterns = isObject(node.patternProperties) ? node.patternProperties : {}
      // The same object in both places, as inference writes it.
      setOwn(patterns, PROTO_PATTERN, properties['__proto__'])
      node.patternProperties = patterns
    }
    for (const child of subschemasOf(node, { applicatorsOnly: true })) {
      // The stand-in itself is rewritten from its property, not walked as a second source.
      if (!(child.keyword === 'patternProperties' && child.key === PROTO_PATTERN)) pending.push(child.schema)
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
