/**
 * Process-level behaviour, checked in child processes running the compiled runtime:
 * importing it loads no heavy package, a process that fired exits on its own (no socket,
 * timer or handle left behind, with or without `close()`), and a missing key fails at the
 * first fire, not at import.
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_KEY } from './support/fake-clock.js'
import { fired, startServer, waitFor, type TestServer } from './support/http-server.js'

const root = resolve(import.meta.dirname, '../..')
// Under test/ so the child resolves `undici` from the project's node_modules; ignored by git.
const outDir = join(root, 'test/runtime/tmp', `lifecycle-${process.pid}`)
let server: TestServer

const CHILD = `
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const heavy = () => [...new Set(Object.keys(require.cache)
  .map((file) => /node_modules\\/(undici|ajv|ajv-formats|yaml|commander|json-schema-to-typescript)\\//.exec(file)?.[1])
  .filter(Boolean))].sort()
const mode = process.argv[2]
const runtime = await import('./runtime/index.js')
const report = { afterImport: heavy() }
const client = mode === 'default' ? runtime.getDefaultClient() : runtime.createClient()
try {
  const result = await client.fire({ event: 'Exit Test', linkedAccountId: 'acct', payload: { ok: true } })
  report.result = result
} catch (error) {
  report.error = { name: error.name, problem: error.problem, message: error.message }
}
report.afterFire = heavy()
if (mode === 'close') {
  await client.close()
  report.resources = process.getActiveResourcesInfo().filter((r) => /TCP|Timeout|Immediate/.test(r))
}
process.stdout.write(JSON.stringify(report))
`

interface ChildReport {
  afterImport: string[]
  afterFire: string[]
  result?: { status: number; attempts: number }
  error?: { name: string; problem?: string; message: string }
  resources?: string[]
}

/** Runs the child; resolves with its report, or rejects if it does not exit on its own within the bound. */
function runChild(mode: string, env: Record<string, string>): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', ...env }
    execFile(
      process.execPath,
      [join(outDir, 'child.mjs'), mode],
      { env: childEnv, timeout: 20_000, cwd: outDir },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child (${mode}) did not exit cleanly: ${error.message} (signal ${String(error.signal)})\n${stderr}`))
        else resolvePromise(JSON.parse(stdout) as ChildReport)
      },
    )
  })
}

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true })
  const tsc = spawnSync(
    join(root, 'node_modules/.bin/tsc'),
    [
      '--ignoreConfig',
      'src/runtime/index.ts',
      '--outDir',
      outDir,
      '--rootDir',
      'src',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
      '--strict',
    ],
    { cwd: root, encoding: 'utf8' },
  )
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`)
  writeFileSync(join(outDir, 'child.mjs'), CHILD)
  server = await startServer((_r, res) => fired(res))
})

afterAll(async () => {
  await server?.close()
  rmSync(outDir, { recursive: true, force: true })
})

describe('runtime in a real process', () => {
  it('imports without loading undici, ajv, yaml or commander; undici arrives with the first fire', async () => {
    const report = await runChild('close', { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: server.url })
    expect(report.afterImport).toEqual([])
    expect(report.afterFire).toEqual(['undici'])
    expect(report.result).toMatchObject({ status: 200, attempts: 1 })
  })

  it('after close(), no socket or timer is left', async () => {
    const report = await runChild('close', { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: server.url })
    expect(report.resources).toEqual([])
  })

  it('exits on its own after firing even without close(), and its socket closes', async () => {
    const before = server.sockets.accepted
    const report = await runChild('keep', { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: server.url })
    expect(report.result?.status).toBe(200)
    expect(server.sockets.accepted).toBe(before + 1)
    await waitFor(() => server.sockets.open === 0, 'the child socket to close')
  })

  it('the default client without REFOLD_API_KEY: import and getDefaultClient work, the first fire rejects', async () => {
    const report = await runChild('default', { REFOLD_BASE_URL: server.url })
    expect(report.error).toMatchObject({ name: 'RefoldConfigurationError', problem: 'missing_api_key' })
    expect(report.error?.message).toContain('REFOLD_API_KEY')
  })

  it('the default client fires from the environment', async () => {
    const report = await runChild('default', { REFOLD_API_KEY: TEST_KEY, REFOLD_BASE_URL: server.url })
    expect(report.result?.status).toBe(200)
  })
})
