/**
 * End-to-end cases: the built CLI (`node dist/cli/main.js`) run as a child process in a
 * temporary copy of each `test/cases/<name>/input/` folder, its output compared with the
 * case's expectations. Adding a case is adding a folder:
 *
 *   test/cases/<name>/
 *     cmd          the arguments after `refold-events`, on one line ('...' and "..." quote);
 *                  several lines run several commands in order in the same folder (every one
 *                  but the last must exit 0; stdout and stderr are all of theirs, in order)
 *     input/       the working directory's contents before the run (absent = empty folder)
 *     seed         optional: `<file under test/cases> <path in the working directory>` lines,
 *                  copied in before input/ (e.g. another case's expected output, so an
 *                  "up to date" file stays current when the generator changes)
 *     env          optional: KEY=VALUE lines for the child's environment (which is otherwise
 *                  only PATH, so the caller's REFOLD_* variables never leak in)
 *     stdin        optional: bytes written to the child's standard input (absent = none)
 *     stdout       expected standard output (absent = empty)
 *     stderr       expected standard error (absent = empty)
 *     exit-code    expected exit code (absent = 0)
 *     expected/    optional: every file the command creates or changes, relative to the
 *                  working directory, compared byte for byte. Any other file created,
 *                  changed or removed fails the case.
 *     mask         optional: regular expressions (one per line); each match in stdout and stderr
 *                  is replaced by `<masked>` before comparing, for what changes every run (ids)
 *     ignore       optional: path prefixes (one per line) left out of the file comparison,
 *                  for state a command keeps beside its output (e.g. `.refold/`)
 *     removed      optional: files the command deletes, one path per line (absent = none)
 *     state        optional: the events of the built-in `local` target's emulator state
 *                  (`.refold/emulator.json`, which is then left out of the file comparison)
 *                  after the run, as JSON `[{name, sample, json_schema?}]` in creation order;
 *                  ids and timestamps are left out. Seed a remote side with an
 *                  input/.refold/emulator.json.
 *     rerun        optional marker: the command is run a second time in the same folder and
 *                  must exit the same way without changing a byte (idempotence, e.g. generate)
 *
 * Loopback ports in stdout and stderr (`127.0.0.1:41234`) read `127.0.0.1:<port-1>`, numbered by
 * first appearance, so a case can tell two embedded emulators apart yet stays deterministic.
 *
 * `UPDATE_GOLDEN=1 npx vitest run test/e2e-cases.test.ts` rewrites stdout, stderr,
 * exit-code and expected/ from the actual run; review the diff before committing it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, runCli as runBuiltCli } from './support/cli.js'

const CASES = fileURLToPath(new URL('./cases/', import.meta.url))
const ROOT = fileURLToPath(new URL('../', import.meta.url))
const UPDATE = process.env.UPDATE_GOLDEN === '1'
const temporary: string[] = []

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
})

describe('CLI end-to-end cases (test/cases)', () => {
  it('runs against a built CLI', () => {
    expect(existsSync(CLI), 'dist/cli/main.js is missing: run `npm run build` first').toBe(true)
    warnIfStale()
  })

  for (const name of readdirSync(CASES).sort()) {
    if (!statSync(join(CASES, name)).isDirectory()) continue
    it(name, async () => {
      await runCase(join(CASES, name))
    })
  }
})

interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
}

const STATE_FILE = '.refold/emulator.json'

async function runCase(caseDir: string): Promise<void> {
  const commands = (readText(join(caseDir, 'cmd')) ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseArgs)
  if (commands.length === 0) commands.push([])
  const inputDir = join(caseDir, 'input')
  const workDir = mkdtempSync(join(tmpdir(), 'refold-case-'))
  const homeDir = mkdtempSync(join(tmpdir(), 'refold-home-'))
  temporary.push(workDir, homeDir)
  for (const line of lines(readText(join(caseDir, 'seed')) ?? '')) {
    const [from, to] = line.split(/\s+/)
    if (from === undefined || to === undefined)
      throw new Error(`${caseDir}/seed: expected "<source> <destination>" per line, got "${line}"`)
    mkdirSync(dirname(join(workDir, to)), { recursive: true })
    cpSync(join(caseDir, '..', from), join(workDir, to))
  }
  if (existsSync(inputDir)) cpSync(inputDir, workDir, { recursive: true })
  const expectedState = readText(join(caseDir, 'state'))
  const caseIgnores = lines(readText(join(caseDir, 'ignore')) ?? '')
  // A case that ignores the state's folder does not check the state either, nor gains a `state` file on update.
  const stateChecked = expectedState !== undefined || (UPDATE && !caseIgnores.some((prefix) => isUnder(STATE_FILE, prefix)))
  const ignored = [...caseIgnores, ...(stateChecked ? [STATE_FILE, `${STATE_FILE}.lock`] : [])]
  const before = snapshot(workDir, ignored)

  const masks = lines(readText(join(caseDir, 'mask')) ?? '').map((pattern) => new RegExp(pattern, 'g'))
  const stdin = existsSync(join(caseDir, 'stdin')) ? readFileSync(join(caseDir, 'stdin')) : undefined
  const env = { HOME: homeDir, ...parseEnv(readText(join(caseDir, 'env')) ?? '') }
  const result = masked(await runCommands(commands, workDir, env, stdin), masks)
  // A rebuild (`rm -rf dist && tsc`) while the case ran says nothing about the case.
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js vanished during the run (a concurrent `npm run build`?); run again')
  const after = snapshot(workDir, ignored)
  const written = new Map([...after].filter(([path, bytes]) => !before.get(path)?.equals(bytes)))
  const removed = [...before.keys()].filter((path) => !after.has(path))

  const state = existsSync(join(workDir, STATE_FILE)) ? localState(join(workDir, STATE_FILE)) : undefined
  if (UPDATE) {
    writeExpectations(caseDir, result, written, removed)
    if (stateChecked && (expectedState !== undefined || state !== undefined)) writeFileSync(join(caseDir, 'state'), state ?? '[]\n')
  }
  expect(result.stdout, 'stdout').toBe(readText(join(caseDir, 'stdout')) ?? '')
  expect(result.stderr, 'stderr').toBe(readText(join(caseDir, 'stderr')) ?? '')
  expect(result.exitCode, 'exit code').toBe(Number(readText(join(caseDir, 'exit-code')) ?? '0'))
  expect(removed.sort(), 'files the command removed').toEqual(lines(readText(join(caseDir, 'removed')) ?? '').sort())
  const expectedDir = join(caseDir, 'expected')
  const expected = existsSync(expectedDir) ? snapshot(expectedDir, []) : new Map<string, Buffer>()
  expect([...written.keys()].sort(), 'files the command created or changed').toEqual([...expected.keys()].sort())
  for (const [path, bytes] of expected) {
    expect(written.get(path)?.toString('utf8'), `contents of ${path}`).toBe(bytes.toString('utf8'))
    expect(written.get(path)?.equals(bytes), `bytes of ${path}`).toBe(true)
  }
  if (stateChecked && (expectedState !== undefined || state !== undefined))
    expect(state ?? '[]\n', `events in ${STATE_FILE}`).toBe(readText(join(caseDir, 'state')) ?? '[]\n')
  if (existsSync(join(caseDir, 'rerun'))) {
    const again = masked(await runCommands(commands, workDir, env, stdin), masks)
    expect(again.exitCode, 'exit code of the second run').toBe(result.exitCode)
    const changed = [...snapshot(workDir, ignored)].filter(([path, bytes]) => !after.get(path)?.equals(bytes)).map(([path]) => path)
    expect(changed, 'files the second run changed').toEqual([])
    expect(
      [...after.keys()].filter((path) => !existsSync(join(workDir, path))),
      'files the second run removed',
    ).toEqual([])
  }
}

/** Run each command in turn; stop at the first that fails before the last. Ports numbered across all. */
async function runCommands(commands: string[][], cwd: string, env: Record<string, string>, stdin?: Buffer): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  let exitCode = 0
  for (const [index, args] of commands.entries()) {
    const result = await runCli(args, cwd, env, stdin)
    stdout += result.stdout
    stderr += result.stderr
    exitCode = result.exitCode
    if (exitCode !== 0 && index < commands.length - 1) {
      stderr += `(command ${index + 1} of ${commands.length} exited ${exitCode}; the rest were not run)\n`
      break
    }
  }
  const ports = new Map<string, number>()
  const numbered = (text: string): string =>
    text.replace(/\b127\.0\.0\.1:(\d+)/g, (_, port: string) => {
      if (!ports.has(port)) ports.set(port, ports.size + 1)
      return `127.0.0.1:<port-${ports.get(port)}>`
    })
  const shownOut = numbered(stdout)
  return { stdout: shownOut, stderr: numbered(stderr), exitCode }
}

/** The events of an emulator state file, without ids and timestamps, as the `state` file holds them. */
function localState(path: string): string {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    events: Array<{ name: string; raw_response: string; json_schema?: unknown }>
  }
  const events = snapshot.events.map((event) => ({
    name: event.name,
    sample: JSON.parse(event.raw_response) as unknown,
    ...(event.json_schema === undefined ? {} : { json_schema: event.json_schema }),
  }))
  return `${JSON.stringify(events, null, 2)}\n`
}

async function runCli(args: string[], cwd: string, env: Record<string, string>, stdin?: Buffer): Promise<RunResult> {
  const result = await runBuiltCli(args, { cwd, env, environment: 'clean', timeoutMs: 25_000, ...(stdin === undefined ? {} : { stdin }) })
  return { stdout: result.stdout, stderr: result.stderr, exitCode: typeof result.code === 'number' ? result.code : 128 }
}

function masked(result: RunResult, masks: RegExp[]): RunResult {
  const mask = (text: string): string => masks.reduce((out, pattern) => out.replace(pattern, '<masked>'), text)
  return { ...result, stdout: mask(result.stdout), stderr: mask(result.stderr) }
}

function writeExpectations(caseDir: string, result: RunResult, written: Map<string, Buffer>, removed: string[]): void {
  const write = (file: string, text: string, emptyMeansAbsent: boolean): void => {
    const path = join(caseDir, file)
    if (emptyMeansAbsent && text === '') rmSync(path, { force: true })
    else writeFileSync(path, text)
  }
  write('stdout', result.stdout, true)
  write('stderr', result.stderr, true)
  write('exit-code', result.exitCode === 0 ? '' : `${result.exitCode}\n`, true)
  write(
    'removed',
    removed
      .sort()
      .map((path) => `${path}\n`)
      .join(''),
    true,
  )
  const expectedDir = join(caseDir, 'expected')
  rmSync(expectedDir, { recursive: true, force: true })
  for (const [path, bytes] of written) {
    const target = join(expectedDir, path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, bytes)
  }
}

/** Every file under `dir` by `/`-separated relative path, except ignored prefixes. */
/** Whether `path` (relative, `/`-separated) is the ignore entry `prefix` or lies inside it. */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix.replace(/\/$/, '') || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)
}

function snapshot(dir: string, ignored: string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      const rel = relative(dir, path).split(sep).join('/')
      if (ignored.some((prefix) => isUnder(rel, prefix))) continue
      if (entry.isDirectory()) walk(path)
      else files.set(rel, readFileSync(path))
    }
  }
  walk(dir)
  return files
}

/** Split a command line: whitespace separates, '...' and "..." group (no escapes inside '...'). */
function parseArgs(line: string): string[] {
  const args: string[] = []
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  for (const match of line.trim().matchAll(pattern)) {
    args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3]!))
  }
  return args
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of lines(text)) {
    const eq = line.indexOf('=')
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return env
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

/** The cases run dist/: say so when src/ changed after the last build. */
function warnIfStale(): void {
  const newest = (dir: string): number => {
    let latest = 0
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
    }
    return latest
  }
  if (newest(join(ROOT, 'src')) > newest(join(ROOT, 'dist'))) {
    console.warn('warning: src/ is newer than dist/; the end-to-end cases run dist/ (npm run build)')
  }
}
