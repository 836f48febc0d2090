/**
 * fast-check generators of hostile event files: whole YAML documents built from event-like
 * data (odd keys, odd scalars, anchors, merge keys, tags), token soup that is barely YAML,
 * and mutations of real event files (bytes flipped, cut short, lines duplicated so keys
 * repeat, tokens spliced in).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { REPO_ROOT } from '../codegen/support.js'

/** Keys that have tripped parsers, merges and code generators elsewhere. */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'a.b',
  'a',
  'b',
  '',
  ' ',
  'first-name',
  '2fa',
  '🎉',
  'ß',
  'İ',
  'name',
  'sample',
  'schema',
  'properties',
  'type',
  '$ref',
  '$id',
  'required',
  '*/',
  '${x}',
  '`',
  '"',
  "'",
  '\\',
  'é',
  'e\u0301',
  '\u200b',
  'null',
  'true',
  '1',
  '-',
  '<<',
  '?',
  '#',
]

/** Scalars YAML reads as something other than the text (1.1 booleans, special floats, dates, tags). */
const NASTY_SCALARS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  '~',
  'null',
  'NULL',
  '.nan',
  '.inf',
  '-.inf',
  '1e400',
  '-0',
  '0x1F',
  '0o17',
  '017',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '!!binary aGVsbG8=',
  '!!timestamp 2024-01-01',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!custom x',
  '!!int "12"',
  '!!float x',
  '9007199254740993',
  '1_000',
  '+12',
  '.5',
  '"\\u0000"',
  "'it''s'",
  '"\\x41"',
  '|\n  text',
  '>-\n  folded',
  '*undefinedAlias',
  '&anchor value',
  '{}',
  '[]',
  '{a: 1, a: 2}',
  '[a, [b, [c]]]',
]

/** Fragments of YAML syntax for the token soup. */
const TOKENS = [
  'name: ',
  'sample:',
  'examples:',
  'schema:',
  'renames:',
  'apps:',
  'description: ',
  'model: ',
  'allowBreaking:',
  'properties:',
  'type: ',
  'required: ',
  '\n',
  '\n  ',
  '\n    ',
  '  ',
  '- ',
  ': ',
  ':',
  ',',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '&a ',
  '*a',
  '&b ',
  '*b',
  '<<: ',
  '? ',
  '|',
  '>',
  '|-\n',
  '#',
  ' # c',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '%TAG ! tag:x:\n',
  '!!str ',
  '!!map ',
  '!!binary ',
  '!x ',
  '\t',
  '\r\n',
  '\r',
  '\u00a0',
  '\ufeff',
  '\u0000',
  '\u2028',
  '\ud83d',
  '😀',
  'x',
  'New Event',
  '1',
  '-1.5',
  'null',
  'true',
  '__proto__',
  'a.b',
  '@',
  '`',
  '%',
  '\\',
  '"\\u00e9"',
  '${x}',
  '*/',
]

const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY_KEYS) }, { weight: 2, arbitrary: fc.string({ maxLength: 8 }) })

/** JSON-ish values with nasty keys and strings that look like other YAML types. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, 1e308, -0),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom(...NASTY_SCALARS),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(key, tie('any'), { maxKeys: 4 }),
  ),
})).any

/** A document of the wrong shape anywhere: wrong types, unknown keys, missing keys. */
const hostileDocument = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 20 }), value),
    description: value,
    apps: value,
    sample: fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), value),
    examples: value,
    schema: value,
    renames: value,
    extra: fc.tuple(key, value),
  },
  { requiredKeys: [] },
)

/** Names that are valid but odd: unicode, punctuation, digits first, reserved words. */
const eventName = fc.oneof(
  fc.constantFrom(
    'New Contact Created',
    'Event',
    'fireEvent',
    'Payload',
    '2fa Enabled',
    '🎉 Party',
    'Café Opened',
    'Cafe\u0301 Opened',
    'a */ b',
    'x`${y}`',
    'Quote " Name',
    'class',
    'new-contact.created',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    'toString',
    '注文 作成',
    'ᛣ rune',
  ),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._'"`$*/-]{0,24}[A-Za-z0-9]$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map((s) => `E ${s.trim()}`.trim()),
)

/** A field override: the keywords authors write, with values that may or may not fit the sample. */
const fieldOverride = fc.record(
  {
    description: fc.string({ maxLength: 30 }),
    format: fc.constantFrom('email', 'date-time', 'uri', 'uuid', 'date', 'no-such-format', null),
    enum: fc.array(value, { maxLength: 3 }),
    type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'null', 'object', 'array', ['string', 'null'], 'text'),
    minLength: fc.integer({ min: -1, max: 5 }),
    nullable: fc.boolean(),
    const: value,
    uniqueItems: fc.boolean(),
  },
  { requiredKeys: [] },
)

/** A document shaped like an event file (so it usually loads), with hostile content. */
const plausibleDocument = fc
  .record(
    {
      name: eventName,
      description: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('ends the comment */ here', 'a `code` ${x}', 'line 1\nline 2', '\u2028 separator', '<script>'),
      ),
      apps: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/), { maxLength: 3 }),
      sample: fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }),
      examples: fc.array(fc.dictionary(key, value, { maxKeys: 5 }), { maxLength: 3 }),
      overrides: fc.array(fc.tuple(fc.nat(), fieldOverride), { maxLength: 3 }),
      renames: fc.dictionary(key, fc.string({ maxLength: 6 }), { maxKeys: 2 }),
    },
    { requiredKeys: ['name', 'sample'] },
  )
  .map(({ overrides, ...document }) => {
    // Overrides aim at the sample's own fields most of the time.
    const fields = Object.keys(document.sample)
    if (overrides === undefined || overrides.length === 0 || fields.length === 0) return document
    const properties: Record<string, unknown> = {}
    for (const [index, override] of overrides) properties[fields[index % fields.length]!] = override
    return { ...document, schema: { properties } }
  })

/** An event-like document: usually of the right shape, sometimes not at all. */
const eventDocument = fc.oneof({ weight: 3, arbitrary: plausibleDocument }, { weight: 1, arbitrary: hostileDocument })

/** How a generated document is written out: block YAML, flow YAML, or JSON (which is YAML). */
const style = fc.constantFrom('block', 'flow', 'json', 'block-anchors')

/** Whole documents: event-like data written out as YAML or JSON. */
export const generatedDocument: fc.Arbitrary<string> = fc.tuple(eventDocument, style).map(([document, how]) => {
  const { extra, ...rest } = document as { extra?: [string, unknown] }
  // Round-tripped through JSON: dictionaries may hold `__proto__` as an own key, which
  // JSON keeps as data; an unknown top-level key is added the same way.
  const data = JSON.parse(JSON.stringify(extra === undefined ? rest : { ...rest, [`x${extra[0]}`]: extra[1] })) as Record<string, unknown>
  switch (how) {
    case 'json':
      return JSON.stringify(data, null, 2)
    case 'flow':
      return stringify(data, { collectionStyle: 'flow', lineWidth: 0 })
    case 'block-anchors':
      // Repeated objects become anchors and aliases.
      return stringify({ ...data, examples: [data['sample'], data['sample']] }, { aliasDuplicateObjects: true })
    default:
      return stringify(data, { aliasDuplicateObjects: false })
  }
})

/** Token soup: YAML-shaped text that is usually invalid, occasionally not. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) }),
    { maxLength: 60 },
  )
  .map((tokens) => `name: Soup\nsample:\n  ${tokens.join('')}`)

/** The real event files this repository has: the dogfood events and every end-to-end case input. */
export function realEventFiles(): Array<{ path: string; bytes: Buffer }> {
  const found: Array<{ path: string; bytes: Buffer }> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.ya?ml$/.test(entry.name) && statSync(path).size <= 64 * 1024)
        found.push({ path: relative(REPO_ROOT, path), bytes: readFileSync(path) })
    }
  }
  walk(join(REPO_ROOT, 'events'))
  for (const entry of readdirSync(join(REPO_ROOT, 'test/cases'))) {
    const input = join(REPO_ROOT, 'test/cases', entry, 'input')
    if (statSync(input, { throwIfNoEntry: false })?.isDirectory()) walk(input)
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1))
}

/** One edit of a file's bytes; positions are fractions of the length so they fit any file. */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'indent'; at: number; by: number }

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fraction }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fraction }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('indent' as const), at: fraction, by: fc.integer({ min: -4, max: 4 }) }),
)

/** Apply `mutations` in order to `bytes`. */
export function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes)
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length)
    switch (m.kind) {
      case 'flip':
        if (out.length > 0) out[at] = out[at]! ^ (1 << m.bit)
        break
      case 'truncate':
        out = out.subarray(0, at)
        break
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.text), out.subarray(at)])
        break
      default: {
        const lines = splitLines(out)
        if (lines.length === 0) break
        const index = Math.floor(m.at * lines.length)
        const line = lines[index]!
        if (m.kind === 'duplicate-line') lines.splice(index, 0, line)
        else if (m.kind === 'delete-line') lines.splice(index, 1)
        else lines[index] = m.by >= 0 ? Buffer.concat([Buffer.alloc(m.by, ' '), line]) : line.subarray(Math.min(-m.by, leadingSpaces(line)))
        out = Buffer.concat(lines)
      }
    }
  }
  return out
}

/** Lines with their line breaks kept. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i + 1))
      start = i + 1
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start))
  return lines
}

function leadingSpaces(line: Buffer): number {
  let count = 0
  while (count < line.length && line[count] === 0x20) count++
  return count
}

/** Fuzz runs per property: `FUZZ_RUNS` when set (a long run), else `normal`. */
export function fuzzRuns(normal: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : normal
}

/** A fixed seed from `FUZZ_SEED` to replay a failure fast-check reported; random otherwise. */
export function fuzzSeed(): { seed?: number } {
  const seed = Number(process.env.FUZZ_SEED)
  return Number.isInteger(seed) ? { seed } : {}
}
