/**
 * JSON Pointers (RFC 6901), the one way this project names a place inside a document:
 * locations of YAML nodes, inference warnings, ajv's `instancePath`. Plus the readable
 * path shown to users (`examples[2].customer.email`).
 */

/** Escape one reference token (`~` -> `~0`, `/` -> `~1`): the one escape of this project. */
export function escapeToken(token: string | number): string {
  if (typeof token === 'number') return String(token)
  // Most names need no escape; generated validators call this on every failing field.
  return token.includes('~') || token.includes('/') ? token.replaceAll('~', '~0').replaceAll('/', '~1') : token
}

/** Unescape one reference token. */
function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** `pointer` extended by one token: `appendPointer('/sample', 'a/b')` is `/sample/a~1b`. */
export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(token)}`
}

/** The tokens of a pointer (`''` has none). */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map(unescapeToken)
}

/**
 * The value at `pointer` inside `root`, reading own properties only (a payload field named
 * `constructor` is never found on Object.prototype); `found: false` where there is none.
 * Array items are read by index.
 */
export function valueAtPointer(root: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  let node = root
  for (const token of splitPointer(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) return { found: false }
    if (Array.isArray(node) && !/^(0|[1-9][0-9]*)$/.test(token)) return { found: false }
    node = (node as Record<string, unknown>)[token]
  }
  return { found: true, value: node }
}

/** The pointer one level up, or undefined for the root. */
export function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined
  return pointer.slice(0, pointer.lastIndexOf('/'))
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * A pointer as a user reads it: `sample.customer.email`, `examples[2].items[0]`,
 * `sample["first name"]`. All-digit tokens are shown as indexes (`[2]`): a path is for
 * reading, and an object key made only of digits is rare in a payload.
 */
export function readablePath(root: string, pointer: string): string {
  let out = root
  for (const token of splitPointer(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(token)) out += `[${token}]`
    else if (PLAIN_KEY.test(token)) out += out === '' ? token : `.${token}`
    else out += `[${JSON.stringify(token)}]`
  }
  return out === '' ? '(root)' : out
}
