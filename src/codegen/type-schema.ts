/**
 * Turns an event's final JSON Schema into the input json-schema-to-typescript gets: a fresh
 * copy (the library mutates its input) that keeps only the keywords that shape a type,
 * carries a `title` on every object type (the generated type name, see type-names.ts),
 * and documents each field with its description and a sample value as `@example`.
 *
 * Keywords are kept by allow-list: `tsType`, `tsEnumNames`, `$id` or a stray `title` in a
 * user's `schema` override would otherwise reach the generated code or its type names.
 */
import { PROTO_PATTERN } from '../compile/proto-fields.js'
import type { CompiledEvent, JsonSchema, JsonValue } from '../types.js'
import { setOwn } from '../util/own-property.js'
import { escapeDocText } from './code-writer.js'
import { itemTypeName, pascalCase, propertyPathNames, propertySegment, type TypeNamer } from './type-names.js'

/**
 * json-schema-to-typescript's input for one event. Its titles are placeholders
 * (`<placeholder><index>`) standing for `names[index]`: the library rewrites titles into
 * ASCII identifiers (`Event3dSecure` -> `Event3DSecure`, `Café` -> `Caf`), so the real names
 * are put back into its output afterwards. The placeholder is a word that occurs nowhere in
 * the event's own text, so every occurrence in the output is one of ours.
 */
export interface TypeSchema {
  schema: Record<string, unknown>
  payloadType: string
  placeholder: string
  names: string[]
}

/** Longest JSON text shown as an `@example`; a longer string is cut, anything else left out. */
const MAX_EXAMPLE_CHARS = 120

/** Keywords json-schema-to-typescript turns into types or comments (schemas are handled apart). */
const KEPT_VALUE_KEYWORDS = ['type', 'required', 'enum', 'const', 'minItems', 'maxItems', 'deprecated'] as const

/**
 * Build the json-schema-to-typescript input for `event`, naming its payload type
 * `payloadType` and every nested object type through `namer`.
 */
export function toTypeSchema(event: CompiledEvent, payloadType: string, namer: TypeNamer): TypeSchema {
  const { definition } = event
  const observed: JsonValue[] = [definition.sample, ...definition.examples]
  const placeholder = choosePlaceholder(JSON.stringify([event.schema, observed, definition.name, definition.description ?? '']))
  const converter = new SchemaConverter(definition.identifier, namer, placeholder, propertyPathNames(event.schema, definition.identifier))
  const schema = converter.convertDefinitions(event.schema)
  Object.assign(schema, converter.convert(event.schema, definition.identifier, observed, payloadType))
  const intro = `Payload of the Refold event ${JSON.stringify(definition.name)}.`
  // The root description of a `schema` override wins over the event's, as in the compiled schema.
  const described = typeof event.schema.description === 'string' ? event.schema.description : definition.description
  const text = described === undefined || described.trim() === '' ? intro : `${described.trim()}\n\n${intro}`
  schema.description = escapeDocText(text)
  return { schema, payloadType, placeholder, names: converter.names }
}

/** `RefoldTypeName`, lengthened until it occurs nowhere in `text` (everything the input carries). */
function choosePlaceholder(text: string): string {
  let placeholder = 'RefoldTypeName'
  while (text.includes(placeholder)) placeholder += 'X'
  return placeholder
}

type Schema = Record<string, unknown>

/** Names every object inherits (`constructor`, `hasOwnProperty`, `__proto__`, ...). */
const PROTOTYPE_MEMBERS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

class SchemaConverter {
  /** The real type names, indexed by the number in each placeholder title. */
  readonly names: string[] = []

  constructor(
    private readonly eventIdentifier: string,
    private readonly namer: TypeNamer,
    private readonly placeholder: string,
    /** Names property paths give; array items avoid them (see type-names.ts). */
    private readonly pathNames: ReadonlySet<string>,
  ) {}

  /** A title standing for `name`. */
  private title(name: string): string {
    this.names.push(name)
    return `${this.placeholder}${this.names.length - 1}`
  }

  private readonly keyStandIns = new Map<string, string>()

  /**
   * A field name as json-schema-to-typescript gets it. The library calls methods such as
   * `schema.hasOwnProperty(...)` on every object, `properties` included, so a field named
   * after an `Object.prototype` member breaks it; such a name goes in as a placeholder (put
   * back like the titles) and comes out as itself. All of them are plain identifiers.
   */
  private key(key: string): string {
    if (!PROTOTYPE_MEMBERS.has(key)) return key
    let standIn = this.keyStandIns.get(key)
    if (standIn === undefined) {
      standIn = this.title(key)
      this.keyStandIns.set(key, standIn)
    }
    return standIn
  }

  /** `$defs`/`definitions` of the root, each named `<Event><Key>` (refs into them stay valid). */
  convertDefinitions(root: JsonSchema): Schema {
    const out: Schema = {}
    for (const keyword of ['$defs', 'definitions'] as const) {
      const defs = root[keyword]
      if (!isRecord(defs)) continue
      const converted: Schema = {}
      for (const [key, child] of Object.entries(defs)) {
        if (!isRecord(child)) continue
        const name = this.namer.claim(this.eventIdentifier + (pascalCase(key) || 'Definition'))
        converted[key] = this.convert(child, name, [], name)
      }
      out[keyword] = converted
    }
    return out
  }

  /**
   * Convert one schema node. `name` is the path-derived name (`OrderPlacedLineItem`): its
   * type's name if it is an object, and the stem of the names below it. `values` are the
   * sample values observed at this place (for `@example`s below it). `title` names the
   * node whatever its type (the payload root and `$defs` entries, already claimed).
   */
  convert(node: JsonSchema, name: string, values: JsonValue[], title?: string): Schema {
    const named = title !== undefined
    if (typeof node.$ref === 'string') {
      // Only refs inside the event's own schema resolve; anything else types as `unknown`.
      return node.$ref.startsWith('#') ? { $ref: node.$ref } : {}
    }
    const out: Schema = {}
    const types = typeList(node.type)
    const objectLike = isObjectLike(node, types)
    if (objectLike && types.length > 1 && !named) return this.splitNullableObject(node, types, name, values)
    const description = describe(node)
    if (description !== undefined) out.description = description
    if (title !== undefined) out.title = this.title(title)
    else if (objectLike) out.title = this.title(this.namer.claim(name))
    for (const keyword of KEPT_VALUE_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword]
    if (Array.isArray(out.required)) out.required = out.required.map((key) => (typeof key === 'string' ? this.key(key) : key))
    if (isRecord(node.properties)) {
      const properties: Schema = {}
      const objects = values.filter(isObjectValue)
      for (const [key, child] of Object.entries(node.properties)) {
        if (!isRecord(child)) continue
        const childValues = objects.filter((o) => Object.hasOwn(o, key)).map((o) => o[key] as JsonValue)
        // setOwn: `properties.__proto__ = ...` would replace the object's prototype, and the
        // field would vanish from the type (json-schema-to-typescript then crashes on it).
        setOwn(properties, this.key(key), this.withExample(this.convert(child, name + propertySegment(key), childValues), childValues))
      }
      out.properties = properties
    }
    for (const keyword of ['additionalProperties', 'additionalItems'] as const) {
      const value = node[keyword]
      if (typeof value === 'boolean') out[keyword] = value
      else if (isRecord(value)) out[keyword] = this.convert(value, `${name}Value`, [])
    }
    if (closesType(node)) out.additionalProperties = false
    if (isRecord(node.patternProperties)) {
      // Inference mirrors a `__proto__` field into this pattern for ajv (see infer/emit-schema.ts);
      // for the type, the property says it exactly, without widening the object to an index signature.
      const mirrored = isRecord(node.properties) && Object.hasOwn(node.properties, '__proto__')
      const patterns = Object.entries(node.patternProperties).filter(([pattern]) => !(mirrored && pattern === PROTO_PATTERN))
      if (patterns.length > 0)
        out.patternProperties = Object.fromEntries(
          patterns.map(([pattern, child]) => [pattern, isRecord(child) ? this.convert(child, `${name}Value`, []) : {}]),
        )
    }
    if (isRecord(node.items)) {
      out.items = this.convert(
        node.items,
        itemTypeName(name, (candidate) => this.pathNames.has(candidate)),
        values.filter(Array.isArray).flat(),
      )
    } else if (Array.isArray(node.items)) {
      out.items = (node.items as unknown[]).map((child, i) => (isRecord(child) ? this.convert(child, `${name}Item${i + 1}`, []) : {}))
    }
    for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = node[keyword]
      if (!Array.isArray(branches)) continue
      const objectBranches = branches.filter((b) => isRecord(b) && isObjectLike(b, typeList(b.type))).length
      out[keyword] = branches.map((branch, i) => {
        if (!isRecord(branch)) return {}
        // A lone object among primitives is the thing itself (`Address | string`);
        // several are told apart by position.
        const branchName = objectBranches > 1 || keyword === 'allOf' ? `${name}${keyword === 'allOf' ? 'Part' : 'Variant'}${i + 1}` : name
        return this.convert(branch, branchName, values)
      })
    }
    return out
  }

  /**
   * `type: ["object", "null"]` as a union whose object part has the name, so the property
   * reads `company?: NewContactCreatedCompany | null` rather than hiding `| null` in an alias.
   */
  private splitNullableObject(node: JsonSchema, types: string[], name: string, values: JsonValue[]): Schema {
    const objectPart = this.convert({ ...node, type: 'object', description: undefined }, name, values)
    const rest: Schema = { type: types.filter((t) => t !== 'object') }
    for (const keyword of ['enum', 'const'] as const) if (node[keyword] !== undefined) rest[keyword] = node[keyword]
    const out: Schema = { anyOf: [objectPart, rest] }
    const description = describe(node)
    if (description !== undefined) out.description = description
    return out
  }

  /** Append the first non-null observed value as `@example` to a field's description. */
  private withExample(field: Schema, values: JsonValue[]): Schema {
    if (field.$ref !== undefined || field.title !== undefined) return field
    const example = exampleText(values.find((v) => v !== null && !isObjectValue(v)))
    if (example === undefined) return field
    const description = typeof field.description === 'string' ? `${field.description}\n\n` : ''
    return { ...field, description: `${description}@example ${escapeDocText(example)}` }
  }
}

/** The JSON of an example value, when short enough to help; long strings are cut with an ellipsis. */
export function exampleText(value: JsonValue | undefined): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string' && value.length > MAX_EXAMPLE_CHARS - 20) {
    return JSON.stringify(`${value.slice(0, MAX_EXAMPLE_CHARS - 20)}…`)
  }
  if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) return undefined
  const text = JSON.stringify(value)
  return text.length <= MAX_EXAMPLE_CHARS ? text : undefined
}

/** Validation keywords a type cannot express, spelled out in the field's documentation. */
const DOCUMENTED_CONSTRAINTS: ReadonlyArray<readonly [keyword: string, label: string]> = [
  ['format', 'Format'],
  ['pattern', 'Pattern'],
  ['minLength', 'Minimum length'],
  ['maxLength', 'Maximum length'],
  ['minimum', 'Minimum'],
  ['exclusiveMinimum', 'Greater than'],
  ['maximum', 'Maximum'],
  ['exclusiveMaximum', 'Less than'],
  ['multipleOf', 'Multiple of'],
]

/**
 * A node's description, followed by the constraints the TypeScript type cannot carry
 * (`Format: \`email\`.`, `Minimum: \`1\`.`), so a hover tells what the validator will check.
 */
function describe(node: JsonSchema): string | undefined {
  const parts: string[] = []
  if (typeof node.description === 'string' && node.description.trim() !== '') parts.push(node.description.trim())
  const constraints: string[] = []
  for (const [keyword, label] of DOCUMENTED_CONSTRAINTS) {
    const value = node[keyword]
    if (typeof value === 'string' || typeof value === 'number') constraints.push(`${label}: \`${String(value).replace(/`/g, "'")}\`.`)
  }
  if (constraints.length > 0) parts.push(constraints.join('\n'))
  return parts.length === 0 ? undefined : escapeDocText(parts.join('\n\n'))
}

/**
 * Whether the type of an object with declared fields is closed although its schema is open.
 * Validators and the schema pushed to Refold accept extra fields by default (an inferred
 * schema is a hypothesis about traffic), but the type says exactly what the backend sends:
 * without an index signature a misspelt property in an object literal stays a compile error.
 * An explicit `additionalProperties` or `patternProperties` (from a `schema` override) is
 * the author's word and is kept; an object with no declared field stays open (its fields
 * are unknown).
 */
function closesType(node: JsonSchema): boolean {
  if (node.additionalProperties !== undefined || !isRecord(node.properties) || Object.keys(node.properties).length === 0) return false
  if (node.patternProperties === undefined) return true
  // Only the pattern inference mirrors a `__proto__` field into (for ajv) does not open it.
  const patterns = isRecord(node.patternProperties) ? Object.keys(node.patternProperties) : []
  return patterns.length === 1 && patterns[0] === PROTO_PATTERN && Object.hasOwn(node.properties, '__proto__')
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type]
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : []
}

function isObjectLike(node: Record<string, unknown>, types: string[]): boolean {
  return types.includes('object') || (types.length === 0 && isRecord(node.properties))
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isObjectValue(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
