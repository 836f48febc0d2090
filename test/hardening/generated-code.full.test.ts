/**
 * Hostile names and texts through `generate`, the real `tsc` and a real `node`, and unicode
 * event names through sync and fire to the emulator:
 * - field names that are no identifiers (`first-name`, `2fa`, emoji) type-check as written;
 * - names, descriptions and enum values holding `*\/`, backticks, quotes, `${`, backslashes,
 *   line and paragraph separators compile, inject nothing, and come back byte for byte;
 * - names with accents (composed and decomposed), CJK, right-to-left text, emoji with joiners,
 *   zero-width characters and Object.prototype names reach Refold byte-exact, whether pushed by
 *   sync, fired by the CLI or fired by the generated helpers.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import type { JsonObject } from '../../src/types.js'
import { runProcess, strictTsconfig, tempProject, TSC } from '../codegen/support.js'
import { cli, expectNoCrash, writeFiles } from './support.js'

const KEY = 'tk_generated_code_test'
const TRICKY_TEXT =
  'Ends the comment */ export const pwned = 1; /* `${(globalThis as any).pwned = 1}` "dq" \'sq\' \\ back\nsecond line\u2028LS\u2029PS </script> <!--'

interface Spec {
  file: string
  name: string
  description?: string
  sample: JsonObject
  schema?: JsonObject
  previousNames?: string[]
}

const FIELDS: Spec = {
  file: 'fields',
  name: 'Field Names',
  sample: {
    'first-name': 'Jane',
    '2fa': true,
    '🎉': 3,
    'with space': 'x',
    'a"b': 1,
    'back`tick': 't',
    'dollar${x}': 'd',
    '*/': 'c',
    ünïcode: 'u',
    class: 'k',
    '0': 'zero',
    'new\nline': 'n',
  },
}

const INJECTION: Spec = {
  file: 'injection',
  name: 'Inject */ `${globalThis.pwned = 1}` "dq" \'sq\' \\ end',
  description: TRICKY_TEXT,
  sample: { note: '*/ x', [TRICKY_TEXT.slice(0, 40)]: 1 },
  schema: { properties: { note: { description: TRICKY_TEXT, enum: ['*/ x', '`${y}`', '"q"', 'a\nb', '\u2028'] } } },
  // Written into the helper and the index as string literals too.
  previousNames: ['Old */ `${globalThis.pwned = 2}` "dq" \'sq\' \\ end', 'toString'],
}

/** Names that must arrive exactly as written: no normalisation, no escaping, no case folding. */
const UNICODE_NAMES = [
  'Ünïcödé Ñame Créé', // composed (NFC)
  'Re\u0301sume\u0301 Sent', // decomposed (NFD): must stay decomposed
  '注文 作成',
  'طلب جديد',
  '👩‍💻 Developer Joined',
  'Zero\u200bWidth Joined',
  'Straße Geändert',
  'constructor',
  '__proto__',
  'hasOwnProperty',
]
const UNICODE: Spec[] = UNICODE_NAMES.map((name, i) => ({ file: `unicode-${i}`, name, sample: { index: i, label: name } }))
const SPECS = [FIELDS, INJECTION, ...UNICODE]

let project: string
let emulator: RunningEmulator

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, stateFile: null, seed: 1 })
  project = tempProject('refold-hardening-gen-')
  // JSON is YAML; JSON.stringify writes non-ASCII characters as raw UTF-8.
  writeFiles(project, Object.fromEntries(SPECS.map(({ file, ...spec }) => [`events/${file}.yaml`, `${JSON.stringify(spec, null, 2)}\n`])))
  const result = await cli(['generate'], project)
  expectNoCrash(result.stdout + result.stderr)
  if (result.code !== 0) throw new Error(`generate failed:\n${result.stderr}`)
}, 120_000)

afterAll(async () => {
  await emulator?.close()
})

describe('generated code from hostile names and texts', () => {
  it('type-checks strictly, field names usable as written', async () => {
    writeFileSync(
      join(project, 'usage.ts'),
      `import type { FieldNamesPayload, RefoldEventName } from './generated/index.mjs'
export const ok: FieldNamesPayload = ${JSON.stringify(FIELDS.sample)}
// @ts-expect-error "2fa" is a boolean
export const wrongType: FieldNamesPayload = { ...ok, "2fa": "yes" }
// @ts-expect-error no such field
export const extra: FieldNamesPayload = { ...ok, "first_name": "Jane" }
export const names: RefoldEventName[] = ${JSON.stringify(SPECS.map((s) => s.name))}
`,
    )
    writeFileSync(
      join(project, 'tsconfig.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['usage.ts', 'generated/index.mts']),
    )
    const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project })
    expect(result.stdout + result.stderr).toBe('')
    expect(result.code).toBe(0)
  }, 120_000)

  it('every text comes back byte for byte from the schema files', async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const file = readdirSync(join(project, 'generated/schemas')).find((name) => name.startsWith('inject-'))!
    const schema = JSON.parse(readFileSync(join(project, 'generated/schemas', file), 'utf8')) as Record<string, any>
    expect(schema.description).toBe(TRICKY_TEXT)
    expect(schema.properties.note.description).toBe(TRICKY_TEXT)
    expect(schema.properties.note.enum).toEqual(['*/ x', '`${y}`', '"q"', 'a\nb', '\u2028'])
    expect(Object.keys(schema.properties)).toEqual(Object.keys(INJECTION.sample))
  })

  it('compiled and run, the module injects nothing and fires every event under its exact name', async () => {
    const build = await runProcess(
      TSC,
      [
        '--ignoreConfig',
        'generated/index.mts',
        '--outDir',
        'out',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
      ],
      { cwd: project },
    )
    expect(build.stdout + build.stderr).toBe('')
    writeFileSync(join(project, 'samples.json'), JSON.stringify(Object.fromEntries(SPECS.map((s) => [s.name, s.sample]))))
    writeFileSync(
      join(project, 'run.mjs'),
      `import { readFileSync } from 'node:fs'
const samples = JSON.parse(readFileSync('samples.json', 'utf8'))
const module = await import('./out/index.mjs')
const seen = []
const client = { fire: async (args, validate) => { seen.push({ event: args.event, valid: validate(args.payload) }); return { status: 200, message: '', attempts: 1 } } }
for (const name of module.eventNames) await module.fireEvent(name, { linkedAccountId: 'a', payload: samples[name] }, client)
process.stdout.write(JSON.stringify({ exports: Object.keys(module).sort(), pwned: globalThis.pwned ?? null, eventNames: module.eventNames, seen }))
`,
    )
    const run = await runProcess(process.execPath, ['run.mjs'], { cwd: project, timeoutMs: 30_000 })
    expect(run.stderr).toBe('')
    const report = JSON.parse(run.stdout) as {
      exports: string[]
      pwned: unknown
      eventNames: string[]
      seen: Array<{ event: string; valid: boolean }>
    }
    expect(report.pwned).toBeNull()
    expect(
      report.exports.filter((name) => !/^((fire|validate)[\p{L}\p{N}]+|eventNames|eventPreviousNames|payloadValidators)$/u.test(name)),
    ).toEqual([])
    expect(report.exports).not.toContain('pwned')
    expect([...report.eventNames].sort()).toEqual(SPECS.map((s) => s.name).sort())
    expect(report.seen).toEqual(report.eventNames.map((event) => ({ event, valid: true })))
    for (const { event } of report.seen) expect(SPECS.some((s) => Buffer.from(s.name).equals(Buffer.from(event)))).toBe(true)
  }, 120_000)
})

describe('unicode and prototype names reach Refold byte-exact', () => {
  const env = (): Record<string, string> => ({ REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: KEY })
  const bytes = (text: string): string => Buffer.from(text).toString('hex')

  it('sync creates each event under its exact name, and a rerun finds nothing to do', async () => {
    const synced = await cli(['sync'], project, { env: env() })
    expectNoCrash(synced.stdout + synced.stderr)
    expect(synced.code, synced.stdout + synced.stderr).toBe(0)
    const remote = emulator.state.events().map((e) => e.name)
    expect(remote.map(bytes).sort()).toEqual(SPECS.map((s) => bytes(s.name)).sort())
    for (const spec of UNICODE)
      expect(JSON.parse(emulator.state.events().find((e) => e.name === spec.name)!.raw_response)).toEqual(spec.sample)
    const again = await cli(['sync', '--dry-run', '--detailed-exitcode'], project, { env: env() })
    expect(again.code, again.stdout).toBe(0)
  }, 60_000)

  it('the CLI fires each under its exact name', async () => {
    for (const spec of UNICODE) {
      const fired = await cli(['fire', spec.name, '--account', 'acct_cli'], project, { env: env() })
      expect(fired.code, fired.stderr).toBe(0)
    }
    const received = emulator.state.fires().filter((f) => f.linked_account_id === 'acct_cli')
    expect(received.map((f) => bytes(f.event))).toEqual(UNICODE.map((s) => bytes(s.name)))
    expect(received.map((f) => f.payload)).toEqual(UNICODE.map((s) => s.sample))
  }, 60_000)

  it('the generated helpers fire each under its exact name through the real client', async () => {
    writeFileSync(
      join(project, 'fire.mjs'),
      `import { readFileSync } from 'node:fs'
import { createClient } from 'refold-events/runtime'
import { fireEvent } from './out/index.mjs'
const samples = JSON.parse(readFileSync('samples.json', 'utf8'))
const client = createClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, retry: false })
for (const name of JSON.parse(process.argv[2])) await fireEvent(name, { linkedAccountId: 'acct_generated', payload: samples[name] }, client)
await client.close()
`,
    )
    const names = UNICODE.map((s) => s.name)
    const run = await runProcess(process.execPath, ['fire.mjs', JSON.stringify(names)], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', KEY, URL: emulator.url },
      timeoutMs: 30_000,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const received = emulator.state.fires().filter((f) => f.linked_account_id === 'acct_generated')
    expect(received.map((f) => bytes(f.event))).toEqual(names.map(bytes))
    expect(received.every((f) => f.schema_errors.length === 0)).toBe(true)
  }, 60_000)
})
