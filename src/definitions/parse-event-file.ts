/**
 * One event file's text -> an {@link EventDefinition}, or diagnostics saying what is wrong
 * where. Pure (no file system): the loader reads files, this checks them.
 */
import type { AllowBreaking, Diagnostic, EventDefinition, EventInference, JsonObject, JsonSchema, Position } from '../types.js'
import { readablePath } from '../util/json-pointer.js'
import { setOwn } from '../util/own-property.js'
import { describeValue } from '../util/schema-errors.js'
import { toIdentifier } from './identifier.js'
import { locate } from './locate.js'
import { parseYaml, type ParseYamlOptions } from './parse-yaml.js'
import { validateEventFile } from './validate-event-file.js'

/** The long form of a `renames` entry. */
interface RenameEntry {
  to: string
  expand?: boolean
}

export interface ParsedEventFile {
  /** Present when the file has no errors. */
  definition: EventDefinition | undefined
  /** Errors and warnings of this file, in file order. */
  diagnostics: Diagnostic[]
}

/**
 * Parse and check the text of one event file. `file` is the path shown in diagnostics
 * (relative to the current directory).
 */
export async function parseEventFile(text: string, file: string, options: ParseYamlOptions = {}): Promise<ParsedEventFile> {
  const parsed = parseYaml(text, options)
  const diagnostics: Diagnostic[] = parsed.problems.map((problem) => ({ file, ...problem }))
  const error = (at: Position, message: string): void => {
    diagnostics.push({ file, ...at, severity: 'error', message })
  }
  if (parsed.empty) {
    error({ line: 1, column: 1 }, 'file is empty; expected an event definition with at least "name" and "sample"')
  }
  const document = parsed.value
  if (document === undefined) return { definition: undefined, diagnostics: sorted(diagnostics) }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    error(
      locate(parsed.locations, ''),
      `expected an event definition (key: value pairs with at least "name" and "sample"), got ${describeValue(document)}`,
    )
    return { definition: undefined, diagnostics: sorted(diagnostics) }
  }
  for (const problem of await validateEventFile(document)) {
    error(locate(parsed.locations, problem.pointer), problemText(problem.pointer, problem.message))
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { definition: undefined, diagnostics: sorted(diagnostics) }

  // The schema guarantees the shape from here on.
  const name = document.name as string
  const identifier = toIdentifier(name)
  if (identifier === undefined) {
    error(
      locate(parsed.locations, '/name'),
      `name ${JSON.stringify(name)} has no letter or digit to build an identifier from; expected a name such as "New Contact Created"`,
    )
    return { definition: undefined, diagnostics: sorted(diagnostics) }
  }
  const definition: EventDefinition = {
    name,
    identifier,
    file,
    sample: document.sample as JsonObject,
    examples: (document.examples as JsonObject[] | undefined) ?? [],
    renames: {},
    allowBreaking: (document.allowBreaking as AllowBreaking[] | undefined) ?? [],
    locations: parsed.locations,
  }
  // An entry is `old: new`, or `old: { to: new, expand }` to set expansion for this rename.
  for (const [from, entry] of Object.entries((document.renames as Record<string, string | RenameEntry> | undefined) ?? {})) {
    setOwn(definition.renames, from, typeof entry === 'string' ? entry : entry.to)
    if (typeof entry !== 'string' && entry.expand !== undefined) setOwn((definition.expandRenames ??= {}), from, entry.expand)
  }
  if (document.description !== undefined) definition.description = document.description as string
  if (document.model !== undefined) definition.model = document.model as string
  if (document.apps !== undefined) definition.apps = document.apps as string[]
  if (document.schema !== undefined) definition.schema = document.schema as JsonSchema
  if (document.inference !== undefined) definition.inference = document.inference as EventInference
  // Only payload numbers matter to inference; other decimal facts (in `schema`) are dropped.
  const decimals = parsed.decimals.filter((pointer) => pointer.startsWith('/sample/') || pointer.startsWith('/examples/'))
  if (decimals.length > 0) definition.decimals = decimals
  if (document.previousNames !== undefined) {
    const previous = document.previousNames as string[]
    const index = previous.indexOf(name)
    if (index !== -1) {
      error(
        locate(parsed.locations, `/previousNames/${index}`),
        `previousNames[${index}] is the event's own name ${JSON.stringify(name)}; expected only names it had before a rename`,
      )
      return { definition: undefined, diagnostics: sorted(diagnostics) }
    }
    definition.previousNames = previous
  }
  if (document.idempotencyKey !== undefined) {
    const path = document.idempotencyKey as string
    // The key must come from a field every fire has: a string or number in the sample.
    const value = path
      .split('.')
      .reduce<unknown>(
        (at, key) => (typeof at === 'object' && at !== null && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined),
        definition.sample,
      )
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      error(
        locate(parsed.locations, '/idempotencyKey'),
        `idempotencyKey "${path}": expected the dotted path of a string or number field of the sample (such as "order.id"), got ${value === undefined ? 'no such field' : describeValue(value)}`,
      )
      return { definition: undefined, diagnostics: sorted(diagnostics) }
    }
    definition.idempotencyKey = path
  }
  return { definition, diagnostics: sorted(diagnostics) }
}

/** Prefix a problem below the top level with the key it is about (`apps[1]: expected ...`). */
function problemText(pointer: string, message: string): string {
  if (pointer === '' || message.startsWith('unknown key')) return message
  return `${readablePath('', pointer)}: ${message}`
}

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column)
}
