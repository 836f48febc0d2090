/**
 * The published package, the way a user meets it: `npm pack` (which builds through
 * `prepack`) in a copy of this repository, the tarball installed into a fresh project with
 * only its declared dependencies, then the first ten minutes: `init`, `check`, `generate`,
 * `tsc --noEmit` on a file that uses the generated helpers and the config, `sync` and
 * `fire` against the built-in local emulator. The tarball must hold no tests, fixtures or
 * source maps. Prints the package's size and dependency count.
 *
 * Slow (npm, a build, tsc): about half a minute here. npm installs with --prefer-offline,
 * so a warm npm cache needs no network.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, strictTsconfig, TSC } from '../codegen/support.js'
import { expectNoCrash, tempDir } from './support.js'

interface Result {
  code: number
  stdout: string
  stderr: string
}

function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

/** What `npm pack --json` reports of a tarball. */
interface PackReport {
  filename: string
  size: number
  unpackedSize: number
  entryCount: number
  files: Array<{ path: string }>
}

/** Paths that must never ship: tests, fixtures, end-to-end cases, benchmarks, source maps, sources. */
const FORBIDDEN = [
  /(^|\/)(test|tests|__tests__|fixtures|cases|bench|coverage)\//,
  /\.test\.[cm]?[jt]s$/,
  /\.map$/,
  /^src\//,
  /(^|\/)tsconfig[^/]*\.json$/,
  /\.tgz$/,
]

describe('the published package', () => {
  it('packs without tests, installs with its own dependencies, and runs init, generate, tsc, sync and fire', {
    timeout: 300_000,
  }, async () => {
    const figures: string[] = []
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now()
      const result = await work()
      figures.push(`  ${name}: ${Math.round(performance.now() - started)} ms`)
      return result
    }
    const started = performance.now()

    // A copy of the repository as a clean checkout would have it (no dist/), so `prepack` builds.
    const work = tempDir('package')
    const source = join(work, 'source')
    mkdirSync(source)
    for (const entry of ['package.json', 'README.md', 'event-file.schema.json', 'src', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(join(REPO_ROOT, entry), join(source, entry), { recursive: true })
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'), 'dir')
    const packed = await step('npm pack (build included)', () => exec('npm', ['pack', '--json', '--pack-destination', work], source))
    expect(packed.code, packed.stderr).toBe(0)
    const report = (JSON.parse(packed.stdout) as PackReport[])[0]!
    const paths = report.files.map((f) => f.path)

    expect(paths.filter((path) => FORBIDDEN.some((pattern) => pattern.test(path)))).toEqual([])
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'event-file.schema.json',
        'dist/cli/main.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/runtime/index.js',
        'dist/runtime/index.d.ts',
        'dist/runtime/ajv.js',
      ]),
    )
    // The dry run (what CI and reviewers look at) lists the same files.
    const dry = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], source)
    expect((JSON.parse(dry.stdout) as PackReport[])[0]!.files.map((f) => f.path).sort()).toEqual([...paths].sort())

    // A fresh project with nothing but the tarball and what it declares.
    const app = join(work, 'app')
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), '{ "name": "first-ten-minutes", "private": true, "type": "module" }\n')
    const tarball = join(work, report.filename)
    const installed = await step('npm install <tarball>', () =>
      exec('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app),
    )
    expect(installed.code, installed.stderr).toBe(0)
    // No lifecycle script of ours may reach a user's install (npm 11 warns about `prepare`).
    expect(installed.stdout + installed.stderr).not.toMatch(/install-scripts|refold-events@[^\n]*(prepare|install)/)
    const tree = await exec('npm', ['ls', '--omit=dev', '--all', '--parseable'], app)
    const dependencies = tree.stdout.trim().split('\n').length - 1 // the project itself is the first line
    const treeLines = (await exec('npm', ['ls', '--omit=dev', '--all'], app)).stdout.trimEnd().split('\n').length
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(app, 'node_modules/refold-events/package.json'), 'utf8')) as { dependencies: Record<string, string> })
        .dependencies,
    )
    expect(existsSync(join(app, 'node_modules/typescript')), 'typescript must not come along').toBe(false)
    expect(existsSync(join(app, 'node_modules/vitest')), 'dev dependencies must not come along').toBe(false)

    const bin = join(app, 'node_modules/.bin/refold-events')
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, NO_COLOR: '1' }
    const cli = async (args: string[], expected = 0): Promise<Result> => {
      const result = await step(`refold-events ${args.join(' ')}`, () => exec(bin, args, app, env))
      expectNoCrash(result.stdout + result.stderr, args.join(' '))
      expect(result.code, `${args.join(' ')}:\n${result.stdout}${result.stderr}`).toBe(expected)
      return result
    }

    expect((await cli(['--version'])).stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    )
    const init = await cli(['init'])
    expect(init.stdout).toContain('created refold.config.ts')
    await cli(['check'])
    await cli(['generate'])
    expect(existsSync(join(app, 'generated/index.mts'))).toBe(true)

    // The user's own code against the generated helpers, and the config file, under strict tsc.
    const eventFile = join(app, 'events/new-contact-created.yaml')
    const event = parse(readFileSync(eventFile, 'utf8')) as { name: string; sample: Record<string, unknown> }
    writeFileSync(
      join(app, 'usage.ts'),
      `import { createClient } from 'refold-events/runtime'
import { eventNames, fireEvent } from './generated/index.mjs'
const client = createClient({ baseUrl: 'http://127.0.0.1:4010', apiKey: 'tk_emulator' })
export async function welcome(): Promise<number> {
  const result = await fireEvent(${JSON.stringify(event.name)}, { linkedAccountId: 'acct_1', payload: ${JSON.stringify(event.sample)} }, client)
  return result.status
}
// @ts-expect-error the payload lacks every required field
export const wrong = () => fireEvent(${JSON.stringify(event.name)}, { linkedAccountId: 'acct_1', payload: {} }, client)
export const names: readonly string[] = eventNames
`,
    )
    // A Node backend has @types/node (the runtime's declarations use node:util, AbortSignal and
    // undici's types); taken from this repository rather than installed, to stay offline.
    const nodeTypes = { types: ['node'], typeRoots: [join(REPO_ROOT, 'node_modules/@types')] }
    writeFileSync(
      join(app, 'tsconfig.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext', ...nodeTypes }, ['usage.ts', 'refold.config.ts']),
    )
    const tsc = await step('tsc --noEmit', () => exec(TSC, ['-p', 'tsconfig.json'], app))
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.code).toBe(0)

    // sync and fire on the built-in local environment: the embedded emulator, no account.
    const synced = await cli(['sync'])
    expect(synced.stdout).toMatch(/^Plan for local \(http:\/\/127\.0\.0\.1:\d+\)/)
    expect(existsSync(join(app, '.refold/emulator.json'))).toBe(true)
    const fired = await cli(['fire', event.name, '--account', 'acct_1'])
    expect(fired.stdout).toContain(`Fired "${event.name}" for account acct_1 on local: 200`)
    await cli(['sync', '--dry-run', '--detailed-exitcode'])

    figures.unshift(
      `tarball ${report.filename}: ${(report.size / 1024).toFixed(1)} KB packed, ${(report.unpackedSize / 1024).toFixed(1)} KB unpacked, ${report.entryCount} files`,
      `dependencies: ${declared.length} declared (${declared.join(', ')}), ${dependencies} packages installed (npm ls --omit=dev --all | wc -l: ${treeLines}), node_modules ${(duSize(join(app, 'node_modules')) / (1024 * 1024)).toFixed(1)} MB`,
    )
    figures.push(`  total: ${Math.round(performance.now() - started)} ms`)
    console.log(`published package:\n${figures.join('\n')}`)
  })
})

/** Bytes of the files under `dir` (apparent size). */
function duSize(dir: string): number {
  let total = 0
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) total += statSync(path).size
    }
  }
  walk(dir)
  return total
}
