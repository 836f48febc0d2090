/**
 * Field paths: the dotted notation sync, compile and the emulator use for a payload field
 * (`customer.email`, `items[].sku`), Refold's trigger variables (`prospect.email`) plus a `[]`
 * segment for every item of an array, and their JSON Pointers inside a document. JSON
 * Pointers themselves live in json-pointer.ts.
 */
import { appendPointer } from './json-pointer.js'

/** The segment that stands for "any element" of an array. */
export const ITEMS = '[]'

/** `['items', '[]', 'sku']` -> `items[].sku`. */
export function formatPath(segments: readonly string[]): string {
  let path = ''
  for (const segment of segments) {
    if (segment === ITEMS) path += ITEMS
    else path += path === '' ? segment : `.${segment}`
  }
  return path
}

/**
 * `items[].sku`, `items.0.sku`, `items[0].sku` and `items["sku"]` forms -> segments.
 * Numeric segments become `[]`: a workflow reading `items.0.sku` reads the items' `sku`.
 */
export function parsePath(text: string): string[] {
  const segments: string[] = []
  const pattern = /\[\s*(?:"([^"]*)"|'([^']*)'|(\d*))\s*\]|\.?([^.[\]]+)/g
  for (const match of text.matchAll(pattern)) {
    const quoted = match[1] ?? match[2]
    if (quoted !== undefined) segments.push(quoted)
    else if (match[3] !== undefined) segments.push(ITEMS)
    else if (match[4] !== undefined) segments.push(/^\d+$/.test(match[4]) ? ITEMS : match[4])
  }
  return segments
}

/** JSON Pointer of a path inside a document member (`/sample/items/0/sku`). */
export function pointerOf(prefix: string, segments: readonly string[]): string {
  return segments.reduce((pointer: string, s) => appendPointer(pointer, s === ITEMS ? 0 : s), prefix)
}

/** Whether `path` is `ancestor` or lies below it (`address.city` within `address`; everything within ``). */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === '' || path === ancestor) return true
  return path.startsWith(ancestor) && (path[ancestor.length] === '.' || path.startsWith(ITEMS, ancestor.length))
}

/** Parent path of a field (`''` for a top-level field). */
export function parentPath(segments: readonly string[]): string {
  return formatPath(segments.slice(0, -1))
}
