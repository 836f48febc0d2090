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
import { formatPath, ITEMS, parsePath } from '../sync/plan/trigger-fields.js'
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
 * `schema` with every copy's old path added as a copy of its new field's subschema. Refold's
 * `json_schema` gets `required: 'as-new'` (the old name required exactly where the new one is:
 * every fire carries it); validators get `'never'`, so a payload checked before its copy is
 * made (the outbox) or after (a helper) passes alike. The input is not changed.
 */
export function expandSchema(schema: JsonSchema, copies: readonly FieldCopy[], required: 'as-new' | 'never'): JsonSchema {
  if (copies.length === 0) return schema
  const out = structuredClone(schema)
  for (const copy of copies) placeCopy(out, copy, required)
  return out
}

/**
 * The sample and schema Refold gets for `event`: with renames in expansion, the old fields as
 * copies of the new ones (in the sample, and in the schema, required where the new field is),
 * exactly what the generated helpers fire.
 */
export function wireForm(event: CompiledEvent): { sample: JsonObject; schema: JsonSchema } {
  const copies = event.renameCopies ?? []
  if (copies.length === 0) return { sample: event.definition.sample, schema: event.schema }
  return { sample: copyRenamedFields(event.definition.sample, copies) as JsonObject, schema: expandSchema(event.schema, copies, 'as-new') }
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
  return placeCopy(
    structuredClone(schema),
    { from: formatPath(oldPath), oldPath: [...oldPath], newPath: [...newPath], keptPrefix: keptPrefix(schema, oldPath) },
    'as-new',
  )
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
  /** Required in its parent object. */
  required: boolean
  /** Required all the way from the root: every payload has it. */
  alwaysPresent: boolean
}

/** The subschema at `path` (looking through `anyOf`/`oneOf`), or undefined. */
function findField(root: JsonSchema, path: readonly string[]): FoundField | undefined {
  let node = root
  let required = true
  let alwaysPresent = true
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
    required = (holder.required ?? []).includes(segment)
    alwaysPresent &&= required
  }
  return path.length === 0 ? undefined : { schema: node, required, alwaysPresent }
}

/**
 * Write the copy's old field into `root` (mutated), creating the objects and arrays on the way
 * that the new shape no longer has. Answers why it could not, or null.
 */
function placeCopy(root: JsonSchema, copy: FieldCopy, required: 'as-new' | 'never'): string | null {
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
      const needed = required === 'as-new' && source.required
      if (needed || others.length !== (holder.required ?? []).length) holder.required = needed ? [...others, segment] : others
      return null
    }
    if (!Object.hasOwn(properties, segment)) {
      setOwn(properties, segment, container(oldPath[i + 1]))
      // An object the copy creates is there whenever the copied value is.
      if (required === 'as-new' && source.alwaysPresent) holder.required = [...(holder.required ?? []), segment]
    }
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
