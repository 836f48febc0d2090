/**
 * The second half of inference: a `SampleShape` tree becomes a JSON Schema plus the
 * warnings for places whose type the samples cannot tell.
 *
 * Representation choices (DESIGN.md "Schema inference"):
 * - primitives, nullable or not, use a `type` list: `{ type: ['string', 'null'] }`;
 * - an object or array that is also null keeps its keywords at the same level with a
 *   `type` list: `{ type: ['object', 'null'], properties, ... }`. ajv (strict mode too)
 *   accepts it, json-schema-to-typescript prints `{...} | null`, and, unlike
 *   `anyOf: [<object>, { type: 'null' }]`, a `schema` override can still reach the
 *   nested fields with plain `properties` (the override merge replaces arrays such as
 *   `anyOf` whole, so fields inside one could not be amended);
 * - any other mix of objects or arrays with other types is an `anyOf` of one object
 *   branch, one array branch and one branch with the primitive `type` list (null
 *   included), in that order;
 * - an unknown type (only null seen) is `{}`: it accepts anything, so every sample
 *   validates and a later real value is not rejected, and code generation turns it into
 *   `unknown`, which `null` is assignable to. Items of an always-empty array are `{}` too.
 *
 * Like the first pass this walks with an explicit stack. Each schema object is created
 * and put in its parent before its contents are filled in, so `properties` keep the
 * shape's order, and warnings come out in document order (depth first, pre-order).
 */
import type { InferOptions, InferWarning, JsonSchema, SchemaType } from '../types.js'
import { findEvidence, unknownTypeWarning, emptyArrayWarning, emptyObjectWarning, mixedTypesWarning } from './infer-warnings.js'
import {
  KIND_ARRAY,
  KIND_BOOLEAN,
  KIND_INTEGER,
  KIND_NULL,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  type SampleShape,
} from './sample-shape.js'
import { POLICY_NULLABLE, POLICY_OPTIONAL } from './policy-paths.js'
import { formatName } from './string-formats.js'

/** Work in progress of one `emitSchema` call. */
interface Emission {
  options: InferOptions
  warnings: Array<InferWarning | undefined>
  /**
   * Places whose warning waits for evidence from the whole tree (always null, always empty):
   * filled in after the walk, at their index in `warnings`, so the order stays document order.
   */
  pending: Array<{ index: number; shape: SampleShape; kind: 'null' | 'empty-array' }>
  /** Shapes whose schema is still to fill, and (same index) the object to fill it into. */
  shapes: SampleShape[]
  targets: JsonSchema[]
}

/** A schema built from `root`, with the warnings found on the way (in document order). */
export function emitSchema(root: SampleShape, options: InferOptions): { schema: JsonSchema; warnings: InferWarning[] } {
  const schema: JsonSchema = {}
  const emission: Emission = { options, warnings: [], pending: [], shapes: [root], targets: [schema] }
  const { shapes, targets } = emission
  while (shapes.length > 0) {
    const shape = shapes.pop() as SampleShape
    const target = targets.pop() as JsonSchema
    const first = shapes.length
    fill(target, shape, emission)
    // Children were pushed in order; reversed, they pop in order (document order).
    reverseFrom(shapes, first)
    reverseFrom(targets, first)
  }
  const { warnings, pending } = emission
  if (pending.length > 0) {
    // One more walk, only when some place needs evidence (see infer-warnings.ts).
    const evidence = findEvidence(root, new Set(pending.map((p) => p.shape.key).filter((key) => key !== undefined)))
    for (const { index, shape, kind } of pending) {
      warnings[index] = kind === 'null' ? unknownTypeWarning(shape, evidence) : emptyArrayWarning(shape, evidence)
    }
  }
  return { schema, warnings: warnings as InferWarning[] }
}

/** Write the schema of one shape into `target`; sub-schemas still to fill go on the stacks. */
function fill(target: JsonSchema, shape: SampleShape, emission: Emission): void {
  // A `nullable` policy path adds null to what the samples showed (nothing to add to "only null").
  const kinds = shape.policy & POLICY_NULLABLE && shape.kinds !== 0 ? shape.kinds | KIND_NULL : shape.kinds
  if (kinds === KIND_NULL) {
    emission.pending.push({ index: emission.warnings.push(undefined) - 1, shape, kind: 'null' })
    return // `{}`: see the module comment
  }
  if (kinds === 0) return // nothing observed at all (no samples): unknown, nothing to warn about
  const structured = kinds & (KIND_OBJECT | KIND_ARRAY)
  if (structured === 0) {
    writePrimitive(target, kinds, shape)
    // Text beside a number or boolean ("80" and 80) is a choice worth a note: often a sample is wrong.
    const typed = kinds & ~KIND_NULL
    if (typed & KIND_STRING && typed & (KIND_INTEGER | KIND_NUMBER | KIND_BOOLEAN)) {
      emission.warnings.push(mixedTypesWarning(shape, target.type as SchemaType[]))
    }
    return
  }
  const others = kinds & ~structured
  if ((structured === KIND_OBJECT || structured === KIND_ARRAY) && (others === 0 || others === KIND_NULL)) {
    // One object or one array, maybe nullable: written in place (see the module comment).
    if (structured === KIND_OBJECT) fillObject(target, shape, emission)
    else fillArray(target, shape, emission)
    if (others === KIND_NULL) target.type = [target.type as SchemaType, 'null']
    return
  }
  const branches: JsonSchema[] = []
  if (kinds & KIND_OBJECT) branches.push(fillObject({}, shape, emission))
  if (kinds & KIND_ARRAY) branches.push(fillArray({}, shape, emission))
  if (others !== 0) branches.push(writePrimitive({}, others, shape))
  target.anyOf = branches
}

/** `type` (a name, or a list when several) and `format` of the primitive kinds in `kinds`. */
function writePrimitive(target: JsonSchema, kinds: number, shape: SampleShape): JsonSchema {
  target.type = primitiveType(kinds)
  if (kinds & KIND_STRING) {
    const format = formatName(shape.formats)
    if (format !== undefined) target.format = format
  }
  return target
}

function fillObject(target: JsonSchema, shape: SampleShape, emission: Emission): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  let protoSchema: JsonSchema | undefined
  if (shape.fields !== undefined) {
    for (const child of shape.fields) {
      const key = child.key as string
      const childSchema: JsonSchema = {}
      if (key === '__proto__') {
        protoSchema = childSchema
        // Plain assignment would replace the prototype instead of adding a property.
        Object.defineProperty(properties, key, { value: childSchema, enumerable: true, writable: true, configurable: true })
      } else {
        properties[key] = childSchema
      }
      emission.shapes.push(child)
      emission.targets.push(childSchema)
      // Present in every occurrence of this object (null counts as present), unless a
      // policy says it may be absent.
      if (child.seen === shape.objects && (child.policy & POLICY_OPTIONAL) === 0) required.push(key)
    }
  }
  target.type = 'object'
  target.properties = properties
  // ajv skips a property named `__proto__` in `properties` (a guard against prototype
  // pollution), so it would neither validate that value nor count it as declared, and a
  // closed object would reject its own sample. A pattern for exactly that name is not
  // skipped; the same sub-schema is used in both places.
  if (protoSchema !== undefined) target.patternProperties = { '^__proto__$': protoSchema }
  if (required.length > 0) target.required = required
  if (emission.options.closedObjects) {
    target.additionalProperties = false
    if ((shape.fields?.length ?? 0) === 0) emission.warnings.push(emptyObjectWarning(shape))
  }
  return target
}

function fillArray(target: JsonSchema, shape: SampleShape, emission: Emission): JsonSchema {
  const items: JsonSchema = {}
  target.type = 'array'
  target.items = items
  if (shape.items === undefined) {
    emission.pending.push({ index: emission.warnings.push(undefined) - 1, shape, kind: 'empty-array' })
  } else {
    emission.shapes.push(shape.items)
    emission.targets.push(items)
  }
  return target
}

/**
 * The `type` for primitive kinds: a name when there is one, else a fresh list in a fixed
 * order (string, number/integer, boolean, null last), so the output does not depend on
 * which sample came first. Integer with fractional numbers is `number`.
 */
function primitiveType(kinds: number): SchemaType | SchemaType[] {
  switch (kinds) {
    case KIND_STRING:
      return 'string'
    case KIND_INTEGER:
      return 'integer'
    case KIND_NUMBER:
    case KIND_NUMBER | KIND_INTEGER:
      return 'number'
    case KIND_BOOLEAN:
      return 'boolean'
    case KIND_NULL:
      return 'null'
  }
  const types: SchemaType[] = []
  if (kinds & KIND_STRING) types.push('string')
  if (kinds & KIND_NUMBER) types.push('number')
  else if (kinds & KIND_INTEGER) types.push('integer')
  if (kinds & KIND_BOOLEAN) types.push('boolean')
  if (kinds & KIND_NULL) types.push('null')
  return types
}

function reverseFrom<T>(stack: T[], first: number): void {
  for (let low = first, high = stack.length - 1; low < high; low++, high--) {
    const swap = stack[low] as T
    stack[low] = stack[high] as T
    stack[high] = swap
  }
}
