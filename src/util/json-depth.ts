/**
 * How deeply a JSON value nests, measured without recursion: a value too deep for the
 * call stack (a 10,000-level payload handed to the library) must be caught by this check,
 * not overflow it.
 */

/** Whether `value` nests objects and arrays more than `limit` levels deep (`{}` and `[]` are level 1). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    if (depth + 1 > limit) return true
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}
