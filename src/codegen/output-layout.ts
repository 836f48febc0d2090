/**
 * Where each generated file goes in the output folder, and how generated modules import
 * each other and the runtime. One place, so the emitters, the CLI (which checks for
 * foreign files before writing) and the cache agree.
 *
 *   index.mts                           the maps (RefoldEventMap, eventNames, fireEvent…), re-exports every event
 *   events/<kebab-name>.mts             one event: payload types, <Event>FireArgs, fire<Event>(), re-exports its validator
 *   events/<kebab-name>.validate.mts    that event's precompiled payload validator
 *   schemas/<kebab-name>.schema.json    that event's final JSON Schema
 *
 * Code files are `.mts`: TypeScript that is an ES module under every configuration.
 * `tsc` emits them as `.mjs` next to the user's own output (no `allowJs`, nothing left
 * behind), ESM projects import them as they import anything, and CommonJS projects
 * (`module: commonjs` or `nodenext`, also with `verbatimModuleSyntax`) `require()` them,
 * which Node >= 20.19 supports for ES modules. Imports between them name the emitted
 * `.mjs` file, which `nodenext`, `bundler` and `commonjs` resolution all map back to the `.mts`.
 */
import type { CompiledEvent } from '../types.js'

/** Module generated code takes its runtime types and client from. */
export const RUNTIME_MODULE = 'refold-events/runtime'
/** Module the validators' ajv helpers come from (src/runtime/ajv.ts). */
export const AJV_RUNTIME_MODULE = 'refold-events/runtime/ajv'

/** Path of the index module. */
export const INDEX_PATH = 'index.mts'

/** Folders generated files live in ('' is the output folder itself). */
export const GENERATED_FOLDERS: readonly string[] = ['', 'events', 'schemas']

/** The paths of one event's files, relative to the output folder. */
export interface EventPaths {
  /** `events/<kebab>.mts`: types, args, helper. */
  module: string
  /** `events/<kebab>.validate.mts`: the validator. */
  validator: string
  /** `schemas/<kebab>.schema.json`. */
  schema: string
}

/** Where `event`'s files go. File names carry no dot, so the three never collide across events. */
export function eventPaths(event: Pick<CompiledEvent, 'fileName'>): EventPaths {
  return {
    module: `events/${event.fileName}.mts`,
    validator: `events/${event.fileName}.validate.mts`,
    schema: `schemas/${event.fileName}.schema.json`,
  }
}

/** The import specifier of a generated `.mts` module, relative to `from` (both output-folder paths). */
export function moduleSpecifier(from: string, target: string): string {
  const fromDir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : ''
  const emitted = target.replace(/\.mts$/, '.mjs')
  if (fromDir === '') return `./${emitted}`
  const prefix = `${fromDir}/`
  return emitted.startsWith(prefix) ? `./${emitted.slice(prefix.length)}` : `../${emitted}`
}
