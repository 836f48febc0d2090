/**
 * One event file's text -> an {@link EventDefinition}, or diagnostics saying what is wrong
 * where. Pure (no file system): the loader reads files, this checks them.
 */
import type { AllowBreaking, Diagnostic, EventDefinition, EventInference, JsonObject, JsonSchema, JsonValue, Position } from '../types.js'
import { readablePath, splitPointer } from '../util/json-pointer.js'
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
  /**
   * When the file has errors but its `name` and `sample` are sound: a definition of the parts
   * that passed (an invalid key left out, an override without its invalid keywords), so that
   * later stages (names across files, the override, the samples) report their problems in the
   * same run. Never compiled into an event.
   */
  checkable?: EventDefinition
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
  const formatProblems = await validateEventFile(document)
  for (const problem of formatProblems) {
    error(locate(parsed.locations, problem.pointer), problemText(problem.pointer, problem.message))
  }
  // A key with a format problem is left out of what later checks see; the override keeps its
  // sound keywords (dropping one only lets the inferred keyword stand, which every sample meets).
  const invalid = new Set(formatProblems.map((problem) => splitPointer(problem.pointer)[0] ?? ''))
  const valid = (key: string): boolean => document[key] !== undefined && !invalid.has(key)
  if (invalid.has('') || !valid('name') || !valid('sample')) return done(undefined)
  const schemaProblems = formatProblems
    .filter((problem) => problem.pointer.startsWith('/schema/'))
    .map((problem) => problem.pointer.slice(7))
  const schemaUsable = document.schema !== undefined && !formatProblems.some((problem) => problem.pointer === '/schema')

  // The format check guarantees the shape of every valid key from here on.
  const name = document.name as string
  const identifier = toIdentifier(name)
  if (identifier === undefined) {
    error(
      locate(parsed.locations, '/name'),
      `name ${JSON.stringify(name)} has no letter or digit to build an identifier from; expected a name such as "New Contact Created"`,
    )
    return done(undefined)
  }
  const definition: EventDefinition = {
    name,
    identifier,
    file,
    sample: document.sample as JsonObject,
    examples: valid('examples') ? (document.examples as JsonObject[]) : [],
    renames: {},
    allowBreaking: valid('allowBreaking') ? (document.allowBreaking as unknown as AllowBreaking[]) : [],
    locations: parsed.locations,
  }
  // An entry is `old: new`, or `old: { to: new, expand }` to set expansion for this rename.
  for (const [from, entry] of Object.entries(valid('renames') ? (document.renames as Record<string, string | RenameEntry>) : {})) {
    setOwn(definition.renames, from, typeof entry === 'string' ? entry : entry.to)
    if (typeof entry !== 'string' && entry.expand !== undefined) setOwn((definition.expandRenames ??= {}), from, entry.expand)
  }
  if (valid('description')) definition.description = document.description as string
  if (valid('model')) definition.model = document.model as string
  if (valid('apps')) definition.apps = document.apps as string[]
  if (schemaUsable) definition.schema = withoutKeywords(document.schema as JsonSchema, schemaProblems)
  if (valid('inference')) definition.inference = document.inference as EventInference
  // Only payload numbers matter to inference; other decimal facts (in `schema`) are dropped.
  const decimals = parsed.decimals.filter((pointer) => pointer.startsWith('/sample/') || pointer.startsWith('/examples/'))
  if (decimals.length > 0) definition.decimals = decimals
  if (valid('previousNames')) {
    // Every entry is checked. The list is kept whole (positions stay right); the cross-file
    // check skips an entry naming its own event.
    const previous = document.previousNames as string[]
    for (const [index, entry] of previous.entries()) {
      if (entry !== name) continue
      error(
        locate(parsed.locations, `/previousNames/${index}`),
        `previousNames[${index}] is the event's own name ${JSON.stringify(name)}; expected only names it had before a rename`,
      )
    }
    definition.previousNames = previous
  }
  if (valid('idempotencyKey')) {
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
    } else definition.idempotencyKey = path
  }
  return done(definition)

  function done(checked: EventDefinition | undefined): ParsedEventFile {
    if (!diagnostics.some((d) => d.severity === 'error')) return { definition: checked, diagnostics: sorted(diagnostics) }
    const result: ParsedEventFile = { definition: undefined, diagnostics: sorted(diagnostics) }
    if (checked !== undefined) result.checkable = checked
    return result
  }
}

/**
 * A copy of an override without the keywords the format check rejected (pointers into the
 * override); a problem at a non-keyword place removes the nearest enclosing key.
 */
function withoutKeywords(override: JsonSchema, pointers: readonly string[]): JsonSchema {
  if (pointers.length === 0) return override
  const copy = structuredClone(override) as JsonValue
  for (const pointer of pointers) {
    // A bad list item (an `enum` entry, a `required` name) removes the whole list.
    const tokens = splitPointer(pointer)
    let parent = nodeAt(copy, tokens.slice(0, -1))
    while (Array.isArray(parent) && tokens.length > 1) {
      tokens.pop()
      parent = nodeAt(copy, tokens.slice(0, -1))
    }
    const last = tokens.at(-1)
    if (last !== undefined && typeof parent === 'object' && parent !== null && !Array.isArray(parent) && Object.hasOwn(parent, last))
      delete parent[last]
  }
  return copy as JsonSchema
}

/** Prefix a problem below the top level with the key it is about (`apps[1]: expected ...`). */
function problemText(pointer: string, message: string): string {
  if (pointer === '' || message.startsWith('unknown key')) return message
  return `${readablePath('', pointer)}: ${message}`
}

function nodeAt(root: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  let node: JsonValue | undefined = root
  for (const token of tokens) {
    if (typeof node !== 'object' || node === null) return undefined
    node = Array.isArray(node) ? node[Number(token)] : Object.hasOwn(node, token) ? node[token] : undefined
  }
  return node
}

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column)
}
