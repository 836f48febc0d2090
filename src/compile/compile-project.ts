/**
 * Definitions -> final JSON Schemas. For each event: infer a schema from `sample` and
 * `examples`, merge the `schema` override over it, name it for code generation, and
 * check the result (valid schema, no ambiguous dotted fields, every sample matching).
 * Every problem of every event is collected; an event with errors is left out.
 */
import type { ResolvedConfig } from '../config/define-config.js'
import { INDEX_VALUE_NAMES, toFileName } from '../definitions/identifier.js'
import { loadDefinitions, type LoadResult } from '../definitions/load-definitions.js'
import { namePositions, type NamedDefinition } from '../definitions/name-collisions.js'
import { locate, locatePayloadField, locatePayloadPath } from '../definitions/locate.js'
import { DEFAULT_MAX_DEPTH } from '../definitions/parse-yaml.js'
import { stringify } from 'yaml'
import { EXAMPLE_LEAD } from '../infer/infer-warnings.js'
import { inferSchema } from '../infer/infer-schema.js'
import type {
  CompileResult,
  CompiledEvent,
  Diagnostic,
  EventDefinition,
  InferOptions,
  InferWarning,
  JsonSchema,
  JsonValue,
} from '../types.js'
import { detachedCopy } from '../util/detached-copy.js'
import { exceedsDepth } from '../util/json-depth.js'
import { appendPointer, readablePath, splitPointer } from '../util/json-pointer.js'
import { setOwn } from '../util/own-property.js'
import { ANNOTATION_KEYWORDS } from '../util/schema-keywords.js'
import { findAmbiguousFields } from './ambiguous-fields.js'
import { checkOverride, overrideConstrains, withoutProblems } from './check-override.js'
import type { CompileCacheRun, ReusedCompile, ReusedEvent } from './compile-cache.js'
import { eventInferOptions } from './event-inference.js'
import { ignoredKeywordWarnings } from './ignored-keywords.js'
import { mergePatch, mergeSchema } from './merge-schema.js'
import { mirrorProtoFields } from './proto-fields.js'
import { isField, renameCopies } from './rename-expansion.js'
import { findUndeclaredRequired } from './undeclared-required.js'
import { validateSamples } from './validate-samples.js'
import { sortDiagnostics } from '../diagnostics.js'

/** The JSON Schema dialect of every compiled schema. */
export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

export interface CompileProjectOptions<Held = CompiledEvent> {
  /** Paths in diagnostics are shown relative to this folder. */
  cwd: string
  /**
   * Keep every node's position in each event's `definition.locations` (default true: sync
   * points changes at their YAML line). With false, each event is compiled as soon as its
   * file is parsed and then keeps only the position of its `/name`, so the position maps
   * of a project are never in memory together (10,000 events: ~150 MB of a ~330 MB heap).
   * For callers that need positions only for compile's own diagnostics (check, generate).
   */
  keepPositions?: boolean
  /**
   * What earlier runs compiled (generate; see compile-cache.ts): a file whose text is unchanged
   * is neither parsed nor compiled, its recorded diagnostics are reported as compiling it would,
   * and its event is in `reused` instead of `events`; every other file is recorded. Only with
   * `keepPositions` false.
   */
  cache?: CompileCacheRun
  /**
   * What the result keeps of each compiled event, called as the event compiles (default: the
   * event itself). With `keepPositions: false`, the event is not otherwise kept, so a compact
   * form (packed-event.ts: what generate holds) bounds the memory of a project.
   */
  hold?: (event: CompiledEvent) => Held
}

/** A compiled project, with the event files found (including those with errors). */
export interface ProjectCompileResult<Held = CompiledEvent> {
  /** What `hold` kept of each event compiled without errors, in file order. */
  events: Held[]
  diagnostics: Diagnostic[]
  files: string[]
  /**
   * How many of `files` loaded as an event definition, counting a file with errors whose sound
   * parts were checked (a file that does not parse, or lacks a sound name and sample, holds no event).
   */
  loaded: number
  /** Events of the files the cache answered for (see {@link CompileProjectOptions.cache}), in file order. */
  reused: ReusedEvent[]
}

/** Load every event file of the project and compile it. Diagnostics are sorted by file and line. */
export async function compileProject<Held = CompiledEvent>(
  config: ResolvedConfig,
  options: CompileProjectOptions<Held>,
): Promise<ProjectCompileResult<Held>> {
  const renames = { expandRenames: config.sync.expandRenames }
  const load = { eventsDir: config.eventsDir, cwd: options.cwd, maxFileBytes: config.maxFileBytes }
  const hold = options.hold ?? ((event: CompiledEvent) => event as Held)
  const events: Held[] = []
  const diagnostics: Diagnostic[] = []
  let loaded: LoadResult<ReusedCompile, unknown>
  const reused: ReusedEvent[] = []
  const { cache } = options
  if (cache !== undefined && options.keepPositions !== false) throw new Error('compileProject: a compile cache needs keepPositions false')
  if (options.keepPositions === false) {
    // Compiled file by file, while its positions are still there; the loader keeps only what the
    // cross-file name checks read, beside what `hold` kept. The results of a file those checks
    // reject are left out, as if it had never been compiled.
    const files = await loadDefinitions<ReusedCompile, CompiledFile<Held>>({
      ...load,
      reuse: cache === undefined ? undefined : (source) => cache.reuse(source),
      keep: async (definition, source) => {
        const result = await compileEvent(definition, config.inference, renames)
        definition.locations = namePositions(definition.locations)
        const names = forNameChecks(definition)
        cache?.record(source, names, result)
        const held = result.event === undefined ? undefined : hold(result.event)
        return { ...names, held, diagnostics: result.diagnostics }
      },
    })
    for (const file of files.definitions) {
      diagnostics.push(...file.diagnostics)
      if (file.held !== undefined) events.push(file.held)
    }
    // Files with errors are compiled from their sound parts only to report more of their problems.
    for (const file of files.checkable) diagnostics.push(...file.diagnostics)
    // Diagnostics are sorted by file, and each file's stay in their order: where they are added does not matter.
    for (const file of files.reused) {
      diagnostics.push(...file.compiled)
      if (file.event !== undefined) reused.push(file.event)
    }
    loaded = files
  } else {
    const definitions = await loadDefinitions<ReusedCompile>(load)
    const compiled = await compileDefinitions(definitions.definitions, config.inference, renames)
    events.push(...compiled.events.map(hold))
    diagnostics.push(...compiled.diagnostics)
    diagnostics.push(...(await compileDefinitions(definitions.checkable, config.inference, renames)).diagnostics)
    loaded = definitions
  }
  return {
    events,
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...diagnostics]),
    files: loaded.files,
    loaded: loaded.definitions.length + loaded.checkable.length + loaded.reused.length,
    reused,
  }
}

/** One event file compiled as it loaded: what the name checks read, and what compile keeps of it. */
interface CompiledFile<Held> extends NamedDefinition {
  /** What `hold` kept of the event; undefined when it has errors. */
  held: Held | undefined
  diagnostics: Diagnostic[]
}

/**
 * What the cross-file name checks (and the compile cache) read of a compiled definition whose
 * positions are already only those of its names. Copies of the names: a name sliced from the
 * file's text would keep the whole text alive for the rest of the run.
 */
function forNameChecks(definition: EventDefinition): NamedDefinition {
  const { identifier, file, locations } = definition
  const named: NamedDefinition = { name: detachedCopy(definition.name), identifier, file, locations }
  if (definition.previousNames !== undefined) named.previousNames = definition.previousNames.map(detachedCopy)
  return named
}

/** What compile takes from the project beyond inference. */
export interface CompileOptions {
  /** Acknowledged renames are expanded unless their entry says otherwise (`sync.expandRenames`). Default true. */
  expandRenames?: boolean
}

/** Compile loaded definitions (no file system access). */
export async function compileDefinitions(
  definitions: readonly EventDefinition[],
  inference: InferOptions,
  options: CompileOptions = {},
): Promise<CompileResult> {
  const events: CompiledEvent[] = []
  const diagnostics: Diagnostic[] = []
  for (const definition of definitions) {
    const result = await compileEvent(definition, inference, options)
    diagnostics.push(...result.diagnostics)
    if (result.event !== undefined) events.push(result.event)
  }
  return { events, diagnostics }
}

/** One definition compiled: its event, or the errors that prevent it. */
export interface CompiledDefinition {
  event: CompiledEvent | undefined
  diagnostics: Diagnostic[]
}

/** Compile one definition: its final schema, or the errors that prevent it. */
export async function compileEvent(
  definition: EventDefinition,
  inference: InferOptions,
  options: CompileOptions = {},
): Promise<CompiledDefinition> {
  const diagnostics: Diagnostic[] = []
  const report = (severity: Diagnostic['severity'], at: { line: number; column: number }, message: string): void => {
    diagnostics.push({ file: definition.file, ...at, severity, message })
  }
  const tooDeep = tooDeepPart(definition)
  if (tooDeep !== undefined) {
    // Past this depth the merge, the checks and code generation would overflow the call stack.
    report(
      'error',
      locate(definition.locations, tooDeep),
      `${readablePath('', tooDeep)} is nested more than ${MAX_DEFINITION_DEPTH} levels deep; expected a flatter payload (Refold reads fields by dotted path)`,
    )
    return { event: undefined, diagnostics }
  }
  const inferred = inferSchema([definition.sample, ...definition.examples], eventInferOptions(definition, inference))
  for (const problem of inferred.policyProblems) {
    report('error', locate(definition.locations, `/inference/${problem.list}/${problem.index}`), `inference.${problem.message}`)
  }
  for (const warning of inferred.warnings) {
    if (settledByOverride(warning, definition.schema)) continue
    report('warning', locatePayloadPath(definition, warning.path), withFileOverride(warning, definition.schema))
  }
  const overrideProblems = definition.schema === undefined ? [] : checkOverride(definition.schema)
  if (definition.schema !== undefined) {
    for (const problem of overrideProblems) {
      report(
        'error',
        locate(definition.locations, `/schema${problem.pointer}`),
        `${readablePath('schema', problem.pointer)}: ${problem.message}`,
      )
    }
  }
  const schema = nameSchema(definition, mergeSchema(inferred.schema, definition.schema))
  if (definition.schema !== undefined) mirrorProtoFields(schema)
  for (const field of findAmbiguousFields(schema)) {
    const literal = lastToken(field.second).includes('.') ? field.second : field.first
    const other = literal === field.second ? field.first : field.second
    const inside = splitPointer(other)
    const nested = `"${inside.at(-1)}" inside ${inside
      .slice(0, -1)
      .reverse()
      .map((token) => `"${token}"`)
      .join(' inside ')}`
    report(
      'error',
      locatePayloadField(definition, literal),
      `field ${JSON.stringify(lastToken(literal))} is ambiguous: Refold's trigger variable {{event.${field.dotted}}} also names the field ${nested}; rename one of them`,
    )
  }
  const undeclared = findUndeclaredRequired(schema)
  for (const problem of undeclared) {
    report(
      'error',
      locate(definition.locations, `/schema${problem.pointer}`),
      `${readablePath('schema', problem.pointer)}: ${problem.message}`,
    )
  }
  // Inference gives a schema every sample satisfies (a law its tests check), so only an
  // override that constrains can break that; skipping the others saves an ajv compile per event.
  const mustValidate = definition.schema !== undefined && overrideConstrains(definition.schema as JsonValue)
  // Other problems do not stop sample validation, so one run reports them all: the samples are
  // checked against the override without its keywords in error (unknown keywords, and required
  // entries already reported once above, which every sample would fail again).
  if (mustValidate) {
    let checked = schema
    const inError = [...overrideProblems, ...undeclared.filter((problem) => isOverridePointer(definition.schema!, problem.pointer))]
    if (inError.length > 0) {
      checked = nameSchema(definition, mergeSchema(inferred.schema, withoutProblems(definition.schema!, inError)))
      mirrorProtoFields(checked)
    }
    diagnostics.push(...(await validateSamples(definition, checked)))
  }
  for (const [from, to] of Object.entries(definition.renames)) {
    if (!isField(schema, to)) {
      report(
        'warning',
        locate(definition.locations, appendPointer('/renames', from)),
        `renames: "${to}" (the new name of "${from}") is not a field of this event`,
      )
    }
  }
  const expansion = renameCopies(definition, schema, options.expandRenames ?? true)
  for (const problem of expansion.problems)
    report('warning', locate(definition.locations, appendPointer('/renames', problem.from)), problem.message)
  diagnostics.push(...ignoredKeywordWarnings(definition), ...generatabilityProblems(definition, schema))
  if (diagnostics.some((d) => d.severity === 'error')) return { event: undefined, diagnostics }
  const event: CompiledEvent = { definition, schema, fileName: toFileName(definition.name) ?? definition.identifier }
  if (expansion.copies.length > 0) event.renameCopies = expansion.copies
  return { event, diagnostics }
}

/**
 * Deepest final schema compile accepts. json-schema-to-typescript recurses per level and
 * overflows the call stack somewhere past 600; definitions loaded from files stay far below
 * (payloads nest at most 64 levels, about 4 schema levels each).
 */
export const MAX_SCHEMA_DEPTH = 400

/**
 * What code generation could not turn into code, found here so that `check` reports it and
 * `generate` receives only events it can generate: a final schema nested past
 * {@link MAX_SCHEMA_DEPTH}, and a helper name the generated index already declares.
 */
function generatabilityProblems(definition: EventDefinition, schema: JsonSchema): Diagnostic[] {
  const at = definition.locations['/name'] ?? { line: 1, column: 1 }
  const problems: Diagnostic[] = []
  if (exceedsDepth(schema, MAX_SCHEMA_DEPTH)) {
    problems.push({
      file: definition.file,
      ...at,
      severity: 'error',
      message: `the schema of event ${JSON.stringify(definition.name)} is nested more than ${MAX_SCHEMA_DEPTH} levels deep, too deep to generate types for; flatten its payload`,
    })
  }
  const fire = `fire${definition.identifier}`
  if ((INDEX_VALUE_NAMES as readonly string[]).includes(fire)) {
    problems.push({
      file: definition.file,
      ...at,
      severity: 'error',
      message: `event name ${JSON.stringify(definition.name)} would generate \`${fire}()\`, which the generated module already declares; rename the event`,
    })
  }
  return problems
}

/**
 * Deepest nesting of a sample, an example or the override. The same bound as the YAML
 * loader's, so only definitions built in code (not loaded from a file) can exceed it.
 */
export const MAX_DEFINITION_DEPTH = DEFAULT_MAX_DEPTH

/** The pointer (`/sample`, `/examples/2`, `/schema`) of the first part nested too deeply. */
function tooDeepPart(definition: EventDefinition): string | undefined {
  const parts: Array<[string, unknown]> = [
    ['/sample', definition.sample],
    ...definition.examples.map((e, i): [string, unknown] => [`/examples/${i}`, e]),
  ]
  if (definition.schema !== undefined) parts.push(['/schema', definition.schema])
  return parts.find(([, value]) => exceedsDepth(value, MAX_DEFINITION_DEPTH))?.[0]
}

/**
 * The root keywords code generation names things by, first in the object: `title`
 * `<Identifier>Payload` names the payload type, `$id` matches the schema's file name.
 */
function nameSchema(definition: EventDefinition, merged: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, title: _title, description, ...rest } = merged
  const named: JsonSchema = {
    $schema: SCHEMA_DIALECT,
    $id: `${toFileName(definition.name) ?? definition.identifier}.schema.json`,
    title: `${definition.identifier}Payload`,
  }
  const text = description ?? definition.description
  if (text !== undefined) named.description = text
  for (const key of Object.keys(rest)) setOwn(named, key, rest[key])
  return named
}

/**
 * The warning's message, its proposed override merged into the file's own when the file already
 * has `schema:` (a second `schema:` key would be a duplicate-key error): one value to paste.
 */
function withFileOverride(warning: InferWarning, override: JsonSchema | undefined): string {
  const at = warning.message.indexOf(EXAMPLE_LEAD)
  if (override === undefined || warning.override === undefined || at === -1) return warning.message
  const merged = mergePatch(override as JsonValue, warning.override as JsonValue)
  const flow = stringify(merged, { collectionStyle: 'flow', lineWidth: 0 }).trim()
  return `${warning.message.slice(0, at)}; this file already has \`schema:\`, so replace it with: \`schema: ${flow}\`.`
}

/** Whether the override already says what the warning asks for, at the warning's path. */
function settledByOverride(warning: InferWarning, override: JsonSchema | undefined): boolean {
  let node: unknown = override
  for (const token of splitPointer(warning.path)) {
    if (typeof node !== 'object' || node === null) return false
    const schema = node as JsonSchema
    node = token === '*' ? schema.items : Object.hasOwn(schema.properties ?? {}, token) ? schema.properties![token] : undefined
  }
  if (typeof node !== 'object' || node === null) return false
  const keys = Object.keys(node)
  if (warning.kind === 'empty-array') return keys.includes('items') || keys.includes('prefixItems')
  // Annotations only document: an override with nothing else does not settle a type.
  return keys.some((key) => !ANNOTATION_KEYWORDS.has(key))
}

/** Whether `pointer` names a value the override itself wrote (not one inference added). */
function isOverridePointer(override: JsonSchema, pointer: string): boolean {
  let node: unknown = override
  for (const token of splitPointer(pointer)) {
    if (typeof node !== 'object' || node === null) return false
    if (Array.isArray(node)) node = node[Number(token)]
    else if (Object.hasOwn(node, token)) node = (node as Record<string, unknown>)[token]
    else return false
  }
  return node !== undefined
}

function lastToken(pointer: string): string {
  return splitPointer(pointer).at(-1) ?? ''
}
