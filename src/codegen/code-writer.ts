/**
 * The one printer every generated TypeScript/JavaScript file goes through: lines, indented
 * blocks and TSDoc comments, plus the two escaping rules that keep user text (event names,
 * descriptions, sample values) from ever becoming code.
 */

/** Builds a source file line by line with two-space indentation and `\n` line ends. */
export class CodeWriter {
  private readonly out: string[] = []
  private depth = 0

  /** One line at the current indentation; an empty line stays empty (no trailing spaces). */
  line(text = ''): this {
    this.out.push(text === '' ? '' : '  '.repeat(this.depth) + text)
    return this
  }

  /** An empty line, unless the previous line is already empty or this is the start of the file. */
  blank(): this {
    if (this.out.length > 0 && this.out[this.out.length - 1] !== '') this.out.push('')
    return this
  }

  /** Several lines of already-formatted text, each at the current indentation. */
  lines(text: string): this {
    for (const line of text.split('\n')) this.line(line)
    return this
  }

  /** `opener` (which should end in `{`, `(` or `[`), `body` one level deeper, then `closer`. */
  block(opener: string, body: () => void, closer = '}'): this {
    this.line(opener)
    this.depth++
    try {
      body()
    } finally {
      this.depth--
    }
    return this.line(closer)
  }

  /**
   * A TSDoc comment. Each paragraph may span lines; paragraphs are separated by an empty
   * comment line. Nothing is written when every paragraph is empty.
   */
  doc(...paragraphs: Array<string | undefined>): this {
    const kept = paragraphs.filter((p): p is string => p !== undefined && p.trim() !== '')
    if (kept.length === 0) return this
    this.line('/**')
    kept.forEach((paragraph, index) => {
      if (index > 0) this.line(' *')
      for (const line of escapeDocText(paragraph).split('\n')) this.line(line === '' ? ' *' : ` * ${line}`)
    })
    return this.line(' */')
  }

  /** The file so far, ending in exactly one newline. */
  toString(): string {
    let end = this.out.length
    while (end > 0 && this.out[end - 1] === '') end--
    return `${this.out.slice(0, end).join('\n')}\n`
  }
}

/**
 * A TypeScript/JavaScript string literal for any string: JSON's escaping covers quotes,
 * backslashes, newlines and control characters; U+2028/U+2029 are escaped too, as they
 * end a line (and so a `//` comment) in JavaScript source.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * Text made safe for a block comment: `*\/` would end the comment early, so the slash is
 * escaped (which also keeps JSON in `@example`s valid, as `\/` is a JSON escape); line
 * ends are normalised and trailing whitespace dropped.
 */
export function escapeDocText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
}
