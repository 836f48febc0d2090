/**
 * YAML text -> one JSON value plus the source position of every node, safe against
 * hostile input. The `yaml` package parses; this module builds the value itself (rather
 * than `toJS()`) so that it can record a position per JSON Pointer, reject what JSON
 * cannot hold, and bound alias expansion and nesting.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml'
import type { Alias, Document, Node as YamlNode, Pair } from 'yaml'
import type { JsonObject, JsonValue, Position } from '../types.js'
import { appendPointer } from '../util/json-pointer.js'
import { lineIndex } from '../util/line-index.js'
import { setOwn } from '../util/own-property.js'
import { type YamlProblem, yamlProblems } from './yaml-errors.js'

export type { YamlProblem } from './yaml-errors.js'

export interface ParsedYaml {
  /** The document as JSON; undefined when the text has errors or holds no document. */
  value: JsonValue | undefined
  /** True when the text holds no document at all (empty, or only comments). */
  empty: boolean
  /**
   * Position of every node by JSON Pointer. A map entry is located at its key (that is
   * where an editor shows a field); anything reached through an alias or a `<<` merge is
   * located at the alias, where the author used it.
   */
  locations: Record<string, Position>
  /**
   * JSON Pointers of the integral numbers written with a decimal point (`100.00`, `5.0`):
   * JSON cannot tell them from `100`, but the author wrote a fractional number, and
   * inference makes them `number` rather than `integer`. In document order.
   */
  decimals: string[]
  problems: YamlProblem[]
}

export interface ParseYamlOptions {
  /** Most nodes all aliases together may expand to; guards against "billion laughs". */
  maxAliasedNodes?: number
  /** Deepest nesting of maps and lists accepted. */
  maxDepth?: number
}

const DEFAULT_MAX_ALIASED_NODES = 10_000
export const DEFAULT_MAX_DEPTH = 64

/** Parse one YAML document into JSON, collecting every problem with its line and column. */
export function parseYaml(text: string, options: ParseYamlOptions = {}): ParsedYaml {
  // prettyErrors off: its source excerpts run a regex over the whole line, which runs out
  // of memory on a hostile multi-megabyte single line.
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: false, prettyErrors: false })
  // Positions from the text, not the parser's LineCounter, which drifts after a syntax error.
  const position = lineIndex(text)
  const result: ParsedYaml = { value: undefined, empty: false, locations: {}, decimals: [], problems: [] }
  for (const doc of docs) result.problems.push(...yamlProblems(doc, text, position))
  if (docs.length > 1) {
    result.problems.push({
      ...position(docs[1]!.range[0]),
      severity: 'error',
      message: 'a second YAML document starts here; expected exactly one document (one event) per file',
    })
  }
  result.problems = dedupe(result.problems)
  const first = docs[0]
  if (first === undefined || first.contents === null || isEmptyScalar(first.contents)) {
    result.empty = docs.length <= 1
    return result
  }
  if (result.problems.some((p) => p.severity === 'error')) return result
  const builder = new JsonBuilder(first, position, result, options)
  try {
    result.value = builder.build(first.contents, '', 0, undefined)
  } catch (error) {
    if (!(error instanceof StopBuilding)) throw error
  }
  if (result.problems.some((p) => p.severity === 'error')) result.value = undefined
  return result
}

/** Thrown to abandon a document once going on would only multiply work (an alias bomb). */
class StopBuilding extends Error {}

class JsonBuilder {
  private aliasedNodes = 0
  private readonly sizes = new Map<YamlNode, number>()
  private readonly building = new Set<YamlNode>()
  private readonly maxAliasedNodes: number
  private readonly maxDepth: number

  constructor(
    private readonly doc: Document.Parsed,
    private readonly position: (offset: number) => Position,
    private readonly out: ParsedYaml,
    options: ParseYamlOptions,
  ) {
    this.maxAliasedNodes = options.maxAliasedNodes ?? DEFAULT_MAX_ALIASED_NODES
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  }

  /**
   * Convert `node` at `pointer`. `at` is set inside an alias expansion: every node there is
   * located at the alias rather than at the anchored original.
   */
  build(node: YamlNode | null, pointer: string, depth: number, at: Position | undefined): JsonValue | undefined {
    if (node === null) return null
    const here = at ?? this.position(node.range?.[0] ?? 0)
    if (!(pointer in this.out.locations)) this.out.locations[pointer] = here
    if (isAlias(node)) return this.buildAlias(node, pointer, depth, here, at !== undefined)
    if (isScalar(node)) {
      const value = this.scalar(node.value, node.source, here)
      if (typeof value === 'number' && Number.isInteger(value) && writtenAsDecimal(node.source)) this.out.decimals.push(pointer)
      return value
    }
    if (depth >= this.maxDepth) {
      this.error(here, `nested more than ${this.maxDepth} levels deep; expected a flatter structure`)
      throw new StopBuilding()
    }
    if (this.building.has(node)) {
      this.error(here, 'an alias refers to a map or list that contains it; JSON cannot hold a cycle')
      return undefined
    }
    this.building.add(node)
    try {
      if (isMap(node)) return this.buildMap(node.items, pointer, depth, at)
      if (isSeq(node)) {
        return node.items.map((item, index) => this.build(item as YamlNode | null, appendPointer(pointer, index), depth + 1, at) ?? null)
      }
    } finally {
      this.building.delete(node)
    }
    this.error(here, 'unsupported YAML node; expected a map, a list or a plain value')
    return undefined
  }

  /** `nested`: inside another alias's expansion, whose size already counted this one. */
  private buildAlias(node: Alias, pointer: string, depth: number, here: Position, nested: boolean): JsonValue | undefined {
    const target = node.resolve(this.doc) as YamlNode | undefined
    if (target === undefined) {
      this.error(here, `unknown alias *${node.source}; expected an anchor &${node.source} defined earlier in the file`)
      return undefined
    }
    if (this.building.has(target)) {
      this.error(here, `alias *${node.source} refers to a map or list that contains it; JSON cannot hold a cycle`)
      return undefined
    }
    if (!nested) this.aliasedNodes += this.size(target)
    if (this.aliasedNodes > this.maxAliasedNodes) {
      this.error(
        here,
        `aliases expand to more than ${this.maxAliasedNodes} nodes (an alias bomb?); expected anchors and aliases to be used sparingly`,
      )
      throw new StopBuilding()
    }
    return this.build(target, pointer, depth, here)
  }

  private buildMap(pairs: Pair[], pointer: string, depth: number, at: Position | undefined): JsonObject {
    const object: JsonObject = {}
    const seen = new Map<string, Position>()
    const merges: { node: YamlNode; at: Position }[] = []
    for (const pair of pairs) {
      const key = pair.key as YamlNode | null
      const keyAt = at ?? this.position(key?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? 0)
      if (isScalar(key) && typeof key.value === 'symbol') {
        // YAML 1.1 merge key (`<<: *base`): merged after the explicit keys, which win.
        const value = pair.value as YamlNode | null
        const sources = isSeq(value) ? (value.items as YamlNode[]) : value === null ? [] : [value]
        for (const source of sources) merges.push({ node: source, at: at ?? this.position(source.range?.[0] ?? 0) })
        continue
      }
      const name = this.keyName(key, keyAt)
      if (name === undefined) continue
      const first = seen.get(name)
      if (first !== undefined) {
        this.error(
          keyAt,
          `duplicate key ${JSON.stringify(name)}; it is already set at line ${first.line}, column ${first.column}: keep one of the two`,
        )
        continue
      }
      seen.set(name, keyAt)
      const child = appendPointer(pointer, name)
      this.out.locations[child] = keyAt
      const value = this.build(pair.value as YamlNode | null, child, depth + 1, at)
      if (value !== undefined) setOwn(object, name, value)
    }
    for (const merge of merges) this.applyMerge(object, seen, merge.node, pointer, depth, merge.at)
    return object
  }

  private applyMerge(object: JsonObject, seen: Map<string, Position>, node: YamlNode, pointer: string, depth: number, at: Position): void {
    // Build into scratch locations: keys the map sets itself keep their own positions.
    const locations = this.out.locations
    const decimals = this.out.decimals
    const scratch: Record<string, Position> = {}
    const scratchDecimals: string[] = []
    this.out.locations = scratch
    this.out.decimals = scratchDecimals
    let value: JsonValue | undefined
    try {
      value = this.build(node, pointer, depth, at)
    } finally {
      this.out.locations = locations
      this.out.decimals = decimals
    }
    if (value === undefined) return
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.error(at, 'a merge key (<<) takes a map or a list of maps, e.g. "<<: *base"')
      return
    }
    for (const name of Object.keys(value)) {
      if (seen.has(name)) continue
      seen.set(name, at)
      const child = appendPointer(pointer, name)
      for (const [key, position] of Object.entries(scratch)) {
        if (key === child || key.startsWith(`${child}/`)) locations[key] = position
      }
      for (const key of scratchDecimals) if (key === child || key.startsWith(`${child}/`)) decimals.push(key)
      setOwn(object, name, value[name]!)
    }
  }

  private keyName(key: YamlNode | null, at: Position): string | undefined {
    if (isScalar(key) && typeof key.value === 'string') return key.value
    if (isScalar(key)) {
      const source = key.source ?? String(key.value)
      const shown = key.value === null ? 'an empty (null) key' : `the ${typeof key.value} ${source}`
      this.error(at, `expected a string key, got ${shown}; quote it ("${source}") to use it as text`)
    } else if (key === null) {
      this.error(at, 'expected a string key, got an empty key')
    } else if (isAlias(key)) {
      this.error(at, 'expected a string key, got an alias; keys must be plain text')
    } else {
      this.error(at, 'expected a string key, got a map or list (complex key); keys must be plain text')
    }
    return undefined
  }

  private scalar(value: unknown, source: string | undefined, at: Position): JsonValue | undefined {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value
      this.error(at, `${source ?? String(value)} is not a JSON number; expected a finite number, or quote it to keep it as text`)
      return undefined
    }
    const kind = value instanceof Uint8Array ? 'binary data (!!binary)' : value instanceof Date ? 'a timestamp' : `a ${typeof value}`
    this.error(at, `expected a JSON value (text, number, true/false or null), got ${kind}`)
    return undefined
  }

  /** Number of nodes `node` expands to, aliases included; memoised so a bomb is measured cheaply. */
  private size(node: YamlNode): number {
    const known = this.sizes.get(node)
    if (known !== undefined) return known
    this.sizes.set(node, 1) // a cycle counts once; it is reported when built
    let total = 1
    if (isAlias(node)) {
      const target = node.resolve(this.doc)
      total = target === undefined ? 1 : this.size(target)
    } else if (isMap(node)) {
      for (const pair of node.items) total += pair.value == null ? 1 : this.size(pair.value as YamlNode)
    } else if (isSeq(node)) {
      for (const item of node.items) total += item === null ? 1 : this.size(item as YamlNode)
    }
    this.sizes.set(node, total)
    return total
  }

  private error(at: Position, message: string): void {
    this.out.problems.push({ ...at, severity: 'error', message })
  }
}

/**
 * Whether a number's source text has a decimal point (`100.00`, `5.`, `1.5e3`), so the author
 * meant a fractional number even where its value is whole. Quoted scalars are strings and
 * never get here; `.inf` and `.nan` are rejected before.
 */
function writtenAsDecimal(source: string | undefined): boolean {
  return source !== undefined && source.includes('.')
}

function isEmptyScalar(node: YamlNode): boolean {
  return isScalar(node) && node.value === null && node.source === ''
}

function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.severity}:${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
