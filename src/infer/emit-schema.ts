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
import { unknownTypeWarning, emptyArrayWarning, emptyObjectWarning } from './infer-warnings.js'
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
import { formatName } from './string-formats.js'

/** A schema built from `root`, with the warnings found on the way (in document order). */
export function emitSchema(root: SampleShape, options: InferOptions): { schema: JsonSchema; warnings: InferWarning[] } {
  const warnings: InferWarning[] = []
  const schema: JsonSchema = {}
  const shapes: SampleShape[] = [root]
  const targets: JsonSchema[] = [schema]
  while (shapes.length > 0) {
    const shape = shapes.pop() as SampleShape
    const target = targets.pop() as JsonSchema
    // Children are collected in order, then pushed in reverse so they pop in order.
    const children: Array<[SampleShape, JsonSchema]> = []
    fill(target, shape, options, warnings, children)
    for (let index = children.length - 1; index >= 0; index--) {
      const [childShape, childTarget] = children[index] as [SampleShape, JsonSchema]
      shapes.push(childShape)
      targets.push(childTarget)
    }
  }
  return { schema, warnings }
}

/** Write the schema of one shape into `target`; sub-schemas still to fill go to `children`. */
function fill(
  target: JsonSchema,
  shape: SampleShape,
  options: InferOptions,
  warnings: InferWarning[],
  children: Array<[SampleShape, JsonSchema]>,
): void {
  const kinds = shape.kinds
  if (kinds === KIND_NULL) {
    warnings.push(unknownTypeWarning(shape))
    return // `{}`: see the module comment
  }
  if (kinds === 0) return // nothing observed at all (no samples): unknown, nothing to warn about
  const primitives = primitiveTypes(kinds)
  const structured = kinds & (KIND_OBJECT | KIND_ARRAY)
  if (structured === 0) {
    writePrimitive(target, primitives, shape)
    return
  }
  if ((structured === KIND_OBJECT || structured === KIND_ARRAY) && (kinds & ~structured) === KIND_NULL) {
    // Nullable object or array: see the module comment.
    const schema = structured === KIND_OBJECT ? fillObject(shape, options, warnings, children) : fillArray(shape, warnings, children)
    Object.assign(target, schema)
    target.type = [schema.type as SchemaType, 'null']
    return
  }
  const branches: JsonSchema[] = []
  if (kinds & KIND_OBJECT) branches.push(fillObject(shape, options, warnings, children))
  if (kinds & KIND_ARRAY) branches.push(fillArray(shape, warnings, children))
  if (primitives.length > 0) {
    const branch: JsonSchema = {}
    writePrimitive(branch, primitives, shape)
    branches.push(branch)
  }
  if (branches.length === 1) Object.assign(target, branches[0])
  else target.anyOf = branches
}

/** `type` (a name, or a list when several) and `format` of the primitive kinds seen. */
function writePrimitive(target: JsonSchema, types: SchemaType[], shape: SampleShape): void {
  target.type = types.length === 1 ? types[0] : types
  if (shape.kinds & KIND_STRING) {
    const format = formatName(shape.formats)
    if (format !== undefined) target.format = format
  }
}

function fillObject(
  shape: SampleShape,
  options: InferOptions,
  warnings: InferWarning[],
  children: Array<[SampleShape, JsonSchema]>,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  let protoSchema: JsonSchema | undefined
  for (const [key, child] of shape.properties ?? []) {
    const childSchema: JsonSchema = {}
    if (key === '__proto__') {
      protoSchema = childSchema
      // Plain assignment would replace the prototype instead of adding a property.
      Object.defineProperty(properties, key, { value: childSchema, enumerable: true, writable: true, configurable: true })
    } else {
      properties[key] = childSchema
    }
    children.push([child, childSchema])
    // Present in every occurrence of this object (null counts as present).
    if (child.seen === shape.objects) required.push(key)
  }
  const schema: JsonSchema = { type: 'object', properties }
  // ajv skips a property named `__proto__` in `properties` (a guard against prototype
  // pollution), so it would neither validate that value nor count it as declared, and a
  // closed object would reject its own sample. A pattern for exactly that name is not
  // skipped; the same sub-schema is used in both places.
  if (protoSchema !== undefined) schema.patternProperties = { '^__proto__$': protoSchema }
  if (required.length > 0) schema.required = required
  if (options.closedObjects) {
    schema.additionalProperties = false
    if ((shape.properties?.size ?? 0) === 0) warnings.push(emptyObjectWarning(shape))
  }
  return schema
}

function fillArray(shape: SampleShape, warnings: InferWarning[], children: Array<[SampleShape, JsonSchema]>): JsonSchema {
  const items: JsonSchema = {}
  if (shape.items === undefined) warnings.push(emptyArrayWarning(shape))
  else children.push([shape.items, items])
  return { type: 'array', items }
}

/**
 * The primitive `type` names for a kind bitset, in a fixed order so the output does not
 * depend on which sample came first: string, number/integer, boolean, null last.
 * Integer with fractional numbers is `number` (integer is a subset of number).
 */
function primitiveTypes(kinds: number): SchemaType[] {
  const types: SchemaType[] = []
  if (kinds & KIND_STRING) types.push('string')
  if (kinds & KIND_NUMBER) types.push('number')
  else if (kinds & KIND_INTEGER) types.push('integer')
  if (kinds & KIND_BOOLEAN) types.push('boolean')
  if (kinds & KIND_NULL) types.push('null')
  return types
}
