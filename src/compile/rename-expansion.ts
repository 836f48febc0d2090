/**
 * Zero-downtime field renames (issue 12): an acknowledged rename (`renames: { first_name:
 * given_name }`) is applied as an expansion by default. The old field stays in the payload as
 * a copy of the new one, in the schema and sample sync pushes and in every fire, until the
 * entry says `expand: false` (the contraction, proposed by sync once no workflow reads the old
 * name) or the project turns expansion off (`sync.expandRenames: false`).
 *
 * The decision is made here, from the event file and the config alone, because the generated
 * helpers are made offline and must send exactly what the pushed schema describes: the copy
 * starts and stops with a reviewed change of the YAML, never with what a workflow scan found.
 */
import { copyRenamedFields } from '../wire/renamed-copies.js'
import { mirrorProtoFields } from './proto-fields.js'
import { formatPath, ITEMS, parsePath } from '../util/field-path.js'
import type { CompiledEvent, EventDefinition, FieldCopy, JsonObject, JsonSchema } from '../types.js'
import { setOwn } from '../util/own-property.js'

/** A renames entry that is in expansion but cannot be expanded, and why. */
export interface ExpansionProblem {
  from: string
  message: string
}

/**
 * The copies of `definition`'s renames in expansion, against its compiled `schema`. An entry
 * whose new path names no field is left to compile's own warning; one whose old path is still a
 * field (nothing renamed yet) needs no copy.
 */
export function renameCopies(
  definition: EventDefinition,
  schema: JsonSchema,
  expandByDefault: boolean,
): { copies: FieldCopy[]; problems: ExpansionProblem[] } {
  const copies: FieldCopy[] = []
  const problems: ExpansionProblem[] = []
  for (const [from, to] of Object.entries(definition.renames)) {
    const expand = definition.expandRenames?.[from] ?? expandByDefault
    if (!expand) continue
    const oldPath = parsePath(from)
    const newPath = parsePath(to)
    if (findField(schema, newPath) === undefined || findField(schema, oldPath) !== undefined) continue
    const problem = cannotCopy(schema, oldPath, newPath)
    if (problem !== null) {
      problems.push({
        from,
        message: `renames: "${from}" -> "${to}" cannot be expanded (${problem}), so the old name is not sent; add \`expand: false\` to the entry to rename without expansion`,
      })
      continue
    }
    copies.push({ from, newPath, oldPath, keptPrefix: keptPrefix(schema, oldPath) })
  }
  return { copies, problems }
}

/**
 * `schema` with every copy's old path added as a copy of its new field's subschema, never
 * required: the same schema for Refold's `json_schema` and for validators. Required would be
 * wrong twice: a payload that leaves out an optional parent of the new field (or an object the
 * copy would have to write into) carries no copy, and fires that bypass the copies (the outbox,
 * a direct `client.fire`) carry none at all; both are valid payloads of the event. Workflows
 * reading the old name still get it from every helper fire. The input is not changed.
 */
export function expandSchema(schema: JsonSchema, copies: readonly FieldCopy[]): JsonSchema {
  if (copies.length === 0) return schema
  const out = structuredClone(schema)
  for (const copy of copies) placeCopy(out, copy)
  // An old field named `__proto__` is skipped by ajv under `properties`: repeat it under its pattern, as inference does.
  if (copies.some((copy) => copy.oldPath.includes('__proto__'))) mirrorProtoFields(out)
  return out
}

/**
 * The sample and schema Refold gets for `event`: with renames in expansion, the old fields as
 * copies of the new ones (in the sample, and in the schema, optional), exactly what the
 * generated helpers fire.
 */
export function wireForm(event: CompiledEvent): { sample: JsonObject; schema: JsonSchema } {
  const copies = event.renameCopies ?? []
  if (copies.length === 0) return { sample: event.definition.sample, schema: event.schema }
  return { sample: copyRenamedFields(event.definition.sample, copies) as JsonObject, schema: expandSchema(event.schema, copies) }
}

/** `event` as sync writes it (its wire form as sample and schema), for the body it pushes. */
export function sentEvent(event: CompiledEvent): CompiledEvent {
  if ((event.renameCopies ?? []).length === 0) return event
  const { sample, schema } = wireForm(event)
  return { ...event, definition: { ...event.definition, sample }, schema }
}

/** Why the copy cannot be made, or null. */
function cannotCopy(schema: JsonSchema, oldPath: readonly string[], newPath: readonly string[]): string | null {
  const arrays = (path: readonly string[]): number => path.filter((s) => s === ITEMS).length
  if (oldPath.length === 0 || oldPath[oldPath.length - 1] === ITEMS) return 'the old path names no field'
  if (arrays(oldPath) !== arrays(newPath)) return 'the old and new paths must go through the same number of arrays (`[]`)'
  const within = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((s, i) => s === b[i])
  if (within(oldPath, newPath) || within(newPath, oldPath)) return 'one path lies inside the other'
  return placeCopy(structuredClone(schema), {
    from: formatPath(oldPath),
    oldPath: [...oldPath],
    newPath: [...newPath],
    keptPrefix: keptPrefix(schema, oldPath),
  })
}

/**
 * How many leading segments of `oldPath` name something the new `schema` still has: an optional
 * `address` beside a moved `address.zip`, an `items` array beside `skus[].value`. The copy must
 * not create those containers (they are the caller's); the rest exist for the copy alone.
 */
function keptPrefix(schema: JsonSchema, oldPath: readonly string[]): number {
  let kept = 0
  while (kept < oldPath.length && findField(schema, oldPath.slice(0, kept + 1)) !== undefined) kept++
  return kept
}

/** Whether `path` (dotted, `[]` for array items, as sync reads trigger variables) names a field of `schema`. */
export function isField(schema: JsonSchema, path: string): boolean {
  return findField(schema, parsePath(path)) !== undefined
}

interface FoundField {
  schema: JsonSchema
}

/** The subschema at `path` (looking through `anyOf`/`oneOf`), or undefined. */
function findField(root: JsonSchema, path: readonly string[]): FoundField | undefined {
  let node = root
  for (const segment of path) {
    if (segment === ITEMS) {
      const holder = branch(node, (s) => isSchema(s.items))
      if (holder === undefined) return undefined
      node = holder.items as JsonSchema
      continue
    }
    const holder = branch(node, (s) => isSchema(s.properties) && Object.hasOwn(s.properties, segment))
    if (holder === undefined) return undefined
    node = holder.properties![segment]!
  }
  return path.length === 0 ? undefined : { schema: node }
}

/**
 * Write the copy's old field into `root` (mutated), optional, creating the objects and arrays
 * on the way that the new shape no longer has (optional too). Answers why it could not, or null.
 */
function placeCopy(root: JsonSchema, copy: FieldCopy): string | null {
  const source = findField(root, copy.newPath)
  if (source === undefined) return `"${formatPath(copy.newPath)}" is not a field`
  const { oldPath } = copy
  let node = root
  for (let i = 0; i < oldPath.length; i++) {
    const segment = oldPath[i]!
    const last = i === oldPath.length - 1
    if (segment === ITEMS) {
      const holder = branch(node, (s) => isSchema(s.items) || hasType(s, 'array'))
      if (holder === undefined) return `"${formatPath(oldPath.slice(0, i))}" is not an array`
      if (!isSchema(holder.items)) holder.items = container(oldPath[i + 1])
      node = holder.items as JsonSchema
      continue
    }
    const holder = branch(node, (s) => isSchema(s.properties) || hasType(s, 'object'))
    if (holder === undefined) return `"${formatPath(oldPath.slice(0, i)) || 'the payload'}" is not an object`
    const properties = (holder.properties ??= {})
    if (last) {
      setOwn(properties, segment, structuredClone(source.schema))
      const others = (holder.required ?? []).filter((key) => key !== segment)
      if (others.length !== (holder.required ?? []).length) holder.required = others
      return null
    }
    if (!Object.hasOwn(properties, segment)) setOwn(properties, segment, container(oldPath[i + 1]))
    node = properties[segment]!
  }
  return null
}

/** The schema of a container the copy creates, for the segment that follows it. */
function container(next: string | undefined): JsonSchema {
  return next === ITEMS ? { type: 'array' } : { type: 'object', properties: {} }
}

/** `node` itself when it matches, else its first matching `anyOf`/`oneOf` branch (depth first). */
function branch(node: JsonSchema, matches: (schema: JsonSchema) => boolean): JsonSchema | undefined {
  if (matches(node)) return node
  const alternatives = [...((node.anyOf as unknown[] | undefined) ?? []), ...((node.oneOf as unknown[] | undefined) ?? [])]
  for (const alternative of alternatives) {
    if (!isSchema(alternative)) continue
    const found = branch(alternative, matches)
    if (found !== undefined) return found
  }
  return undefined
}

function hasType(schema: JsonSchema, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && (schema.type as string[]).includes(type))
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
