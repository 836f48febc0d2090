/**
 * Deep equality of JSON values for `enum`, `const` and `uniqueItems`, in place of the
 * fast-deep-equal ajv ships. fast-deep-equal calls a value's own `valueOf` or `toString`
 * when they differ from Object.prototype's, so a payload field named `toString` (data a
 * caller may not control) made validation throw a TypeError instead of answering. This
 * reads own enumerable properties only, calls nothing on the values, and walks with an
 * explicit stack, so a deeply nested payload cannot overflow it either.
 *
 * Sync compares documents as canonical JSON instead (util/canonical-json.ts,
 * `canonicallyEqual`): there an `undefined` member is the same as an absent one.
 */

/** Whether `a` and `b` are the same JSON value (NaN equals NaN, as in fast-deep-equal). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]]
  while (pending.length > 0) {
    const [x, y] = pending.pop()!
    if (x === y) continue
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue
      return false
    }
    const isArray = Array.isArray(x)
    if (isArray !== Array.isArray(y)) return false
    if (isArray) {
      const [left, right] = [x as unknown[], y as unknown[]]
      if (left.length !== right.length) return false
      for (let i = 0; i < left.length; i++) pending.push([left[i], right[i]])
      continue
    }
    const [left, right] = [x as Record<string, unknown>, y as Record<string, unknown>]
    const keys = Object.keys(left)
    if (keys.length !== Object.keys(right).length) return false
    for (const key of keys) {
      if (!Object.hasOwn(right, key)) return false
      pending.push([left[key], right[key]])
    }
  }
  return true
}
