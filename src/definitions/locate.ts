/**
 * From a JSON Pointer to a line and column in an event file, using the `locations` the
 * loader recorded. Payload paths (from inference or sample validation) are looked up in
 * the sample first, then in each example.
 */
import type { EventDefinition, Position } from '../types.js'
import { parentPointer } from '../util/json-pointer.js'

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

/**
 * Where a payload path is written: `/company` is found at `/sample/company`, or in the
 * first example that has it. `*` tokens (array items, as inference reports them) match
 * any index. Falls back to the nearest ancestor within the sample.
 */
export function locatePayloadPath(definition: Pick<EventDefinition, 'locations' | 'examples'>, payloadPointer: string): Position {
  const roots = ['/sample', ...definition.examples.map((_, index) => `/examples/${index}`)]
  const tokens = payloadPointer.split('/')
  const pattern = tokens.includes('*')
    ? new RegExp(`^${tokens.map((t) => (t === '*' ? '(?:0|[1-9][0-9]*)' : escapeRegExp(t))).join('/')}$`)
    : undefined
  for (const root of roots) {
    const exact = root + payloadPointer
    if (Object.hasOwn(definition.locations, exact)) return definition.locations[exact]!
    if (pattern !== undefined) {
      for (const key of Object.keys(definition.locations)) {
        if (key.startsWith(`${root}/`) && pattern.test(key.slice(root.length))) return definition.locations[key]!
      }
    }
  }
  const beforeItems = tokens.indexOf('*')
  return locate(definition.locations, `/sample${beforeItems < 0 ? payloadPointer : tokens.slice(0, beforeItems).join('/')}`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
