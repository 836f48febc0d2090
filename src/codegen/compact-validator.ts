/**
 * Compact validators: one event's JSON Schema as straight-line TypeScript, one line per
 * check, sized like the schema, calling the small runtime in `refold-events/runtime`
 * (src/runtime/compact-checks.ts) for reading own properties, type and format bits and
 * every error. The result is a `PayloadValidator` exactly like ajv's (boolean, `.errors`).
 *
 * Only the keywords inference and the override policy produce are covered (types and type
 * lists, properties, required, additionalProperties true/false, the `__proto__` pattern
 * mirror, items, anyOf, the five inferred formats, const, enum, numeric and length limits,
 * pattern, minItems/maxItems); for anything else {@link emitCompactValidator} answers
 * `undefined` and the caller compiles that event with ajv instead. ajv stays the oracle:
 * test/codegen/compact-validator*.test.ts compare verdicts and failing paths with it.
 *
 * Names inside come from the payload path of what they check (`$issueUser`), never from a
 * counter, so an edit elsewhere in the schema does not rename them; identical subschemas
 * within the event share one function. Everything is scoped in the validator's own factory
 * function, so several validators can sit in one module.
 */
import type { JsonSchema } from '../types.js'
import { ANNOTATION_KEYWORDS } from '../util/schema-keywords.js'
import { appendPointer } from '../util/json-pointer.js'
import { CodeWriter, stringLiteral } from './code-writer.js'

/** What {@link emitCompactValidator} produces: the code and what it imports. */
export interface CompactValidatorCode {
  /** `export const <exportName>: PayloadValidator = compactValidator(...)`, ending in a newline. */
  code: string
  /** Names the code needs from {@link CompactValidatorCode.imports.from}: values, and types (`import type`). */
  imports: { from: string; values: string[]; types: string[] }
}

/** Options of {@link emitCompactValidator}. */
export interface CompactValidatorOptions {
  /** Name of the exported validator constant. */
  exportName: string
  /** TSDoc text above it. */
  doc?: string
}

/** Module the compact validators import their runtime from. */
const COMPACT_RUNTIME_MODULE = 'refold-events/runtime'

/**
 * The compact validator of `schema`, or `undefined` when the schema uses a keyword (or a
 * keyword value) the compact form does not cover; then compile it with ajv.
 */
export function emitCompactValidator(schema: JsonSchema, options: CompactValidatorOptions): CompactValidatorCode | undefined {
  const plan = new Plan()
  let root: Ref
  try {
    root = plan.node(schema, [])
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  return plan.print(root, options)
}

/** Thrown inside the planner when the schema needs ajv; caught at the top. */
class Unsupported extends Error {}

/** How a parent refers to one place: its flag names and, when more is checked, a function. */
interface Ref {
  flags: string[]
  fn?: Fn
}

/** One generated check function; `body` refers to child functions by id until printing. */
interface Fn {
  id: number
  /** Payload path words of the first place that uses it (document order). */
  words: string[]
  /** Pointer-like key of that place, for a collision suffix. */
  where: string
  /** Document order of that place. */
  order: number
  body: string[]
  name?: string
}

const TYPE_FLAGS: Readonly<Record<string, string>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  null: 'NULL',
  object: 'OBJECT',
  array: 'ARRAY',
}
const TYPE_ORDER = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']
const FORMAT_FLAGS: Readonly<Record<string, string>> = {
  'date-time': 'DATE_TIME',
  date: 'DATE',
  email: 'EMAIL',
  uri: 'URI',
  uuid: 'UUID',
}
/** Keywords that never change a validation result (validator-schema.ts drops most of them already). */
const ANNOTATIONS: ReadonlySet<string> = new Set([...ANNOTATION_KEYWORDS, '$schema'])
const RANGE_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const
const LENGTH_KEYWORDS = ['minLength', 'maxLength'] as const
const COUNT_KEYWORDS = ['minItems', 'maxItems'] as const
const KNOWN = new Set([
  ...ANNOTATIONS,
  'type',
  'format',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'anyOf',
  'const',
  'enum',
  'pattern',
  ...RANGE_KEYWORDS,
  ...LENGTH_KEYWORDS,
  ...COUNT_KEYWORDS,
])
const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties']
const PROTO_PATTERN = '^__proto__$'
/** Stands for a child function's name in a body until names are settled. */
const PLACEHOLDER = /\u0000(\d+)\u0000/g

class Plan {
  /** Functions by body text: identical checks are one function. */
  private readonly byBody = new Map<string, Fn>()
  private readonly used = new Set<string>()
  private order = 0

  /** Plans the checks of `schema` at the payload place `words`. */
  node(schema: unknown, words: string[], where = ''): Ref {
    if (!isRecord(schema)) throw new Unsupported()
    const order = this.order++
    for (const key of Object.keys(schema)) {
      // Extensions (`x-...`, which overrides may carry) are annotations to ajv too (strict: false).
      if (!KNOWN.has(key) && !key.startsWith('x-')) throw new Unsupported()
    }
    const types = typeList(schema.type)
    const flags = types.map((type) => this.flag(TYPE_FLAGS[type]!))
    if (schema.format !== undefined) {
      const format = typeof schema.format === 'string' ? FORMAT_FLAGS[schema.format] : undefined
      if (format === undefined) throw new Unsupported()
      flags.push(this.flag(format))
    }
    const body: string[] = []
    if (schema.const !== undefined) body.push(`c.const(v, p, ${jsonLiteral(schema.const)})`)
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum)) throw new Unsupported()
      body.push(`c.enum(v, p, ${jsonLiteral(schema.enum)})`)
    }
    for (const keyword of RANGE_KEYWORDS)
      if (schema[keyword] !== undefined) body.push(`c.range(v, p, "${keyword}", ${finite(schema[keyword])})`)
    for (const keyword of LENGTH_KEYWORDS)
      if (schema[keyword] !== undefined) body.push(`c.length(v, p, "${keyword}", ${count(schema[keyword])})`)
    for (const keyword of COUNT_KEYWORDS)
      if (schema[keyword] !== undefined) body.push(`c.count(v, p, "${keyword}", ${count(schema[keyword])})`)
    if (schema.pattern !== undefined) body.push(`c.pattern(v, p, ${regexLiteral(schema.pattern)})`)
    if (schema.anyOf !== undefined) {
      if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) throw new Unsupported()
      const branches = schema.anyOf.map((branch, i) => {
        const ref = this.node(branch, [...words, branchWord(branch, schema.anyOf as unknown[], i)], `${where}/anyOf/${i}`)
        return `[${flagText(ref.flags)}${ref.fn === undefined ? '' : `, ${placeholder(ref.fn)}`}]`
      })
      body.push(`c.anyOf(v, p, ${branches.join(', ')})`)
    }
    const hasObject = OBJECT_KEYWORDS.some((key) => schema[key] !== undefined)
    const hasArray = schema.items !== undefined
    if (hasObject || hasArray) {
      // Object and array keywords apply to their own kind only; a place must say which it is.
      if (hasObject && hasArray) throw new Unsupported()
      const kind = hasObject ? 'object' : 'array'
      if (!types.includes(kind)) throw new Unsupported()
      if (types.length > 1) body.push(kind === 'object' ? 'if (!c.isObject(v)) return' : 'if (!Array.isArray(v)) return')
      if (hasObject) this.objectLines(schema, words, where, body)
      else {
        const items = this.node(schema.items, [...words, 'item'], `${where}/items`)
        body.push(`c.items(v, p, ${flagText(items.flags)}${items.fn === undefined ? '' : `, ${placeholder(items.fn)}`})`)
      }
    }
    if (body.length === 0) return { flags }
    return { flags, fn: this.fn(body, words, where, order) }
  }

  private objectLines(schema: JsonSchema, words: string[], where: string, body: string[]): void {
    const properties = schema.properties ?? {}
    if (!isRecord(properties)) throw new Unsupported()
    const required = schema.required ?? []
    if (!Array.isArray(required) || required.some((name) => typeof name !== 'string')) throw new Unsupported()
    const additional = schema.additionalProperties
    if (additional !== undefined && typeof additional !== 'boolean') throw new Unsupported()
    if (schema.patternProperties !== undefined) checkProtoMirror(schema.patternProperties, properties)
    const closed = additional === false
    const keys = Object.keys(properties)
    const requiredSet = new Set(required as string[])
    // `let n = 0` on a line of its own: adding a first field then changes no other line.
    if (closed && keys.length > 0) body.push('let n = 0')
    for (const key of keys) {
      const child = this.node(properties[key], [...words, ...keyWords(key)], appendPointer(where, key))
      const flags = [...(requiredSet.has(key) ? [this.flag('REQUIRED')] : []), ...child.flags]
      const call = `c.prop(v, p, ${stringLiteral(key)}, ${read(key)}, ${flagText(flags)}${child.fn === undefined ? '' : `, ${placeholder(child.fn)}`})`
      body.push(closed ? `n += ${call}` : call)
    }
    for (const key of requiredSet) {
      if (!Object.hasOwn(properties, key)) body.push(`c.prop(v, p, ${stringLiteral(key)}, ${read(key)}, ${this.flag('REQUIRED')})`)
    }
    if (closed) {
      const declared = `[${keys.map(stringLiteral).join(', ')}]`
      body.push(keys.length === 0 ? `if (c.size(v) !== 0) c.closed(v, p, [])` : `if (n !== c.size(v)) c.closed(v, p, ${declared})`)
    }
  }

  private flag(name: string): string {
    this.used.add(name)
    return name
  }

  private fn(body: string[], words: string[], where: string, order: number): Fn {
    const key = body.join('\n')
    const existing = this.byBody.get(key)
    if (existing !== undefined) {
      if (order < existing.order) Object.assign(existing, { words, where, order })
      return existing
    }
    const fn: Fn = { id: this.byBody.size, words, where, order, body }
    this.byBody.set(key, fn)
    return fn
  }

  /** The validator's source. */
  print(root: Ref, options: CompactValidatorOptions): CompactValidatorCode {
    const fns = [...this.byBody.values()].sort((a, b) => a.order - b.order)
    nameFunctions(fns)
    const byId = new Map(fns.map((fn) => [fn.id, fn]))
    const resolve = (line: string) => line.replace(PLACEHOLDER, (_all, id: string) => byId.get(Number(id))!.name!)
    const w = new CodeWriter()
    w.doc(options.doc)
    const head = `export const ${options.exportName}: PayloadValidator = compactValidator(${flagText(root.flags)}`
    if (root.fn === undefined) {
      w.line(`${head})`)
    } else {
      w.block(
        `${head}, () => {`,
        () => {
          for (const fn of fns) {
            const lines = fn.body.map(resolve)
            const opener = `const ${fn.name}: Check = (v, p, c) =>`
            if (lines.length === 1 && !lines[0]!.startsWith('if ') && !lines[0]!.startsWith('let ')) w.line(`${opener} ${lines[0]}`)
            else w.block(`${opener} {`, () => lines.forEach((line) => w.line(line)))
          }
          w.line(`return ${root.fn!.name}`)
        },
        '})',
      )
    }
    const values = ['compactValidator', ...[...this.used].sort()]
    const types = root.fn === undefined ? ['PayloadValidator'] : ['Check', 'PayloadValidator']
    return { code: w.toString(), imports: { from: COMPACT_RUNTIME_MODULE, values, types } }
  }
}

/**
 * `$` + the camel-cased words of each function's payload path (`$issueLabelsItem`); two
 * places whose words coincide (`a_b` and `aB`) both get a suffix hashed from their own
 * path, so neither name depends on what else the schema holds.
 */
function nameFunctions(fns: Fn[]): void {
  const groups = new Map<string, Fn[]>()
  for (const fn of fns) {
    const name = `$${fn.words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('')}`
    groups.set(name, [...(groups.get(name) ?? []), fn])
  }
  for (const [name, group] of groups) {
    if (group.length === 1) group[0]!.name = name
    else for (const fn of group) fn.name = `${name}_${hash(fn.where)}`
  }
}

/** The words of a property name that can be part of an identifier (ASCII letters and digits). */
function keyWords(key: string): string[] {
  return key.split(/[^A-Za-z0-9]+/).filter((word) => word !== '')
}

/** A word for an `anyOf` branch: its type (`object`, `array`, `value`), or its position when types repeat. */
function branchWord(branch: unknown, branches: unknown[], index: number): string {
  const word = (schema: unknown) => {
    const types = isRecord(schema) ? typeList(schema.type) : []
    return types.length === 1 && (types[0] === 'object' || types[0] === 'array') ? types[0] : 'value'
  }
  const mine = word(branch)
  return branches.filter((other) => word(other) === mine).length > 1 ? `${mine}${index}` : mine
}

/** A `type` keyword as a list of names in a fixed order; anything but JSON Schema's seven names is not covered. */
function typeList(type: unknown): string[] {
  if (type === undefined) return []
  const list = Array.isArray(type) ? type : [type]
  if (list.length === 0 || list.some((name) => typeof name !== 'string' || TYPE_FLAGS[name] === undefined)) throw new Unsupported()
  return TYPE_ORDER.filter((name) => list.includes(name))
}

/**
 * Inference mirrors a `__proto__` property under the pattern `^__proto__$` because ajv skips
 * `properties.__proto__`; here that property is checked like any other (own properties
 * only), so the mirror is covered when it is exactly that. Any other pattern needs ajv.
 */
function checkProtoMirror(patterns: unknown, properties: JsonSchema): void {
  if (!isRecord(patterns)) throw new Unsupported()
  const keys = Object.keys(patterns)
  if (keys.length !== 1 || keys[0] !== PROTO_PATTERN) throw new Unsupported()
  if (!Object.hasOwn(properties, '__proto__') || JSON.stringify(patterns[PROTO_PATTERN]) !== JSON.stringify(properties['__proto__'])) {
    throw new Unsupported()
  }
}

/**
 * How the code reads property `key` of `v`: `v.name` where it can (a property read the engine
 * caches per line, several times faster than a read by a computed key inside a shared
 * helper), else `v["first-name"]`. The helper then checks it is an own property.
 */
function read(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) && key !== '__proto__' ? `v.${key}` : `v[${stringLiteral(key)}]`
}

function flagText(flags: string[]): string {
  return flags.length === 0 ? '0' : flags.join(' | ')
}

function placeholder(fn: Fn): string {
  return `\u0000${fn.id}\u0000`
}

/**
 * A JSON value as a JavaScript expression. An object literal with a `"__proto__"` key would
 * set a prototype instead of a property, so such a value is parsed from its JSON text.
 */
function jsonLiteral(value: unknown): string {
  const json = JSON.stringify(value)
  if (json === undefined) throw new Unsupported()
  const text = json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  return json.includes('"__proto__"') ? `JSON.parse(${stringLiteral(json)})` : text
}

function finite(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Unsupported()
  return String(value)
}

function count(value: unknown): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Unsupported()
  return String(value)
}

/** A regular expression literal with ajv's `u` flag; a pattern that does not compile so is not covered. */
function regexLiteral(pattern: unknown): string {
  if (typeof pattern !== 'string') throw new Unsupported()
  let regex: RegExp
  try {
    regex = new RegExp(pattern, 'u')
  } catch {
    throw new Unsupported()
  }
  // `source` escapes `/` and line terminators, so it is a valid literal body.
  return `/${regex.source}/u`
}

/** FNV-1a of `text`, base 36: a short suffix derived from content. */
function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(36)
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
