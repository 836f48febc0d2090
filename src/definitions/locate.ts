/**
 * From a JSON Pointer to a line and column in an event file, using the `locations` the
 * loader recorded. Payload paths (from inference or sample validation) are looked up in
 * the sample first, then in each example.
 */
import type { EventDefinition, JsonValue, Position, SourceLocation } from '../types.js'
import { appendPointer, parentPointer, splitPointer } from '../util/json-pointer.js'

const FILE_START: Position = { line: 1, column: 1 }

/** The position of `pointer`, or of its nearest recorded ancestor (a missing key is reported at its parent). */
export function locate(locations: Record<string, Position>, pointer: string): Position {
  let current: string | undefined = pointer
  while (current !== undefined) {
    if (Object.hasOwn(locations, current)) return locations[current]!
    current = parentPointer(current)
  }
  return FILE_START
}

/** Where `pointer` is written in the definition's file, when the loader recorded that exact place. */
export function recordedLocation(definition: Pick<EventDefinition, 'file' | 'locations'>, pointer: string): SourceLocation | null {
  if (!Object.hasOwn(definition.locations, pointer)) return null
  const position = definition.locations[pointer]!
  return { file: definition.file, line: position.line, column: position.column }
}

/**
 * Where a payload path is written: `/company` is found at `/sample/company`, or in the
 * first example that has it. `*` tokens (array items, as inference reports them) match
 * the first index whose item has the rest of the path. Falls back to the nearest
 * ancestor within the sample.
 */
export function locatePayloadPath(
  definition: Pick<EventDefinition, 'locations' | 'sample' | 'examples'>,
  payloadPointer: string,
): Position {
  const tokens = splitPointer(payloadPointer)
  const payloads: [string, JsonValue][] = [
    ['/sample', definition.sample],
    ...definition.examples.map((e, i): [string, JsonValue] => [`/examples/${i}`, e]),
  ]
  for (const [root, payload] of payloads) {
    const found = concretePointer(payload, tokens, 0, root)
    if (found !== undefined && Object.hasOwn(definition.locations, found)) return definition.locations[found]!
  }
  const beforeItems = tokens.indexOf('*')
  const known = beforeItems < 0 ? tokens : tokens.slice(0, beforeItems)
  return locate(definition.locations, known.reduce(appendPointer, '/sample'))
}

/**
 * Where a payload field is written: in the sample or an example, else in the `schema`
 * override (`/schema/properties/a.b`), else as {@link locatePayloadPath} finds it.
 */
export function locatePayloadField(
  definition: Pick<EventDefinition, 'locations' | 'sample' | 'examples'>,
  payloadPointer: string,
): Position {
  const tokens = splitPointer(payloadPointer)
  const roots = ['/sample', ...definition.examples.map((_, i) => `/examples/${i}`)]
  const inPayload = roots.some((root) => Object.hasOwn(definition.locations, tokens.reduce(appendPointer, root)))
  const inOverride = overridePointer(tokens)
  if (!inPayload && Object.hasOwn(definition.locations, inOverride)) return definition.locations[inOverride]!
  return locatePayloadPath(definition, payloadPointer)
}

/**
 * The pointer at which the `schema` override declares a payload field:
 * `['a', 'b']` -> `/schema/properties/a/properties/b`; `itemsToken` (when given) stands for
 * every item of an array and maps to `/items`.
 */
export function overridePointer(tokens: readonly string[], itemsToken?: string): string {
  return tokens.reduce(
    (at, token) => (token === itemsToken ? `${at}/items` : appendPointer(appendPointer(at, 'properties'), token)),
    '/schema',
  )
}

/** The pointer of the first place in `value` that `tokens` (with `*` for any index) reach. */
function concretePointer(value: JsonValue, tokens: string[], index: number, pointer: string): string | undefined {
  if (index === tokens.length) return pointer
  const token = tokens[index]!
  if (token === '*') {
    if (!Array.isArray(value)) return undefined
    for (let i = 0; i < value.length; i++) {
      const found = concretePointer(value[i]!, tokens, index + 1, appendPointer(pointer, i))
      if (found !== undefined) return found
    }
    return undefined
  }
  if (Array.isArray(value) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < value.length) {
    return concretePointer(value[Number(token)]!, tokens, index + 1, appendPointer(pointer, token))
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, token)) return undefined
  return concretePointer(value[token]!, tokens, index + 1, appendPointer(pointer, token))
}
