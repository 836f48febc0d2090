/**
 * The inference options of one event: the project's policy (`inference` in refold.config.ts,
 * resolved by loadConfig) with the event file's own `inference:` block over it, and the
 * loader's "written as decimal" facts turned into what inference looks numbers up by.
 */
import type { DecimalFacts, EventDefinition, InferOptions, JsonValue } from '../types.js'
import { splitPointer } from '../util/json-pointer.js'

/** Options for inferring `definition`'s schema under the project policy `project`. */
export function eventInferOptions(definition: EventDefinition, project: InferOptions): InferOptions {
  const own = definition.inference
  const options: InferOptions = {
    formats: own?.formats ?? project.formats,
    closedObjects: own?.closedObjects ?? project.closedObjects,
  }
  // Paths belong to one event's payload, so only an event file lists them.
  if (own?.nullable !== undefined) options.nullable = own.nullable
  if (own?.optional !== undefined) options.optional = own.optional
  if (definition.decimals !== undefined && definition.decimals.length > 0) options.decimals = decimalFacts(definition, definition.decimals)
  return options
}

/**
 * Document pointers (`/sample/total`, `/examples/1/items/0/price`) -> per container (the
 * object or array holding the number, as the definition holds it) the keys written as
 * decimals. Keyed by identity: the samples inference reads are these very objects.
 */
function decimalFacts(definition: EventDefinition, pointers: readonly string[]): DecimalFacts {
  const facts = new Map<object, Set<string>>()
  for (const pointer of pointers) {
    const tokens = splitPointer(pointer)
    let node: JsonValue | undefined
    let rest: string[]
    if (tokens[0] === 'sample') {
      node = definition.sample
      rest = tokens.slice(1)
    } else if (tokens[0] === 'examples' && tokens.length > 1) {
      node = definition.examples[Number(tokens[1])]
      rest = tokens.slice(2)
    } else {
      continue
    }
    for (let index = 0; index < rest.length - 1 && node !== undefined; index++) node = child(node, rest[index] as string)
    const key = rest.at(-1)
    if (key === undefined || typeof node !== 'object' || node === null || typeof child(node, key) !== 'number') continue
    const keys = facts.get(node) ?? new Set<string>()
    keys.add(key)
    facts.set(node, keys)
  }
  return facts
}

function child(node: JsonValue, key: string): JsonValue | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  if (Array.isArray(node)) return /^(0|[1-9][0-9]*)$/.test(key) ? node[Number(key)] : undefined
  return Object.hasOwn(node, key) ? node[key] : undefined
}
