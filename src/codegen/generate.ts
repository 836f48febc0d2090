/**
 * The code generator: compiled events in, the files of `outDir` out. Pure (no file system,
 * no clock): the CLI decides what to write. The same input always gives the same bytes.
 *
 *   index.ts                          payload types, fire<Event>() helpers, maps, fireEvent()
 *   validators.js, validators.d.ts    ajv standalone validators (an ES module) and their types
 *   schemas/<kebab-name>.schema.json  each event's final JSON Schema
 */
import { DefinitionError } from '../errors.js'
import type { CompiledEvent, Diagnostic } from '../types.js'
import { exceedsDepth } from '../util/json-depth.js'
import { emitIndex, declarationNames, INDEX_GLOBAL_TYPE_NAMES, INDEX_GLOBAL_VALUE_NAMES } from './emit-index.js'
import { emitSchemaFile, schemaFilePath } from './emit-schemas.js'
import { emitTypes } from './emit-types.js'
import { emitValidators } from './emit-validators.js'
import { TypeNamer } from './type-names.js'
import { toTypeSchema } from './type-schema.js'

/** One file to write, its path relative to the output folder with `/` separators. */
export interface GeneratedFile {
  path: string
  contents: string
}

/**
 * Generate every file of the output folder for `events` (any order; they are sorted by
 * name). Throws a {@link DefinitionError} when an event's identifier clashes with a name
 * the generated module declares itself.
 */
export async function generateFiles(events: readonly CompiledEvent[]): Promise<GeneratedFile[]> {
  const sorted = [...events].sort((a, b) => compareNames(a.definition.name, b.definition.name))
  checkDepth(sorted)
  checkIdentifiers(sorted)
  const namer = new TypeNamer(INDEX_GLOBAL_TYPE_NAMES)
  for (const event of sorted) {
    const names = declarationNames(event)
    namer.reserve(names.payload)
    namer.reserve(names.args)
  }
  const typeSchemas = sorted.map((event) => toTypeSchema(event, declarationNames(event).payload, namer))
  const [types, validators] = await Promise.all([emitTypes(typeSchemas), emitValidators(sorted)])
  const files: GeneratedFile[] = [
    { path: 'index.ts', contents: emitIndex(sorted, types) },
    { path: 'validators.js', contents: validators.js },
    { path: 'validators.d.ts', contents: validators.dts },
    ...sorted.map((event) => ({ path: schemaFilePath(event), contents: emitSchemaFile(event) })),
  ]
  return files.sort((a, b) => compareNames(a.path, b.path))
}

/** Code-unit order: the same on every machine and locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Deepest schema code generation accepts. json-schema-to-typescript recurses per level and
 * overflows the call stack somewhere past 600; compiled definitions stay far below (their
 * payloads nest at most 64 levels, about 4 schema levels each).
 */
export const MAX_SCHEMA_DEPTH = 400

/** A schema nested past {@link MAX_SCHEMA_DEPTH} (only events compiled outside `compileDefinitions` can have one) is a clear error, not a stack overflow. */
function checkDepth(events: CompiledEvent[]): void {
  const diagnostics = events
    .filter((event) => exceedsDepth(event.schema, MAX_SCHEMA_DEPTH))
    .map(({ definition }): Diagnostic => ({
      file: definition.file,
      ...(definition.locations['/name'] ?? { line: 1, column: 1 }),
      severity: 'error',
      message: `the schema of event ${JSON.stringify(definition.name)} is nested more than ${MAX_SCHEMA_DEPTH} levels deep, too deep to generate types for; flatten its payload`,
    }))
  if (diagnostics.length > 0) throw new DefinitionError(diagnostics)
}

/** `fire<Identifier>` must not be one of the module's own values (an event named "Event" would give `fireEvent`). */
function checkIdentifiers(events: CompiledEvent[]): void {
  const diagnostics: Diagnostic[] = []
  const taken = new Set<string>(INDEX_GLOBAL_VALUE_NAMES)
  for (const event of events) {
    const { fire } = declarationNames(event)
    if (!taken.has(fire)) continue
    const { definition } = event
    const at = definition.locations['/name'] ?? { line: 1, column: 1 }
    diagnostics.push({
      file: definition.file,
      line: at.line,
      column: at.column,
      severity: 'error',
      message: `event name ${JSON.stringify(definition.name)} would generate \`${fire}()\`, which the generated module already declares; rename the event`,
    })
  }
  if (diagnostics.length > 0) throw new DefinitionError(diagnostics)
}
