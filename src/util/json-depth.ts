/**
 * How deeply a JSON value nests, measured without recursion: a value too deep for the
 * call stack (a 10,000-level payload handed to the library) must be caught by this check,
 * not overflow it.
 */

/** Whether `value` nests objects and arrays more than `limit` levels deep (`{}` and `[]` are level 1). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  // Two parallel stacks rather than a pair per node: compile checks every sample and every
  // final schema, and the pairs were most of this function's time.
  const nodes: object[] = [value]
  const depths: number[] = [1]
  while (nodes.length > 0) {
    const node = nodes.pop()!
    const depth = depths.pop()!
    if (depth > limit) return true
    if (Array.isArray(node)) {
      for (const child of node) {
        if (typeof child === 'object' && child !== null) nodes.push(child), depths.push(depth + 1)
      }
      continue
    }
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue
      const child = (node as Record<string, unknown>)[key]
      if (typeof child === 'object' && child !== null) nodes.push(child), depths.push(depth + 1)
    }
  }
  return false
}
