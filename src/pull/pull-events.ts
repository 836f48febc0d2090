/**
 * `pull`, as data: for each remote event with no YAML yet, the event file that adopts it.
 * No file system access; the CLI writes the files (never overwriting one).
 *
 * A pulled file holds the name and the sample, plus a `schema` override only where the
 * remote `json_schema` says more than inference would. The override is the JSON Merge
 * Patch from the inferred schema to the remote one, and every file is compiled in memory
 * before it is offered, so that `pull` followed by `sync` is a no-op; where a remote schema
 * cannot be expressed that way, the file says so.
 */
import { stringify } from 'yaml'
import { compileEvent } from '../compile/compile-project.js'
import { toFileName } from '../definitions/identifier.js'
import { checkNameCollisions } from '../definitions/name-collisions.js'
import { parseEventFile } from '../definitions/parse-event-file.js'
import type { Diagnostic, EventDefinition, InferOptions, JsonObject, JsonSchema, JsonValue } from '../types.js'
import { setOwn } from '../util/own-property.js'
import { canonicalJson, canonicallyEqual } from '../util/canonical-json.js'
import { compileBareSchema, definitionOfRemote } from '../sync/plan/remote-schemas.js'
import type { RemoteEventSnapshot } from '../sync/sync-types.js'

export interface PullInput {
  remote: readonly RemoteEventSnapshot[]
  /** Definitions already in the project. */
  local: readonly EventDefinition[]
  /** Base names of files already in the events folder (never overwritten), compared case-insensitively. */
  existingFiles: ReadonlySet<string>
  inference: InferOptions
  /** The environment pulled from, for the header comment. */
  source: string
  /** `$schema` reference for yaml-language-server, relative to the events folder; none when null. */
  editorSchema: string | null
}

/** A file `pull` offers to write. */
export interface PulledFile {
  name: string
  /** Base name inside the events folder, e.g. `new-contact-created.yaml`. */
  fileName: string
  contents: string
  /** Caveats to tell the user (a schema that cannot be expressed exactly). */
  warnings: string[]
}

export interface PullResult {
  files: PulledFile[]
  /** Remote events not pulled (already defined, unreadable, clashing names), with why. */
  skipped: Array<{ name: string; reason: string }>
}

/** Root keywords the compiler sets itself (from the event name), so an override cannot carry them. */
const NAMED_BY_COMPILER = new Set(['$schema', '$id', 'title'])

/** Decide the files to write. */
export async function pullEvents(input: PullInput): Promise<PullResult> {
  const defined = new Set(input.local.map((d) => d.name))
  const result: PullResult = { files: [], skipped: [] }
  const candidates: Array<{ event: RemoteEventSnapshot; sample: JsonObject; definition: EventDefinition }> = []
  for (const event of [...input.remote].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (defined.has(event.name)) continue
    if (event.sample === null) {
      result.skipped.push({ name: event.name, reason: 'its raw_response is not a JSON object sample, so there is nothing to adopt' })
      continue
    }
    const fileBase = toFileName(event.name)
    if (fileBase === undefined) {
      result.skipped.push({ name: event.name, reason: 'its name has no letter or digit to build a file name and identifier from' })
      continue
    }
    candidates.push({ event, sample: event.sample, definition: definitionOfRemote(event.name, event.sample, `${fileBase}.yaml`) })
  }
  // The loader's own rules: a pulled event may not clash (case, identifier, file name) with a defined one.
  const checked = checkNameCollisions([...input.local, ...candidates.map((c) => c.definition)])
  const accepted = new Set(checked.accepted)
  for (const diagnostic of checked.diagnostics) {
    const candidate = candidates.find((c) => c.definition.file === diagnostic.file && !accepted.has(c.definition))
    if (candidate !== undefined) result.skipped.push({ name: candidate.event.name, reason: diagnostic.message })
  }

  const taken = new Set([...input.existingFiles].map((f) => f.toLowerCase()))
  for (const { event, sample, definition } of candidates.filter((c) => accepted.has(c.definition))) {
    const fileName = freeFileName(toFileName(event.name)!, taken)
    taken.add(fileName.toLowerCase())
    const adopted = await adopt(event, sample, fileName, input)
    if ('reason' in adopted) result.skipped.push({ name: event.name, reason: adopted.reason })
    else result.files.push(adopted)
  }
  return result
}

async function adopt(
  event: RemoteEventSnapshot,
  sample: JsonObject,
  fileName: string,
  input: PullInput,
): Promise<PulledFile | { reason: string }> {
  const warnings: string[] = []
  const remoteSchema = event.jsonSchema
  let override: JsonSchema | undefined
  let compiled: Awaited<ReturnType<typeof compileText>> | undefined
  if (remoteSchema !== null) {
    const bare = await compileBareSchema(event.name, sample, input.inference)
    // The exact patch (removals included) whenever it reproduces Refold's schema but for the
    // keywords the compiler names itself: anything else keeps inferred keywords Refold's schema
    // lacks, a schema stricter than Refold's (a `body` that may be an object or a string would
    // accept only objects, and fires Refold takes would fail). Only when it cannot, keep what
    // the remote says beyond inference.
    for (const removals of [true, false]) {
      override = schemaPatch(bare, remoteSchema, { removals })
      compiled = await compileText(render(event.name, sample, override, input), fileName, input.inference)
      if (!('problem' in compiled) && schemaPatch(compiled.schema, remoteSchema) === undefined) break
    }
    if (compiled !== undefined && 'problem' in compiled) {
      warnings.push('its remote json_schema does not accept its own sample, so it was left out; the next sync writes the inferred schema')
      override = undefined
    } else if (compiled !== undefined && schemaPatch(compiled.schema, remoteSchema) === undefined) {
      if (!canonicallyEqual(compiled.schema, remoteSchema)) {
        warnings.push(
          'its remote json_schema lacks what every compiled schema has ($schema, $id, title); the file reproduces the rest exactly, and the next sync adds them',
        )
      }
    } else if (compiled !== undefined) {
      warnings.push(
        'its remote json_schema cannot be expressed exactly in YAML; the file keeps what it adds to inference, and the next sync rewrites it as the compiled schema',
      )
    }
  }
  let contents = render(event.name, sample, override, input)
  compiled = await compileText(contents, fileName, input.inference)
  if (!('problem' in compiled) && !canonicallyEqual(compiled.definition.sample, sample)) {
    // YAML could not carry the sample exactly (an odd key or number): JSON is valid YAML and can.
    contents = render(event.name, sample, override, input, true)
    compiled = await compileText(contents, fileName, input.inference)
  }
  if ('problem' in compiled) return { reason: `its sample cannot become an event file: ${compiled.problem}` }
  return { name: event.name, fileName, contents, warnings }
}

/** Load and compile a file's text exactly as `sync` would; the first error when it fails. */
async function compileText(
  text: string,
  file: string,
  inference: InferOptions,
): Promise<{ definition: EventDefinition; schema: JsonSchema } | { problem: string }> {
  const parsed = await parseEventFile(text, file)
  const firstError = (diagnostics: Diagnostic[]): string => diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown error'
  if (parsed.definition === undefined) return { problem: firstError(parsed.diagnostics) }
  const { event, diagnostics } = await compileEvent(parsed.definition, inference)
  return event === undefined ? { problem: firstError(diagnostics) } : { definition: parsed.definition, schema: event.schema }
}

function render(name: string, sample: JsonObject, override: JsonSchema | undefined, input: PullInput, sampleAsJson = false): string {
  const head: string[] = []
  if (input.editorSchema !== null) head.push(`# yaml-language-server: $schema=${input.editorSchema}`)
  head.push(`# Adopted from Refold (${input.source}) by \`refold-events pull\`. Edit freely: this file is now the source of truth.`)
  // Written as YAML 1.1 would need it: text that a 1.1 reader takes for something else (a date,
  // yes/no, 1_000, 12:30:00) is quoted, so every YAML reader sees the same strings.
  const options = { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const
  // The schema's root description is the event's description: it goes where people look for it.
  const { description, ...rest } = override ?? {}
  const schema = override === undefined ? undefined : typeof description === 'string' ? rest : override
  const body = [stringify({ name }, options).trimEnd()]
  if (typeof description === 'string') body.push(stringify({ description }, options).trimEnd())
  body.push(sampleAsJson ? `sample: ${JSON.stringify(sample)}` : stringify({ sample }, options).trimEnd())
  if (schema !== undefined && Object.keys(schema).length > 0) body.push(stringify({ schema }, options).trimEnd())
  return `${head.join('\n')}\n${body.join('\n')}\n`
}

/**
 * The JSON Merge Patch (RFC 7396, as the compiler applies `schema` overrides) that turns
 * `base` into `target`, without the root keywords the compiler names itself; undefined
 * when there is nothing to say. Without `removals`, keywords `target` lacks are kept
 * (`null` entries left out): only what `target` adds or changes is said.
 */
export function schemaPatch(
  base: JsonSchema,
  target: JsonSchema,
  options: { removals: boolean } = { removals: true },
): JsonSchema | undefined {
  const strip = (schema: JsonSchema): JsonObject => {
    const copy: JsonObject = {}
    for (const key of Object.keys(schema)) if (!NAMED_BY_COMPILER.has(key)) setOwn(copy, key, schema[key] as JsonValue)
    return copy
  }
  const patch = diff(strip(base), strip(target), options.removals)
  return patch === undefined ? undefined : (patch as JsonSchema)
}

function diff(base: JsonValue | undefined, target: JsonValue, removals: boolean): JsonValue | undefined {
  if (!isObject(base) || !isObject(target)) return base !== undefined && canonicalJson(base) === canonicalJson(target) ? undefined : target
  const patch: JsonObject = {}
  for (const key of Object.keys(target)) {
    const change = diff(Object.hasOwn(base, key) ? base[key] : undefined, target[key]!, removals)
    if (change !== undefined) setOwn(patch, key, change)
  }
  if (removals) for (const key of Object.keys(base)) if (!Object.hasOwn(target, key)) setOwn(patch, key, null)
  return Object.keys(patch).length === 0 ? undefined : patch
}

function freeFileName(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base}.yaml` : `${base}-${n}.yaml`
    if (!taken.has(candidate.toLowerCase()) && !taken.has(candidate.replace(/\.yaml$/, '.yml').toLowerCase())) return candidate
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
