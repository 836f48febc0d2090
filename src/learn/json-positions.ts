/**
 * Positions inside JSON text that `JSON.parse` does not give: where a syntax error is
 * (Node 20 names no position for "Unexpected token" errors), and where each element of a
 * top-level array starts (so a record in a JSON array file is reported at its own line).
 * A single forward scan over RFC 8259 grammar, iterative (no recursion limit); values are
 * still built by `JSON.parse`, which is much faster.
 */

/** The scan of a JSON text: the first syntax error, or the offsets of a top-level array's elements. */
export type JsonScan = { ok: true; elements: number[] } | { ok: false; offset: number; expected: string }

/**
 * Scan `text` as one JSON value. `elements` holds the offset of each element when the
 * value is an array (empty otherwise).
 */
export function scanJson(text: string): JsonScan {
  const elements: number[] = []
  // What each open container expects next: a value, a key, or a separator.
  const stack: Array<'[' | '{'> = []
  let at = skipSpace(text, 0)
  let state: 'value' | 'first-value' | 'key' | 'first-key' | 'after-value' | 'colon' = 'value'
  const fail = (expected: string): JsonScan => ({ ok: false, offset: at, expected })
  for (;;) {
    const char = text[at]
    if (state === 'value' || state === 'first-value') {
      if (state === 'first-value' && char === ']') {
        stack.pop()
        at = skipSpace(text, at + 1)
        state = 'after-value'
        continue
      }
      if (stack.length === 1 && stack[0] === '[') elements.push(at)
      if (char === '{' || char === '[') {
        stack.push(char)
        at = skipSpace(text, at + 1)
        state = char === '{' ? 'first-key' : 'first-value'
        continue
      }
      const end = scalarEnd(text, at)
      if (end === undefined) return fail('a value (string, number, object, array, true, false or null)')
      if (end < 0) return { ok: false, offset: -end - 1, expected: 'a closing " of the string' }
      at = skipSpace(text, end)
      state = 'after-value'
      continue
    }
    if (state === 'key' || state === 'first-key') {
      if (state === 'first-key' && char === '}') {
        stack.pop()
        at = skipSpace(text, at + 1)
        state = 'after-value'
        continue
      }
      if (char !== '"') return fail('a double-quoted property name')
      const end = stringEnd(text, at)
      if (end < 0) return { ok: false, offset: -end - 1, expected: 'a closing " of the property name' }
      at = skipSpace(text, end)
      state = 'colon'
      continue
    }
    if (state === 'colon') {
      if (char !== ':') return fail('":" after the property name')
      at = skipSpace(text, at + 1)
      state = 'value'
      continue
    }
    // after-value
    const open = stack.at(-1)
    if (open === undefined) return at === text.length ? { ok: true, elements } : fail('the end of the text after the JSON value')
    if (char === ',') {
      at = skipSpace(text, at + 1)
      state = open === '{' ? 'key' : 'value'
      continue
    }
    if ((open === '{' && char === '}') || (open === '[' && char === ']')) {
      stack.pop()
      at = skipSpace(text, at + 1)
      continue
    }
    return fail(open === '{' ? '"," or "}" after the property value' : '"," or "]" after the array element')
  }
}

const SPACE = new Set([' ', '\t', '\n', '\r'])

function skipSpace(text: string, at: number): number {
  while (at < text.length && SPACE.has(text[at]!)) at++
  return at
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** End offset of the scalar at `at`; undefined when none starts there; `-(offset + 1)` for an unterminated string. */
function scalarEnd(text: string, at: number): number | undefined {
  const char = text[at]
  if (char === '"') return stringEnd(text, at)
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, at)) return at + word.length
  NUMBER.lastIndex = at
  return NUMBER.test(text) ? NUMBER.lastIndex : undefined
}

/** End offset of the string starting at `at` (a `"`), or `-(offset + 1)` of the problem. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x22) return i + 1
    if (code === 0x5c) {
      const next = text[i + 1]
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1)
        i += 5
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++
      else return -(i + 1)
    } else if (code < 0x20) return -(i + 1)
  }
  return -(text.length + 1)
}
