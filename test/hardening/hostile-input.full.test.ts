/**
 * Hostile event files, one test each, through the real CLI (in-process) and the library:
 * alias bombs, absurd nesting, huge arrays and files at the size bound, prototype names as
 * fields, ambiguous dotted fields, misspelled formats, and positions after syntax errors.
 * Each ends in a result or in errors naming `file:line:column`; none crashes or hangs.
 * (Inference alone on 10,000-level and 100,000-item inputs: test/infer/infer-scale.test.ts.)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { terminalSafe } from '../../src/cli/terminal-safe.js'
import { compileDefinitions, MAX_DEFINITION_DEPTH, MAX_SCHEMA_DEPTH } from '../../src/compile/compile-project.js'
import { DEFAULT_MAX_FILE_BYTES } from '../../src/config/define-config.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { startEmulator } from '../../src/emulator/index.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { EventDefinition, JsonObject, JsonValue } from '../../src/types.js'
import { exceedsDepth } from '../../src/util/json-depth.js'
import { REPO_ROOT, runProcess, tempProject, TSC } from '../codegen/support.js'
import { cli, expectNoCrash, onCleanup, tempDir, writeFiles } from './support.js'

/** A project folder holding `files`, checked with the real CLI. */
async function check(
  files: Record<string, string | Uint8Array>,
  argv = ['check'],
): Promise<{ code: number; stdout: string; stderr: string; dir: string }> {
  const dir = tempDir()
  writeFiles(dir, files)
  const result = await cli(argv, dir)
  expectNoCrash(result.stdout + result.stderr)
  return { ...result, dir }
}

function nested(depth: number, leaf: JsonValue): JsonValue {
  let value = leaf
  for (let level = 0; level < depth; level++) value = level % 3 === 2 ? [value] : { level: value }
  return value
}

function definition(sample: JsonObject, extra: Partial<EventDefinition> = {}): EventDefinition {
  return {
    name: 'Deep',
    identifier: 'Deep',
    file: 'events/deep.yaml',
    sample,
    examples: [],
    renames: {},
    allowBreaking: [],
    locations: {},
    ...extra,
  }
}

describe('positions', () => {
  it('stay right after a syntax error inside a multi-line block scalar', async () => {
    // The leading space makes `name` a different indentation from the rest: the parser
    // swallows the block scalar into one token while recovering.
    const text = ' name: Order Placed\ndescription: |\n  A customer placed an order.\n  Second line.\nsample:\n  order_id: x\n'
    const parsed = await parseEventFile(text, 'events/a.yaml')
    const lines = text.split('\n')
    for (const d of parsed.diagnostics) expect(d.column, JSON.stringify(d)).toBeLessThanOrEqual(lines[d.line - 1]!.length + 1)
    // One error, at the line indented by mistake; the parser's cascade after it is not shown.
    expect(parsed.diagnostics).toMatchObject([{ line: 1, column: 2, message: expect.stringContaining('line 1 is indented 1 space') }])
  })
})

describe('alias bombs', () => {
  const laughs = (key: string): string =>
    `${key}:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n` +
    Array.from({ length: 9 }, (_, i) => `  a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n') +
    '\n'

  it('billion laughs in the sample: one error at the alias that crosses the bound, no event', async () => {
    const { code, stderr } = await check({ 'events/bomb.yaml': `name: Bomb\n${laughs('sample')}` })
    expect(code).toBe(1)
    expect(stderr).toMatch(/^events\/bomb\.yaml:\d+:\d+: error: aliases expand to more than 10000 nodes \(an alias bomb\?\)/)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
  })

  it('billion laughs in the schema override and through merge keys: the same bound', async () => {
    const merges =
      'name: Merge Bomb\nsample:\n  m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n' +
      Array.from({ length: 8 }, (_, i) => `  m${i + 1}: &m${i + 1} {x${i}: [${Array(12).fill(`*m${i}`).join(', ')}], <<: *m${i}}`).join(
        '\n',
      ) +
      '\n'
    const { code, stderr } = await check(
      {
        'events/schema-bomb.yaml': `name: Schema Bomb\nsample: {id: 1}\n${laughs('schema')}`,
        'events/merge-bomb.yaml': merges,
      },
      ['generate'],
    )
    expect(code).toBe(1)
    expect(stderr).toMatch(/events\/merge-bomb\.yaml:\d+:\d+: error: aliases expand to more than 10000 nodes/)
    expect(stderr).toMatch(/events\/schema-bomb\.yaml:\d+:\d+: error: aliases expand to more than 10000 nodes/)
  })

  it('anchors used sparingly still work', async () => {
    const { code, stderr } = await check({
      'events/ok.yaml': 'name: Anchored\nsample:\n  billing: &addr {city: Berlin}\n  shipping: *addr\n',
    })
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})

describe('nesting 10,000 levels deep', () => {
  it('in a file, as flow and as block lists: one clear error per file, no stack overflow', async () => {
    const { code, stderr } = await check(
      {
        'events/flow.yaml': `name: Flow\nsample:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
        'events/flow-map.yaml': `name: Flow Map\nsample: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
        'events/block.yaml': `name: Block\nsample:\n  x:\n    ${'- '.repeat(10_000)}1\n`,
      },
      ['generate'],
    )
    expect(code).toBe(1)
    const lines = stderr.trimEnd().split('\n')
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^events\/block\.yaml:\d+:\d+: error: nested too deeply/),
      expect.stringMatching(/^events\/flow-map\.yaml:\d+:\d+: error: nested too deeply/),
      expect.stringMatching(/^events\/flow\.yaml:\d+:\d+: error: nested too deeply/),
    ])
    expect(lines).toHaveLength(4) // and "1 error..." summary of generate
  })

  it('handed to the library: compile reports it as an error instead of overflowing', async () => {
    const deep = definition({ root: nested(10_000, 1) })
    const deepExample = definition(
      { id: 1 },
      { examples: [{ id: 2 }, { id: 3, tree: nested(10_000, 'x') }], locations: { '/examples/1': { line: 9, column: 5 } } },
    )
    const result = await compileDefinitions([deep, deepExample], DEFAULT_INFER_OPTIONS)
    expect(result.events).toEqual([])
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      `1:1 sample is nested more than ${MAX_DEFINITION_DEPTH} levels deep; expected a flatter payload (Refold reads fields by dotted path)`,
      `9:5 examples[1] is nested more than ${MAX_DEFINITION_DEPTH} levels deep; expected a flatter payload (Refold reads fields by dotted path)`,
    ])
  })

  it('the deepest payload a file can hold compiles and generates', async () => {
    // The loader allows 64 levels; the sample sits one below the document.
    let leaf: JsonValue = { n: 1 }
    for (let level = 0; level < 62; level++) leaf = { node: leaf }
    const result = await compileDefinitions([definition({ root: leaf }, { examples: [{ root: null }] })], DEFAULT_INFER_OPTIONS)
    expect(result.diagnostics).toEqual([])
    expect(exceedsDepth(result.events[0]!.schema, MAX_SCHEMA_DEPTH)).toBe(false)
    const files = await generateFiles(result.events)
    expect(files.find((f) => f.path === 'events/deep.mts')?.contents).toContain('export interface DeepPayload')
  })

  it('a definition built in code with a 10,000-level override: compile refuses it at its line (the one gate), never a RangeError', async () => {
    let schema: Record<string, unknown> = { type: 'string' }
    for (let level = 0; level < 10_000; level++) schema = { type: 'object', properties: { child: schema } }
    const result = await compileDefinitions(
      [definition({}, { schema, locations: { '/schema': { line: 4, column: 1 } } })],
      DEFAULT_INFER_OPTIONS,
    )
    expect(result.events).toEqual([])
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      [
        'error',
        4,
        `schema is nested more than ${MAX_DEFINITION_DEPTH} levels deep; expected a flatter payload (Refold reads fields by dotted path)`,
      ],
    ])
  })
})

describe('size', () => {
  it('an array of 100,000 items: checked, generated, and its validator accepts the sample', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `    - {sku: s${i}, qty: ${i % 9}${i % 2 === 0 ? ', gift: true' : ''}}`).join(
      '\n',
    )
    const { code, stderr, dir } = await check({ 'events/wide.yaml': `name: Wide Order\nsample:\n  items:\n${items}\n` }, ['generate'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const schema = JSON.parse(readFileSync(join(dir, 'generated/schemas/wide-order.schema.json'), 'utf8')) as {
      properties: { items: unknown }
    }
    expect(schema.properties.items).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, qty: { type: 'integer' }, gift: { type: 'boolean' } },
        required: ['sku', 'qty'],
      },
    })
  }, 120_000)

  it('a sample of exactly the 5 MB bound loads; one byte more is an error saying what to do', async () => {
    const head = 'name: Big Sample\nsample:\n  id: evt_1\n  blob: "'
    const tail = '"\n'
    const fill = DEFAULT_MAX_FILE_BYTES - Buffer.byteLength(head) - Buffer.byteLength(tail)
    const atBound = `${head}${'x'.repeat(fill)}${tail}`
    expect(Buffer.byteLength(atBound)).toBe(DEFAULT_MAX_FILE_BYTES)
    const ok = await check({ 'events/big.yaml': atBound })
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    const over = await check({ 'events/big.yaml': `${head}${'x'.repeat(fill + 1)}${tail}` })
    expect(over.code).toBe(1)
    expect(over.stderr).toMatch(
      /^events\/big\.yaml:1:1: error: file is 5\.0 MB, over the 5 MB limit for event files; .*maxFileBytes in refold\.config\.ts/,
    )
  }, 120_000)
})

describe('prototype names as fields', () => {
  const protoEvent = `name: Proto Fields
sample:
  __proto__: {polluted: "yes", isAdmin: true}
  constructor: {prototype: {polluted: 1}}
  prototype: 3
  hasOwnProperty: x
  toString: y
schema:
  properties:
    __proto__:
      description: Looks like the prototype, is a field.
      properties:
        polluted: {enum: ["yes", "no"]}
    constructor: {properties: {prototype: {properties: {polluted: {minimum: 0}}}}}
    hasOwnProperty: {minLength: 1}
`

  it('survive check, generate and the deep merge without polluting any prototype', async () => {
    const { code, stderr, dir } = await check({ 'events/proto.yaml': protoEvent }, ['generate'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(typeof {}.hasOwnProperty).toBe('function')
    const schema = JSON.parse(readFileSync(join(dir, 'generated/schemas/proto-fields.schema.json'), 'utf8')) as Record<string, any>
    expect(Object.keys(schema.properties)).toEqual(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'])
    expect(schema.properties.__proto__.description).toBe('Looks like the prototype, is a field.')
    expect(schema.properties.__proto__.properties.polluted.enum).toEqual(['yes', 'no'])
    // ajv skips `properties.__proto__`; the pattern that stands in for it carries the override too.
    expect(schema.patternProperties['^__proto__$']).toEqual(schema.properties.__proto__)
    const index = readFileSync(join(dir, 'generated/events/proto-fields.mts'), 'utf8')
    expect(index).toMatch(/^ {2}__proto__: ProtoFieldsProto$/m)
    expect(index).toMatch(/^ {2}hasOwnProperty: string$/m)
  })

  it('an override constraint on a __proto__ field is enforced on the samples', async () => {
    const { code, stderr } = await check({
      'events/proto.yaml':
        'name: Proto Enum\nsample:\n  __proto__: {polluted: "yes"}\nschema:\n  properties:\n    __proto__: {properties: {polluted: {enum: ["no"]}}}\n',
    })
    expect(code).toBe(1)
    expect(stderr).toBe(
      'events/proto.yaml:3:15: error: sample.__proto__.polluted does not match the schema: expected one of "no", got "yes"\n',
    )
  })
})

describe('payload data with fields named toString and valueOf', () => {
  // fast-deep-equal, ajv's helper for enum, const and uniqueItems, calls such fields.
  const event = `name: Tagged
sample:
  tags: [{toString: null, id: 1}, {valueOf: 2, id: 2}]
  pick: {toString: x}
schema:
  properties:
    tags: {uniqueItems: true}
    pick: {enum: [{toString: x}, {}]}
`

  it('check validates the samples instead of crashing', async () => {
    const { code, stderr } = await check({
      'events/tagged.yaml': event,
      'events/fuzzed.yaml':
        'name: Fuzzed\nsample:\n  "":\n    toString: null\nschema:\n  properties:\n    "":\n      enum:\n        - {}\n',
    })
    expect(code).toBe(1)
    const errors = stderr.split('\n').filter((line) => line.includes(': error: '))
    // tagged.yaml's samples do fit (distinct items, a listed object); fuzzed.yaml's does not.
    expect(errors).toEqual(['events/fuzzed.yaml:3:3: error: sample[""] does not match the schema: expected one of {}, got an object'])
  })

  it('generated validators, the fire command and the emulator answer instead of throwing', async () => {
    const dir = tempProject('refold-hardening-equal-')
    writeFiles(dir, { 'events/tagged.yaml': event })
    expect((await cli(['generate'], dir)).code).toBe(0)
    // The validator module as tsc emits it (TypeScript in, an ES module out, no allowJs).
    const build = await runProcess(
      TSC,
      [
        '--ignoreConfig',
        'generated/events/tagged.validate.mts',
        '--outDir',
        'out',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
      ],
      { cwd: dir },
    )
    expect(build.stdout + build.stderr).toBe('')
    writeFiles(dir, {
      'check.mjs': `import { validateTagged } from './out/tagged.validate.mjs'
const valid = { tags: [{ toString: null, id: 1 }, { valueOf: 2, id: 2 }], pick: { toString: 'x' } }
const duplicate = { tags: [{ toString: null, id: 1 }, { toString: null, id: 1 }], pick: {} }
const notInEnum = { tags: [{ valueOf: 1 }], pick: { valueOf: 'y' } }
process.stdout.write(JSON.stringify([validateTagged(valid), validateTagged(duplicate), validateTagged(notInEnum)]))
`,
    })
    const run = await runProcess(process.execPath, ['check.mjs'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual([true, false, false])

    const emulator = await startEmulator({ port: 0, apiKey: 'tk_equal', stateFile: null })
    onCleanup(() => emulator.close())
    const env = { REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: 'tk_equal' }
    expect((await cli(['sync'], dir, { env })).code).toBe(0)
    const fired = await cli(
      ['fire', 'Tagged', '--account', 'a', '--payload', '{"tags": [{"valueOf": 1}, {"valueOf": 1}], "pick": {}}'],
      dir,
      { env },
    )
    expectNoCrash(fired.stdout + fired.stderr)
    expect(fired.code).toBe(1)
    expect(fired.stderr).toMatch(/^error: payload for event "Tagged" does not match its schema/m)
    expect(fired.stderr).toMatch(/^ {2}\/tags: must NOT have duplicate items/m)
    // Sent past the CLI's own check: the emulator's schema check must answer, not fail.
    const direct = await fetch(`${emulator.url}/api/v2/public/event/trigger`, {
      method: 'POST',
      headers: { 'x-api-key': 'tk_equal', linked_account_id: 'a', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'Tagged', payload: { tags: [{ toString: 1 }, { toString: 1 }], pick: { valueOf: 0 } } }),
    })
    expect(direct.status).toBe(200)
    expect(emulator.state.fires().at(-1)?.schema_errors.length).toBeGreaterThan(0)
  }, 60_000)
})

describe('fields Refold cannot tell apart', () => {
  it('a literal "a.b" beside a nested a.b is an error, whether in the sample, an example or the override', async () => {
    const { code, stderr } = await check({
      'events/in-sample.yaml': 'name: In Sample\nsample:\n  a: {b: 1}\n  a.b: 2\n',
      'events/in-example.yaml': 'name: In Example\nsample:\n  a: {b: 1}\nexamples:\n  - {a: {b: 1}, a.b: 2}\n',
      'events/in-override.yaml': 'name: In Override\nsample:\n  a: {b: 1}\nschema:\n  properties:\n    a.b: {type: integer}\n',
    })
    expect(code).toBe(1)
    const message = `is ambiguous: Refold's trigger variable {{event.a.b}} also names the field "b" inside "a"; rename one of them`
    expect(stderr.trimEnd().split('\n')).toEqual([
      `events/in-example.yaml:5:17: error: field "a.b" ${message}`,
      `events/in-override.yaml:6:5: error: field "a.b" ${message}`,
      `events/in-sample.yaml:4:3: error: field "a.b" ${message}`,
    ])
  })
})

describe('formats', () => {
  it('a misspelled format in an override is an error with a suggestion, not a silently ignored constraint', async () => {
    const { code, stderr } = await check({
      'events/a.yaml': 'name: Signed Up\nsample:\n  email: a@b.example\nschema:\n  properties:\n    email: {format: emial}\n',
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(
      /^events\/a\.yaml:6:13: error: schema\.properties\.email\.format: unknown format "emial" \(did you mean "email"\?\); expected one of date, time, date-time, /,
    )
  })
})

describe('control characters', () => {
  /** C0 and C1 controls other than line feed and tab. */
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

  it('an event name in YAML may not hold one (it would be pushed to Refold and printed everywhere)', async () => {
    const { code, stderr } = await check({ 'events/a.yaml': 'name: "Evil \\e[2J Name"\nsample:\n  id: 1\n' })
    expect(code).toBe(1)
    expect(stderr).toBe(
      'events/a.yaml:1:1: error: name: expected the event name on one line, without leading or trailing spaces or control characters, got "Evil \\u001b[2J Name"\n',
    )
  })

  it('names from a Refold server reach the terminal escaped (pull and sync, the real binary)', async () => {
    const emulator = await startEmulator({ port: 0, apiKey: 'tk_terminal', stateFile: null })
    onCleanup(() => emulator.close())
    for (const name of ['Clear \u001b[2J\u001b]0;retitled\u0007 Screen', 'Carriage\rReturn']) {
      const created = await fetch(`${emulator.url}/api/v2/public/application/event`, {
        method: 'POST',
        headers: { 'x-api-key': 'tk_terminal', 'content-type': 'application/json' },
        body: JSON.stringify({ name, response: JSON.stringify({ id: 1 }) }),
      })
      expect(created.status).toBe(200)
    }
    const dir = tempDir()
    writeFiles(dir, { 'events/a.yaml': 'name: Plain Event\nsample:\n  id: 1\n' })
    const env = { PATH: process.env.PATH ?? '', REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: 'tk_terminal' }
    for (const args of [['pull'], ['sync', '--dry-run']]) {
      const result = await runProcess(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), ...args], { cwd: dir, env })
      expect(result.code, result.stderr).toBe(0)
      const output = result.stdout + result.stderr
      expect(output).not.toMatch(CONTROL)
      expect(output).toMatch(/Carriage\\u000dReturn/)
    }
  })

  it('the CLI keeps its own colours and progress redraw, and escapes everything else', () => {
    expect(terminalSafe('\u001b[31merror:\u001b[0m plain')).toBe('\u001b[31merror:\u001b[0m plain')
    expect(terminalSafe('\r\u001b[2KApplying 3/10')).toBe('\r\u001b[2KApplying 3/10')
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc')
    expect(terminalSafe('x\r\u001b[2Ky \u001b]0;t\u0007 \u009b')).toBe('x\\u000d\\u001b[2Ky \\u001b]0;t\\u0007 \\u009b')
  })
})
