/**
 * Appends examples to an event file's text, leaving every other byte as it was: the
 * `yaml` package's Document API finds the `examples:` list (its style, indentation and
 * where it ends), the new items are rendered by the same package, and the text is
 * spliced there, so comments, alignment, quoting and blank lines of the rest of the file
 * are untouched. A list written in flow style (`examples: [...]`) gets flow items; no
 * `examples:` key gets one at the end of the file. Parts repeated across the new examples
 * (large redacted objects) are written once, with an anchor, then as aliases. The result is
 * parsed back by the event loader and must hold exactly the old examples plus the new ones.
 */
import { Document, isMap, isScalar, isSeq, parse, parseDocument, type Pair } from 'yaml'
import { parseEventFile } from '../definitions/parse-event-file.js'
import { jsonEqual } from '../util/json-equal.js'
import type { EventDefinition, JsonObject } from '../types.js'
import { lineIndex } from '../util/line-index.js'
import { SHARING_MODES, shareRepeatedParts, type Sharing } from './share-repeated-parts.js'

/** The file could not be edited so that it loads back with the new examples. */
export class AppendExamplesError extends Error {}

/** Options of {@link appendExamples}. */
export interface AppendOptions {
  /** A comment line put before the new items of a block list (without `#`). */
  comment?: string
}

/**
 * `text` (an event file that loads as `definition`) with `examples` appended to its
 * `examples:` list, and the definition it loads as. Throws {@link AppendExamplesError} when the edited text would not load
 * back as the same event with those examples.
 */
export async function appendExamples(
  text: string,
  definition: EventDefinition,
  examples: readonly JsonObject[],
  options: AppendOptions = {},
): Promise<{ text: string; definition: EventDefinition }> {
  if (examples.length === 0) return { text, definition }
  // Repeated parts as anchors (redacted examples repeat whole objects: a GitHub `repository`
  // or `user` redacted is the same in every example), in the most compact form that both the
  // loader and the `yaml` package with its default alias budget (what editors and scripts
  // read the file with) accept; spelled out when none does.
  const anchors = anchorPrefix(text)
  for (const sharing of SHARING_MODES) {
    try {
      return await readBack(text, definition, examples, { ...options, anchors, sharing })
    } catch (error) {
      if (!(error instanceof AppendExamplesError)) throw error
    }
  }
  return readBack(text, definition, examples, { ...options, anchors: undefined, sharing: 'flat' })
}

/** The edited text and what it loads as, checked to hold exactly the old examples plus the new. */
async function readBack(
  text: string,
  definition: EventDefinition,
  examples: readonly JsonObject[],
  options: SpliceOptions,
): Promise<{ text: string; definition: EventDefinition }> {
  const spliced = spliceExamples(text.replaceAll('\r\n', '\n'), examples, options)
  // A file written with CRLF line ends keeps them, new lines included.
  const edited = text.includes('\r\n') ? spliced.replaceAll('\n', '\r\n') : spliced
  const expected = [...definition.examples, ...examples]
  if (options.anchors !== undefined) {
    try {
      // The `yaml` package with its defaults, as an editor or a script reads the file.
      parse(edited)
    } catch {
      throw new AppendExamplesError(`${definition.file}: the anchors exceed what a YAML reader with default limits accepts`)
    }
  }
  const { definition: loaded, diagnostics } = await parseEventFile(edited, definition.file)
  if (loaded === undefined) {
    const first = diagnostics.find((d) => d.severity === 'error')
    throw new AppendExamplesError(
      `${definition.file}: the file with the new examples would not load${first === undefined ? '' : ` (line ${first.line}: ${first.message})`}; nothing was written`,
    )
  }
  const same =
    jsonEqual(loaded.examples, expected) &&
    jsonEqual(loaded.sample, definition.sample) &&
    jsonEqual(loaded.schema ?? null, definition.schema ?? null) &&
    loaded.name === definition.name
  if (!same) {
    throw new AppendExamplesError(
      `${definition.file}: the new examples do not read back as written (a key or value YAML cannot round-trip); nothing was written`,
    )
  }
  return { text: edited, definition: loaded }
}

interface SpliceOptions extends AppendOptions {
  /** Anchor name prefix for repeated parts (`learned` -> `&learned1`); undefined: no anchors. */
  anchors: string | undefined
  /** How repeated parts are shared (see share-repeated-parts.ts). */
  sharing: Sharing
}

/** An anchor prefix no anchor of the file starts with, so no alias of the author's is redirected. */
function anchorPrefix(text: string): string {
  let prefix = 'learned'
  for (let n = 2; text.includes(`&${prefix}`); n++) prefix = `learned${n}x`
  return prefix
}

function spliceExamples(text: string, examples: readonly JsonObject[], options: SpliceOptions): string {
  const document = parseDocument(text, { keepSourceTokens: false })
  const root = document.contents
  if (!isMap(root) || root.flow === true) return reprint(document, examples)
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'examples') as Pair | undefined
  const at = lineIndex(text)
  if (pair === undefined) {
    // No list yet: a new key after the last one, indented as the file indents its maps.
    const end = lineEnd(text, root.range[1])
    const indent = childIndent(root, at)
    const head = end === text.length && !text.endsWith('\n') ? '\n' : ''
    const items = blockItems(examples, ' '.repeat(indent), options)
    return `${text.slice(0, end)}${head}examples:\n${items}${text.slice(end)}`
  }
  const list = pair.value
  if (!isSeq(list) || list.range === undefined || list.range === null) return reprint(document, examples)
  if (list.flow === true) {
    // After the last item, or inside `[]`: `[a, b]` -> `[a, b, c]`. JSON is YAML's flow syntax.
    const items = examples.map((e) => JSON.stringify(e)).join(', ')
    const last = list.items.at(-1) as { range?: [number, number, number] | null } | undefined
    if (last !== undefined) {
      if (last.range === undefined || last.range === null) return reprint(document, examples)
      return `${text.slice(0, last.range[1])}, ${items}${text.slice(last.range[1])}`
    }
    const close = text.lastIndexOf(']', list.range[1] - 1)
    if (close < list.range[0]) return reprint(document, examples)
    return `${text.slice(0, close)}${items}${text.slice(close)}`
  }
  const indent = at(list.range[0]).column - 1
  const end = lineEnd(text, list.range[1])
  const head = end === text.length && !text.endsWith('\n') ? '\n' : ''
  return `${text.slice(0, end)}${head}${blockItems(examples, ' '.repeat(indent), options)}${text.slice(end)}`
}

/** The offset just past the line break that ends the line holding `offset - 1`. */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset
  const next = text.indexOf('\n', offset)
  return next < 0 ? text.length : next + 1
}

/** Columns the file indents a nested map by (from the first nested block map), default 2. */
function childIndent(root: { items: Pair[] }, at: (offset: number) => { column: number }): number {
  for (const item of root.items) {
    const value = item.value
    if ((isMap(value) || isSeq(value)) && value.flow !== true && value.range !== undefined && value.range !== null) {
      const column = at(value.range[0]).column - 1
      if (column > 0) return column
    }
  }
  return 2
}

/** `- key: value` items, each line indented by `indent`, optionally after a comment line. */
function blockItems(examples: readonly JsonObject[], indent: string, options: SpliceOptions): string {
  const shared = options.anchors !== undefined
  const document = new Document(shared ? shareRepeatedParts(examples, options.sharing) : examples, {
    aliasDuplicateObjects: shared,
    anchorPrefix: options.anchors ?? 'a',
  })
  const body = document.toString({ lineWidth: 0, minContentWidth: 0 })
  const lines = body.endsWith('\n') ? body.slice(0, -1).split('\n') : body.split('\n')
  const out = lines.map((line) => (line === '' ? '' : indent + line))
  if (options.comment !== undefined) out.unshift(`${indent}# ${options.comment}`)
  return `${out.join('\n')}\n`
}

/** Last resort for layouts the splice does not handle: the whole document reprinted by `yaml`. */
function reprint(document: ReturnType<typeof parseDocument>, examples: readonly JsonObject[]): string {
  const existing = document.get('examples')
  if (isSeq(existing)) for (const example of examples) existing.add(document.createNode(example))
  else document.set('examples', document.createNode(examples))
  return document.toString({ lineWidth: 0 })
}
