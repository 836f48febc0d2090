/**
 * The payload every fire sends for renames in expansion (issue 12), shared by the runtime, the
 * fire command and sync's pushed sample: while workflows may still read a renamed field by its old
 * name, every fire carries the old field as a copy of the new one, so `{{event.first_name}}`
 * and `{{event.given_name}}` both resolve. Generated helpers, `fireEvent()` and `refold-events
 * fire` all copy through {@link copyRenamedFields}, so every way of firing sends the same payload.
 *
 * Paths are segment lists with `[]` for every item of an array (`['items', '[]', 'sku']`). The
 * n-th `[]` of the old path stands for the same index as the n-th `[]` of the new one, so
 * `lines[].code` -> `items[].sku` fills `items[i].sku` from `lines[i].code`. The caller's payload
 * is never changed: what the copy writes into is copied first, everything else is shared.
 *
 * The copy creates only the containers the new shape no longer has (`address` of `address.zip`
 * -> `location.postcode`): those exist for the copy alone. A container the new shape still has
 * (an optional `address` beside a moved `zip`, an `items` array beside `skus`) belongs to the
 * caller: the copy writes into it when the payload has it, never creates it nor adds items to
 * it, since an invented object or item would be data the caller never sent, and could fail the
 * event's own schema (a required field of `address` missing).
 */

/** One renamed field kept alive: the value at `newPath` is also written at `oldPath`. */
export interface RenamedCopy {
  readonly newPath: readonly string[]
  readonly oldPath: readonly string[]
  /**
   * How many leading segments of `oldPath` name containers the new shape still has: the copy
   * never creates those (nor adds items to such an array). 0 when only the payload itself is shared.
   */
  readonly keptPrefix: number
}

/** The segment that stands for every item of an array. */
const ITEMS = '[]'

/** `args` with its payload carrying every copy; `args` itself when there is nothing to copy. */
export function withRenamedCopies<A extends { payload: unknown }>(args: A, copies: readonly RenamedCopy[] | undefined): A {
  if (copies === undefined || copies.length === 0 || typeof args !== 'object' || args === null) return args
  const payload = copyRenamedFields(args.payload, copies)
  return payload === args.payload ? args : { ...args, payload }
}

/**
 * `payload` with each old path set to the value at its new path, wherever the new path has a
 * value. A payload that is not an object, a new field that is absent, an old path blocked by a
 * value that is neither an object nor an array (`null` included), and an old path through a
 * kept container the payload lacks (an absent object, an index past an array's end) are left as
 * they are: the copy never invents data nor overwrites a value it cannot descend into.
 */
export function copyRenamedFields(payload: unknown, copies: readonly RenamedCopy[]): unknown {
  if (!isRecord(payload)) return payload
  let out: unknown = payload
  for (const copy of inWriteOrder(copies)) {
    const hits: Hit[] = []
    collect(out, copy.newPath, 0, [], hits)
    // Containers this copy already copied are written in place: one copy per container, not one per hit.
    const owned = new WeakSet<object>()
    for (const hit of hits) out = write(out, copy, 0, hit.indices, 0, hit.value, owned)
  }
  return out
}

const ordered = new WeakMap<readonly RenamedCopy[], readonly RenamedCopy[]>()

/**
 * The copies in an order where every copy that writes inside a field another copy reads comes
 * first: with `x` renamed to `b` and `b.y` to `b.a`, `b.y` is written before `b` is copied to `x`,
 * so `x` gets the whole old shape and copying again changes nothing. Otherwise the given order
 * (also for renames that read each other's writes both ways, which no order can satisfy).
 * Computed once per list: the generated helpers pass the same list on every fire.
 */
function inWriteOrder(copies: readonly RenamedCopy[]): readonly RenamedCopy[] {
  let order = ordered.get(copies)
  if (order !== undefined) return order
  const remaining = [...copies]
  const result: RenamedCopy[] = []
  const writesInto = (writer: RenamedCopy, reader: RenamedCopy): boolean =>
    writer !== reader &&
    reader.newPath.length <= writer.oldPath.length &&
    reader.newPath.every((segment, i) => writer.oldPath[i] === segment)
  while (remaining.length > 0) {
    const ready = remaining.findIndex((copy) => !remaining.some((writer) => writesInto(writer, copy)))
    result.push(...remaining.splice(ready === -1 ? 0 : ready, 1))
  }
  order = result
  ordered.set(copies, order)
  return order
}

interface Hit {
  /** The array index taken at each `[]` on the way. */
  indices: number[]
  value: unknown
}

function collect(node: unknown, path: readonly string[], depth: number, indices: number[], hits: Hit[]): void {
  if (depth === path.length) {
    hits.push({ indices, value: node })
    return
  }
  const segment = path[depth]!
  if (segment === ITEMS) {
    if (Array.isArray(node)) node.forEach((item, i) => collect(item, path, depth + 1, [...indices, i], hits))
  } else if (isRecord(node) && Object.hasOwn(node, segment)) {
    collect(node[segment], path, depth + 1, indices, hits)
  }
}

/**
 * `node` (the value at the first `depth` segments of the old path) with the copy written below
 * it; `node` itself (`undefined` included) when nothing was written.
 */
function write(
  node: unknown,
  copy: RenamedCopy,
  depth: number,
  indices: readonly number[],
  used: number,
  value: unknown,
  owned: WeakSet<object>,
): unknown {
  const path = copy.oldPath
  if (depth === path.length) return value
  // A container the new shape still has is the caller's: absent, it stays absent.
  if (node === undefined && depth <= copy.keptPrefix) return undefined
  const segment = path[depth]!
  if (segment === ITEMS) {
    const index = indices[used]
    if (index === undefined || (node !== undefined && !Array.isArray(node))) return node
    // Items are added only to an array the copy itself makes; a kept array keeps its length.
    if (node !== undefined && depth <= copy.keptPrefix && index >= node.length) return node
    const written = write(node?.[index], copy, depth + 1, indices, used + 1, value, owned)
    if (written === undefined) return node
    const array: unknown[] = node === undefined ? [] : owned.has(node) ? node : [...node]
    owned.add(array)
    // An item the new array has but the copy's own array lacks yet: start it as the container the path needs.
    while (array.length < index) array.push(path[depth + 1] === ITEMS ? [] : {})
    array[index] = written
    return array
  }
  if (node !== undefined && !isRecord(node)) return node
  const child = node !== undefined && Object.hasOwn(node, segment) ? node[segment] : undefined
  const written = write(child, copy, depth + 1, indices, used, value, owned)
  if (written === undefined) return node
  const object: Record<string, unknown> = node === undefined ? {} : owned.has(node) ? node : { ...node }
  owned.add(object)
  // A field named `__proto__` is defined, not assigned, so it stays a field; assigning is faster.
  if (segment === '__proto__')
    Object.defineProperty(object, segment, { value: written, enumerable: true, writable: true, configurable: true })
  else object[segment] = written
  return object
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `payload` as its caller wrote it, without what `copies` add: for reading recorded fires
 * (`learn`, `validate`), which carry the copies. Each copy's part that exists only for the copy
 * (from the first old-path segment the new shape lacks) is removed wherever it is, so an old
 * path never becomes an example (which would make it a field and end the expansion) nor a
 * mismatch. `payload` itself when there is nothing to remove; it is never changed.
 */
export function withoutRenamedCopies(payload: unknown, copies: readonly RenamedCopy[]): unknown {
  let out = payload
  for (const copy of copies) {
    // A kept array whose items the new shape does not describe: nothing that is the copy's alone to remove.
    if (copy.oldPath[copy.keptPrefix] === ITEMS) continue
    out = remove(out, copy.oldPath, copy.keptPrefix, 0)
  }
  return out
}

/** `node` without the key `path[cut]` in every container reached through `path[0..cut)`. */
function remove(node: unknown, path: readonly string[], cut: number, depth: number): unknown {
  const segment = path[depth]!
  if (segment === ITEMS) {
    if (!Array.isArray(node)) return node
    const items = node.map((item) => remove(item, path, cut, depth + 1))
    return items.every((item, i) => item === node[i]) ? node : items
  }
  if (!isRecord(node) || !Object.hasOwn(node, segment)) return node
  // Entries, not spread or assignment: a key named `__proto__` stays a field.
  if (depth === cut) return Object.fromEntries(Object.entries(node).filter(([key]) => key !== segment))
  const child = remove(node[segment], path, cut, depth + 1)
  return child === node[segment]
    ? node
    : Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === segment ? child : value]))
}
