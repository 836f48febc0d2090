/**
 * The code generator: compiled events in, the files of `outDir` out. Pure (no file system,
 * no clock): the CLI decides what to write. The same input always gives the same bytes,
 * and each event's files depend on that event alone (see output-layout.ts for the layout):
 *
 *   index.mts                           maps over every event, fireEvent(), re-exports
 *   events/<kebab-name>.mts             payload types, <Event>FireArgs, fire<Event>()
 *   events/<kebab-name>.validate.mts    the precompiled validator
 *   schemas/<kebab-name>.schema.json    the final JSON Schema
 *
 * The per-event step ({@link EventGenerator}) is separate from the index so that the CLI
 * can generate and write one event at a time (bounded memory) and skip events whose
 * output it already has (generate-cache.ts).
 */
import type { CompiledEvent } from '../types.js'
import { loadAjvValidatorEmitter, type AjvValidatorEmitter } from './ajv-validator.js'
import {
  declarationNames,
  declaredTypeNames,
  emitEventModule,
  EVENT_MODULE_IMPORTED_TYPES,
  EVENT_MODULE_OPTIONAL_TYPES,
} from './emit-event-module.js'
import { emitIndex, INDEX_GLOBAL_TYPE_NAMES, type EventSummary } from './emit-index.js'
import { renamedCopiesName } from './renamed-copies-code.js'
import { emitSchemaFile } from './emit-schemas.js'
import { loadTypeEmitter } from './emit-types.js'
import { emitEventValidator } from './event-validator.js'
import { eventPaths, INDEX_PATH } from './output-layout.js'
import { TypeNamer } from './type-names.js'
import { toTypeSchema } from './type-schema.js'

/** One file to write, its path relative to the output folder with `/` separators. */
export interface GeneratedFile {
  path: string
  contents: string
}

/** One event's files and what the index needs to know of it. */
export interface EventOutput {
  summary: EventSummary
  files: GeneratedFile[]
}

/** Generates one event's files; loaded once per run (it holds json-schema-to-typescript and ajv). */
export interface EventGenerator {
  generate(event: CompiledEvent): Promise<EventOutput>
}

/**
 * Generate every file of the output folder for `events` (any order; they are sorted by
 * name). The events come from compile, which has already refused whatever could not be
 * generated (one gate: `check` reports everything `generate` would refuse).
 */
export async function generateFiles(events: readonly CompiledEvent[]): Promise<GeneratedFile[]> {
  const sorted = sortEvents(events)
  const generator = await loadEventGenerator()
  const files: GeneratedFile[] = []
  const summaries: EventSummary[] = []
  for (const event of sorted) {
    const output = await generator.generate(event)
    files.push(...output.files)
    summaries.push(output.summary)
  }
  files.push(emitIndexFile(summaries))
  return files.sort((a, b) => compareNames(a.path, b.path))
}

/** Load the per-event generator (json-schema-to-typescript now; ajv when the first event needs it). */
export async function loadEventGenerator(): Promise<EventGenerator> {
  const emitTypes = await loadTypeEmitter()
  let ajv: Promise<AjvValidatorEmitter> | undefined
  const loadAjv = (): Promise<AjvValidatorEmitter> => (ajv ??= loadAjvValidatorEmitter())
  return {
    async generate(event) {
      const names = declarationNames(event)
      // A namer per event: names depend on this event alone, never on the others.
      const namer = new TypeNamer([
        ...INDEX_GLOBAL_TYPE_NAMES,
        ...EVENT_MODULE_IMPORTED_TYPES,
        ...EVENT_MODULE_OPTIONAL_TYPES,
        names.payload,
        names.args,
      ])
      const types = await emitTypes(toTypeSchema(event, names.payload, namer))
      const paths = eventPaths(event)
      const module = emitEventModule(event, types)
      const copies = renamedCopiesName(event)
      return {
        summary: {
          name: event.definition.name,
          module: paths.module,
          names,
          types: declaredTypeNames(module),
          ...(event.definition.previousNames === undefined ? {} : { previousNames: event.definition.previousNames }),
          ...(copies === undefined ? {} : { renamedCopies: copies }),
        },
        files: [
          { path: paths.module, contents: module },
          { path: paths.validator, contents: await emitEventValidator(event, loadAjv) },
          { path: paths.schema, contents: emitSchemaFile(event) },
        ],
      }
    },
  }
}

/** The index file for the summaries of every event, in any order. */
export function emitIndexFile(summaries: readonly EventSummary[]): GeneratedFile {
  const sorted = [...summaries].sort((a, b) => compareNames(a.name, b.name))
  return { path: INDEX_PATH, contents: emitIndex(sorted) }
}

/** Every path generating `events` writes (known before anything is generated). */
export function generatedPaths(events: readonly Pick<CompiledEvent, 'fileName'>[]): string[] {
  const paths = [INDEX_PATH]
  for (const event of events) paths.push(...Object.values(eventPaths(event)))
  return paths.sort(compareNames)
}

/** `events` sorted by name, code-unit order. */
export function sortEvents(events: readonly CompiledEvent[]): CompiledEvent[] {
  return [...events].sort((a, b) => compareNames(a.definition.name, b.definition.name))
}

/** Code-unit order: the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
