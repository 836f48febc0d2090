/**
 * The payload paths of an inference policy (`nullable: [issue.milestone]`,
 * `optional: [changes, items[].discount]`): parsed, then found in the shape tree of the
 * samples, where they mark the places whose schema is widened. A path that does not parse
 * or names no place of the samples is a problem the caller reports at the entry's line.
 *
 * Path syntax, the one warnings print: keys joined by `.`, `[]` for "every item of this
 * array", and `["a key"]` (a JSON string) for a key holding `.`, `[`, `]`, `"` or spaces.
 */
import type { PolicyPathProblem } from '../types.js'
import { didYouMean } from '../util/suggest.js'
import type { SampleShape } from './sample-shape.js'

/** Policy bit of `SampleShape.policy`: the place may be null. */
export const POLICY_NULLABLE = 1
/** Policy bit: the place may be absent (never `required`). */
export const POLICY_OPTIONAL = 2

/** Token standing for "every array item" in a parsed path (as in inference's pointers). */
export const ITEMS = Symbol('items')

/** One step of a parsed path: a key, or every item of an array. */
export type PathToken = string | typeof ITEMS

/**
 * Parse a policy path into its tokens, or say what is wrong with it.
 *
 * @example
 * parsePolicyPath('items[].price')     // ['items', ITEMS, 'price']
 * parsePolicyPath('["first name"]')    // ['first name']
 */
export function parsePolicyPath(text: string): PathToken[] | string {
  const tokens: PathToken[] = []
  let index = 0
  let expectKey = true
  if (text.trim() === '') return 'is empty; expected a payload path such as `issue.milestone` or `items[].price`'
  while (index < text.length) {
    const char = text[index]
    if (char === '[') {
      if (text[index + 1] === ']') {
        if (tokens.length === 0) return 'starts with `[]`, but the payload is an object; expected a field name first (`items[]`)'
        tokens.push(ITEMS)
        index += 2
        expectKey = false
        continue
      }
      if (text[index + 1] === '"') {
        const end = closingQuote(text, index + 2)
        if (end < 0 || text[end + 1] !== ']') return 'has a `["` without a closing `"]`; expected a quoted key such as `["first name"]`'
        try {
          tokens.push(JSON.parse(text.slice(index + 1, end + 1)) as string)
        } catch {
          return `has an invalid quoted key ${text.slice(index + 1, end + 1)}; expected a JSON string`
        }
        index = end + 2
        expectKey = false
        continue
      }
      return 'has a `[` that is neither `[]` (every array item) nor `["key"]`'
    }
    if (char === '.') {
      if (expectKey) return 'has an empty field name (two dots, or a leading dot)'
      index++
      expectKey = true
      continue
    }
    if (!expectKey) return `needs a \`.\` before ${JSON.stringify(text.slice(index))}`
    let end = index
    while (end < text.length && text[end] !== '.' && text[end] !== '[' && text[end] !== ']') end++
    if (text[end] === ']') return 'has a `]` without its `[`'
    tokens.push(text.slice(index, end))
    index = end
    expectKey = false
  }
  if (expectKey) return 'ends with a `.`; expected a field name after it'
  return tokens
}

/** The path as written in policies and warnings (`items[].price`, `["first name"]`). */
export function formatPolicyPath(tokens: readonly PathToken[]): string {
  let out = ''
  for (const token of tokens) {
    if (token === ITEMS) out += '[]'
    else if (/^[^.[\]"\s]+$/.test(token)) out += out === '' ? token : `.${token}`
    else out += `[${JSON.stringify(token)}]`
  }
  return out
}

/**
 * Mark the places named by `paths` with `bit` (POLICY_*). Returns a problem per entry that
 * does not parse or names a place no sample has.
 */
export function markPolicyPaths(
  root: SampleShape,
  paths: readonly string[],
  bit: number,
  list: PolicyPathProblem['list'],
): PolicyPathProblem[] {
  const problems: PolicyPathProblem[] = []
  paths.forEach((path, index) => {
    const tokens = parsePolicyPath(path)
    if (typeof tokens === 'string') {
      problems.push({ list, index, message: `${list}: ${JSON.stringify(path)} ${tokens}` })
      return
    }
    let shape: SampleShape = root
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at] as PathToken
      const next = token === ITEMS ? shape.items : childByKey(shape, token)
      if (next === undefined) {
        problems.push({ list, index, message: `${list}: ${JSON.stringify(path)} ${notFound(shape, tokens, at)}` })
        return
      }
      shape = next
    }
    shape.policy |= bit
  })
  return problems
}

function childByKey(shape: SampleShape, key: string): SampleShape | undefined {
  if (shape.properties !== undefined) return shape.properties.get(key)
  return shape.fields?.find((field) => field.key === key)
}

/** Why `tokens[at]` is not found below `shape`, with a "did you mean" among what is there. */
function notFound(shape: SampleShape, tokens: readonly PathToken[], at: number): string {
  const where = at === 0 ? 'the payload' : `\`${formatPolicyPath(tokens.slice(0, at))}\``
  const token = tokens[at] as PathToken
  if (token === ITEMS) return `names no field of the samples: ${where} is not an array with items in any sample`
  const keys = shape.fields?.map((field) => field.key as string) ?? []
  if (keys.length === 0) return `names no field of the samples: ${where} has no fields in any sample`
  return `names no field of the samples: ${where} has no field ${JSON.stringify(token)}${didYouMean(token, keys)}`
}

/** Index of the `"` closing a JSON string whose text starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    if (text[index] === '\\') index++
    else if (text[index] === '"') return index
  }
  return -1
}
