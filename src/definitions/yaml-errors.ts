/**
 * The `yaml` package's errors and warnings as problems a person can act on, one wording for
 * every YAML file the toolkit reads (event files, the workflows file).
 *
 * An indentation mistake makes the parser report what it could not build, often on the line
 * before the mistake and several times over ("nested mappings are not allowed in compact
 * mappings", then "implicit keys need to be on a single line"). When the parser reports such
 * an error, the lines are read again by their indentation to find the first line that does
 * not fit, and that one line is reported with what indentation was expected; the parser's
 * indentation errors, consequences of it, are not shown.
 */
import { type Document, Parser, type YAMLError } from 'yaml'
import type { Position, Severity } from '../types.js'
import { lineIndex } from '../util/line-index.js'

/** A problem found while parsing, positioned in the text (the caller adds the file). */
export interface YamlProblem extends Position {
  severity: Severity
  message: string
}

const FRIENDLY_MESSAGES: Record<string, string> = {
  TAB_AS_INDENT: 'tab character used for indentation; YAML indentation must use spaces',
  RESOURCE_EXHAUSTION: 'nested too deeply to parse; expected a flatter structure',
}

/** Parser errors that a line indented wrongly produces (and that the indentation reading explains). */
const INDENTATION_CODES = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR', 'UNEXPECTED_TOKEN'])

/** Wording by the parser's own message, for codes it uses for several problems. */
const MESSAGE_WORDING: Array<[RegExp, string]> = [
  [
    /^all (?:mapping|sequence) items must start at the same column/,
    'this line does not start at the column of the keys or list items above it; expected every entry of a map or list at the same column',
  ],
  [
    /^nested mappings are not allowed in compact mappings/,
    'a map is nested under a key that already has a value on its line; expected the nested keys under a key that ends with ":"',
  ],
  [
    /^a block sequence may not be used as an implicit map key/,
    'a list is written where a key was expected; expected it indented under a key that ends with ":"',
  ],
  [
    /^implicit keys need to be on a single line/,
    'a key runs over more than one line; expected "key: value" on one line (is the next line indented too far?)',
  ],
  [
    /^implicit map keys need to be followed by map values/,
    'this line has no ":" after its key; expected "key: value", or "- item" in a list',
  ],
  [
    /^sequence item without - indicator/,
    'this line is among list items but does not start with "- "; expected "- " to start a new item, or more indentation to continue the item above',
  ],
  [
    /^unexpected scalar at node end/,
    'text follows where the map or list above ended; expected "key: value" at the column of the keys, or more indentation to continue the value above',
  ],
]

/** Every problem of one parsed document, with its line and column from `position`. */
export function yamlProblems(doc: Document.Parsed, text: string, position: (offset: number) => Position): YamlProblem[] {
  const problems: YamlProblem[] = []
  // A tab used as indentation throws the parser's idea of the structure off for the rest of the
  // document: every later line then reports "all mapping items must start at the same column"
  // and the like. Those follow from the tab, so only the tab (each tab) is reported, with a note.
  const firstTab = doc.errors.find((problem) => problem.code === 'TAB_AS_INDENT')
  const misfit = firstTab === undefined && doc.errors.some((problem) => INDENTATION_CODES.has(problem.code)) ? findMisfit(text) : undefined
  const cascade = (problem: YAMLError): boolean =>
    (firstTab !== undefined && problem.code !== 'TAB_AS_INDENT' && problem.pos[0] >= firstTab.pos[0]) ||
    (misfit !== undefined && INDENTATION_CODES.has(problem.code))
  const hidden = new Set(doc.errors.filter((problem) => firstTab !== undefined && cascade(problem)).map((p) => `${p.pos[0]}:${p.code}`))
    .size
  const failedLines = new Set<number>()
  if (misfit !== undefined) {
    problems.push({ line: misfit.line, column: misfit.column, severity: 'error', message: `invalid YAML: ${misfit.message}` })
  }
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as const) {
    let tooDeep = false
    for (const problem of list) {
      if (severity === 'error' && cascade(problem)) continue
      // The parser reports every level past its limit (hundreds of lines for one deep value); once says it.
      if (problem.code === 'RESOURCE_EXHAUSTION') {
        if (tooDeep) continue
        tooDeep = true
      }
      const firstLine = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      const plain = `${firstLine.charAt(0).toLowerCase()}${firstLine.slice(1)}`
      let message = FRIENDLY_MESSAGES[problem.code] ?? (severity === 'error' ? `invalid YAML: ${reworded(plain)}` : plain)
      if (problem === firstTab && hidden > 0) {
        const rest = hidden === 1 ? '1 later YAML error in this document follows' : `${hidden} later YAML errors in this document follow`
        message += ` (${rest} from it and ${hidden === 1 ? 'is' : 'are'} not shown)`
      }
      if (isUnquotedItemsPath(problem, text)) message += '; a path with [] inside a [...] list must be quoted ("items[].price")'
      const at = position(problem.pos[0])
      // The parser's next errors on a line it already failed on follow from the first one.
      if (severity === 'error' && problem.code !== 'TAB_AS_INDENT') {
        if (failedLines.has(at.line)) continue
        failedLines.add(at.line)
      }
      problems.push({ ...at, severity, message })
    }
  }
  return problems
}

/**
 * `optional: [changes, items[].discount]`: inside a flow list `[` and `]` are syntax, so the
 * parser sees a list closed after `items[` and asks for a comma. The path is what the author
 * meant; quoting it is the fix, and the parser's wording does not say so.
 */
function isUnquotedItemsPath(problem: YAMLError, source: string): boolean {
  if (problem.code !== 'MISSING_CHAR' || !problem.message.startsWith('Missing , or : between flow sequence items')) return false
  const start = source.lastIndexOf('\n', problem.pos[0] - 1) + 1
  const end = source.indexOf('\n', problem.pos[0])
  return source.slice(start, end === -1 ? undefined : end).includes('[]')
}

function reworded(plain: string): string {
  return MESSAGE_WORDING.find(([pattern]) => pattern.test(plain))?.[1] ?? plain
}

/** An open block: a map's keys or a list's items, all starting at `indent` (0-based). */
interface Level {
  indent: number
  kind: 'map' | 'seq'
  /** How the first entry starts (`name:` or `- x`), to show what "aligned" means. */
  shown: string
  line: number
}

/** One meaningful line: its number, indentation and text without the indentation. */
interface SourceLine {
  number: number
  indent: number
  text: string
}

interface Misfit extends Position {
  message: string
}

// A key (quoted, or plain up to the first ": "), then its value if any; comments are already cut.
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"[\]{},:-].*?|[:-]\S.*?)\s*:(?:\s+(.*))?$/

/**
 * The first line whose indentation fits no open block: more indented than a key with a value
 * on the line above, between two levels, a key among list items or a list item among keys.
 * Undefined when every line fits (the error is of another kind).
 */
export function findMisfit(text: string): Misfit | undefined {
  const stack: Level[] = []
  // The previous entry left a block open (`key:` or `-` with nothing after): a deeper line starts it.
  let open: { indent: number; afterKey: boolean; shown: string; line: number } | undefined
  // The entry above, for "more indented than the key above it".
  let above: { indent: number; shown: string; line: number } | undefined
  let firstLine: number | undefined
  for (const line of meaningfulLines(text)) {
    firstLine ??= line.number
    const item = /^-(?:\s|$)/.test(line.text)
    let n = line.indent
    if (stack.length === 0) stack.push({ indent: n, kind: item ? 'seq' : 'map', shown: shownEntry(line.text), line: line.number })
    else if (open !== undefined && (n > open.indent || (item && open.afterKey && n === open.indent))) {
      stack.push({ indent: n, kind: item ? 'seq' : 'map', shown: shownEntry(line.text), line: line.number })
    } else {
      if (open === undefined && above !== undefined && n > above.indent) {
        // A plain text value may continue on a deeper line; a key or list item there may not.
        if (!item && !KEY.test(line.text)) continue
        return {
          line: line.number,
          column: n + 1,
          message: `line ${line.number} is indented more than ${above.shown} on line ${above.line} above it, which already has a value; expected ${spaces(above.indent)}, as ${above.shown}, or a key ending with ":" above it to nest under`,
        }
      }
      const popped: Level[] = []
      while (stack.length > 0 && stack.at(-1)!.indent > n) popped.push(stack.pop()!)
      const level = stack.at(-1)
      const root = popped.at(-1)
      if (level === undefined && root !== undefined && root.line === firstLine) {
        // Less indented than the very first line: that first line is the one indented by mistake.
        return {
          line: root.line,
          column: root.indent + 1,
          message: `line ${root.line} is indented ${spaces(root.indent)}, but line ${line.number} below it starts at ${spaces(n)}; expected the top-level keys at one column, ${spaces(n)}`,
        }
      }
      if (level === undefined || level.indent !== n) {
        const choices = [...(level === undefined ? [] : [level]), ...popped.slice(-1)]
        return {
          line: line.number,
          column: n + 1,
          message: `line ${line.number} is indented ${spaces(n)}, which lines up with no entry above it; expected ${choices.map((c) => `${spaces(c.indent)}, as ${c.shown} on line ${c.line}`).join(', or ')}`,
        }
      }
      if (level.kind === 'seq' && !item) {
        const inside = popped.at(-1)
        return {
          line: line.number,
          column: n + 1,
          message: `line ${line.number} is at the column of the list items above (${level.shown} on line ${level.line}) but does not start with "- "; expected "- " to start a new item${inside === undefined ? '' : `, or ${spaces(inside.indent)} to continue the item above, as ${inside.shown}`}`,
        }
      }
      if (level.kind === 'map' && item) {
        const list = popped.find((p) => p.kind === 'seq')
        return {
          line: line.number,
          column: n + 1,
          message: `line ${line.number} is a list item at the column of the keys (${level.shown} on line ${level.line}); expected it indented under the key it belongs to${list === undefined ? ', deeper than that key' : `, ${spaces(list.indent)} as ${list.shown} on line ${list.line}`}`,
        }
      }
    }
    // The nearest entry of a level is the one to show as "aligned like this".
    const level = stack.at(-1)
    if (level !== undefined && level.indent === line.indent) {
      level.shown = shownEntry(line.text)
      level.line = line.number
    }
    // What this line leaves open for the next one, and the entry inside a list item.
    let rest = line.text
    if (item) {
      // `- - x`: an item that is itself a list opens a list level at each further dash.
      let dash = n
      for (;;) {
        const inner = /^-\s*/.exec(rest)?.[0].length ?? 1
        rest = rest.slice(inner)
        n += inner
        if (!/^-(?:\s|$)/.test(rest)) break
        dash = n
        stack.push({ indent: n, kind: 'seq', shown: shownEntry(rest), line: line.number })
      }
      if (rest === '') {
        open = { indent: dash, afterKey: false, shown: '"-"', line: line.number }
        above = undefined
        continue
      }
      if (KEY.test(rest)) stack.push({ indent: n, kind: 'map', shown: shownEntry(rest), line: line.number })
    }
    const key = KEY.exec(rest)
    const value = key?.[2] ?? ''
    open = key !== null && value === '' ? { indent: n, afterKey: true, shown: shownEntry(rest), line: line.number } : undefined
    above = { indent: n, shown: shownEntry(rest), line: line.number }
  }
  return undefined
}

/** `"a:"` for a key, `"- x"` for a list item: how an entry is shown in messages. */
function shownEntry(text: string): string {
  const key = KEY.exec(text)
  if (key !== null && !text.startsWith('- ')) return `\`${key[1]}:\``
  return `\`${text.length > 20 ? `${text.slice(0, 20)}...` : text}\``
}

function spaces(n: number): string {
  return n === 1 ? '1 space' : `${n} spaces`
}

/**
 * The lines that carry structure: not blank, not comments, not document markers or
 * directives, not inside a block scalar (`|`, `>`) or a flow collection spread over lines.
 */
function* meaningfulLines(text: string): Generator<SourceLine> {
  const lines = text.split(/\r?\n/)
  const inside = continuationLines(text)
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trimStart()
    const indent = raw.length - trimmed.length
    if (trimmed === '' || trimmed.startsWith('#') || inside.has(index + 1)) continue
    if (indent === 0 && /^(?:---|\.\.\.|%)/.test(trimmed)) continue
    yield { number: index + 1, indent, text: withoutComment(trimmed).replace(/\s+$/, '') }
  }
}

const QUOTED_OR_BLOCK = new Set(['block-scalar', 'single-quoted-scalar', 'double-quoted-scalar'])

/**
 * Lines that continue a value started on an earlier line (a flow collection, a block scalar, a
 * quoted text over several lines), from the parser's own token stream: their indentation says
 * nothing about the block structure.
 */
function continuationLines(text: string): Set<number> {
  const position = lineIndex(text)
  const lines = new Set<number>()
  const span = (from: number, to: number): void => {
    const first = position(from).line
    const last = position(Math.max(from, to - 1)).line
    for (let line = first + 1; line <= last; line++) lines.add(line)
  }
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const item of token) walk(item)
      return
    }
    if (typeof token !== 'object' || token === null) return
    const t = token as {
      type?: string
      offset?: number
      source?: string
      end?: Array<{ offset: number; source: string }>
      props?: Array<{ offset: number; source: string }>
    }
    if (t.type === 'flow-collection' && t.offset !== undefined) {
      const close = t.end?.find((end) => end.source === ']' || end.source === '}')
      span(t.offset, close === undefined ? text.length : close.offset + 1)
      return
    }
    // Plain text is left out: its continuation is told apart by findMisfit, and a deeper key
    // line that the parser took as plain text is exactly the mistake to find.
    if (t.type !== undefined && QUOTED_OR_BLOCK.has(t.type) && t.offset !== undefined && t.source !== undefined) {
      // A block scalar's body starts after its header (`|`, `>-`) and that line's break.
      const header = t.type === 'block-scalar' ? t.props?.at(-1) : undefined
      const body = header === undefined ? t.offset : header.offset + header.source.length
      span(t.offset, body + t.source.length)
    }
    for (const value of Object.values(token)) if (typeof value === 'object') walk(value)
  }
  for (const token of new Parser().parse(text)) walk(token)
  return lines
}

/** The line without a trailing comment: `#` at the start or after a space, outside quotes. */
function withoutComment(text: string): string {
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quote !== undefined) {
      if (char === '\\' && quote === '"') i++
      else if (char === quote) quote = undefined
    } else if ((char === '"' || char === "'") && (i === 0 || /[\s[{,-]/.test(text[i - 1]!))) quote = char
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i)
  }
  return text
}
