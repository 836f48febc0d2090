/**
 * Generated code in every TypeScript setup a user may have, with no extra configuration:
 * for each setup a throwaway project (its own package.json "type" and tsconfig) whose code
 * imports the generated helpers as that setup writes imports; the real `tsc` compiles the
 * project with `generated/` into `outDir` (no `allowJs`: nothing must be left behind), then
 * a real `node` runs the emitted code, which fires one event at the emulator (port 0) and
 * has a wrong payload rejected locally. Node >= 20.19 is assumed for CommonJS, which
 * `require()`s the ES-module runtime and generated modules.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateFiles, type GeneratedFile } from '../../src/codegen/generate.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { compileSpecs, REPO_ROOT, runProcess, tempProject, TSC, writeTree, type EventSpec } from './support.js'

const KEY = 'tk_setups'

const CONTACT: EventSpec = {
  name: 'New Contact Created',
  apps: ['hubspot'],
  sample: { first_name: 'Jane', email: 'jane@example.com', company: null, tags: ['vip'] },
  examples: [{ first_name: 'Bob', email: 'bob@example.com', company: { name: 'Acme' }, tags: [], nickname: 'bobby' }],
}
const ORDER: EventSpec = { name: 'Order Placed', sample: { order_id: 'ord_1', line_items: [{ sku: 'MUG', quantity: 2 }] } }

/** How user code of each module system imports the generated index and the runtime. */
const ESM_IMPORTS = `import { createClient, PayloadValidationError } from 'refold-events/runtime'
import { fireNewContactCreated, fireEvent, type NewContactCreatedPayload } from './generated/index.mjs'`
const REQUIRE_IMPORTS = `import runtime = require('refold-events/runtime')
import generated = require('./generated/index.mjs')
const { createClient, PayloadValidationError } = runtime
const { fireNewContactCreated, fireEvent } = generated
type NewContactCreatedPayload = generated.NewContactCreatedPayload`

/** The program: a valid fire, a fire through fireEvent, and an invalid payload that never leaves. */
const BODY = `
async function main(): Promise<void> {
  const client = createClient({ apiKey: process.env.KEY!, baseUrl: process.env.URL!, retry: false, validate: 'error' })
  const payload: NewContactCreatedPayload = { first_name: 'Jane', email: 'jane@example.com', company: null, tags: ['vip'] }
  const first = await fireNewContactCreated({ linkedAccountId: process.env.ACCOUNT!, slug: 'hubspot', payload }, client)
  const second = await fireEvent('Order Placed', { linkedAccountId: process.env.ACCOUNT!, payload: { order_id: 'o', line_items: [] } }, client)
  let rejected: string[] = []
  try {
    await fireNewContactCreated({ linkedAccountId: process.env.ACCOUNT!, payload: { ...payload, email: 42 } as unknown as NewContactCreatedPayload }, client)
  } catch (error) {
    if (error instanceof PayloadValidationError) rejected = error.issues.map((issue) => issue.path)
  }
  await client.close()
  process.stdout.write(JSON.stringify({ statuses: [first.status, second.status], rejected }))
}
void main()
`

const STRICT = {
  strict: true,
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
  outDir: 'out',
  rootDir: '.',
}
const PICKY = { verbatimModuleSyntax: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true }

interface Setup {
  name: string
  type: 'module' | 'commonjs'
  compilerOptions: Record<string, unknown>
  imports: string
  /** The emitted entry (`.js` is ESM or CommonJS after the package type). */
  entry: string
}

const SETUPS: Setup[] = [
  { name: 'ESM, module nodenext', type: 'module', compilerOptions: { module: 'nodenext' }, imports: ESM_IMPORTS, entry: 'out/main.js' },
  {
    name: 'ESM, module nodenext, verbatimModuleSyntax + exactOptionalPropertyTypes + noUncheckedIndexedAccess',
    type: 'module',
    compilerOptions: { module: 'nodenext', ...PICKY },
    imports: ESM_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'moduleResolution bundler (module esnext)',
    type: 'module',
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
    imports: ESM_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'moduleResolution bundler, verbatimModuleSyntax + exact + unchecked',
    type: 'module',
    compilerOptions: { module: 'preserve', moduleResolution: 'bundler', ...PICKY },
    imports: ESM_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'CommonJS, module commonjs (NestJS)',
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', esModuleInterop: true },
    imports: ESM_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'CommonJS, module commonjs, verbatimModuleSyntax + exact + unchecked',
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', ...PICKY },
    imports: REQUIRE_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'CommonJS, module nodenext',
    type: 'commonjs',
    compilerOptions: { module: 'nodenext' },
    imports: ESM_IMPORTS,
    entry: 'out/main.js',
  },
  {
    name: 'CommonJS, module nodenext, verbatimModuleSyntax + exact + unchecked',
    type: 'commonjs',
    compilerOptions: { module: 'nodenext', ...PICKY },
    imports: REQUIRE_IMPORTS,
    entry: 'out/main.js',
  },
]

let files: GeneratedFile[]
let emulator: RunningEmulator

beforeAll(async () => {
  files = await generateFiles(await compileSpecs(CONTACT, ORDER))
  emulator = await startEmulator({ port: 0, apiKey: KEY, stateFile: null })
  for (const spec of [CONTACT, ORDER]) {
    const created = await fetch(`${emulator.url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: spec.name, response: JSON.stringify(spec.sample) }),
    })
    expect(created.status).toBe(200)
  }
}, 60_000)

afterAll(async () => {
  await emulator?.close()
})

describe('generated code in every TypeScript setup', () => {
  it('runs on a Node that can require() ES modules (>= 20.19)', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
    expect(major > 20 || (major === 20 && minor >= 19), process.versions.node).toBe(true)
  })

  SETUPS.forEach((setup, index) => {
    it(`${setup.name}: tsc emits everything, node fires through the emulator`, async () => {
      const project = tempProject(`refold-setup-${index}-`)
      writeTree(project, Object.fromEntries(files.map((file) => [`generated/${file.path}`, file.contents])))
      writeFileSync(join(project, 'package.json'), `${JSON.stringify({ private: true, type: setup.type })}\n`)
      writeFileSync(join(project, 'main.ts'), `${setup.imports}\n${BODY}`)
      writeFileSync(
        join(project, 'tsconfig.json'),
        `${JSON.stringify({ compilerOptions: { ...STRICT, ...setup.compilerOptions }, files: ['main.ts'] }, null, 2)}\n`,
      )
      const build = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project })
      expect(build.stdout + build.stderr).toBe('')
      expect(build.code).toBe(0)
      const account = `acct_setup_${index}`
      const run = await runProcess(process.execPath, [setup.entry], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '', KEY, URL: emulator.url, ACCOUNT: account },
        timeoutMs: 30_000,
      })
      expect(run.stderr).toBe('')
      expect(JSON.parse(run.stdout)).toEqual({ statuses: [200, 200], rejected: ['/email'] })
      const fires = emulator.state.fires().filter((fire) => fire.linked_account_id === account)
      expect(fires.map((fire) => fire.event)).toEqual(['New Contact Created', 'Order Placed'])
      expect(fires.every((fire) => fire.schema_errors.length === 0)).toBe(true)
    }, 120_000)
  })
})
