/**
 * The README's examples, extracted from README.md and run: the event file and config examples
 * must check clean, the emulator session (start, sync, curl) must answer without an ERRORED run
 * or a schema mismatch, and the workflows file example must run clean on the sample.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmulator } from '../src/emulator/index.js'
import { runCli, spawnEmulatorCli } from './support/cli.js'
import { RESOLUTION_MODES, runProcess, strictTsconfig, tempProject, TSC, writeTree } from './codegen/support.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const README = await readFile(join(ROOT, 'README.md'), 'utf8')
const temporary: string[] = []
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true })
})

/** Every fenced code block, also those indented under a list item: its language and its text, unindented. */
function blocks(): Array<{ lang: string; text: string }> {
  return [...README.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)].map((m) => ({
    lang: m[2]!,
    text: m[3]!.replace(new RegExp(`^${m[1]!}`, 'gm'), ''),
  }))
}

/** The one block of `lang` that contains every marker; fails when there is not exactly one. */
function block(lang: string, ...markers: string[]): string {
  const found = blocks().filter((b) => b.lang === lang && markers.every((marker) => b.text.includes(marker)))
  expect(found, `README: one \`\`\`${lang} block with ${markers.join(', ')}`).toHaveLength(1)
  return found[0]!.text
}

/** A shell block as commands: comments dropped, `\` continuations joined, words split as sh does for quotes. */
function commands(text: string): string[][] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(shellWords)
}

function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1)
      if (end === -1) throw new Error(`unclosed ${c} in: ${line}`)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else word = (word ?? '') + c
  }
  if (word !== undefined) words.push(word)
  return words
}

/** `curl [-X M] [-H 'k: v']... [-d BODY] URL` as a fetch. */
async function curl(args: string[], url: (original: string) => string): Promise<{ status: number; body: string }> {
  let method: string | undefined
  let body: string | undefined
  let target: string | undefined
  const headers: Record<string, string> = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '-X') method = args[++i]
    else if (arg === '-H') {
      const [name, ...value] = args[++i]!.split(':')
      headers[name!.trim()] = value.join(':').trim()
    } else if (arg === '-d') body = args[++i]
    else if (arg.startsWith('-')) throw new Error(`curl option ${arg} is not understood by this test`)
    else target = arg
  }
  expect(target, 'curl without a URL').toBeDefined()
  const answer = await fetch(url(target!), { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
  return { status: answer.status, body: await answer.text() }
}

describe('README examples', () => {
  it('the event file, config and workflows file examples check clean together', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refold-readme-'))
    temporary.push(dir)
    await mkdir(join(dir, 'events'))
    await writeFile(join(dir, 'events/new-contact-created.yaml'), block('yaml', 'name: New Contact Created', 'sample:'))
    await writeFile(join(dir, 'refold.config.ts'), block('ts', 'defineConfig({'))
    // The config names a workflows file: the README's example of one, checked against the event.
    await writeFile(join(dir, 'workflows.yaml'), block('yaml', 'workflows:', '- name:'))
    const checked = await runCli(['check'], { cwd: dir, environment: 'clean' })
    expect(checked.stderr).toBe('')
    expect(checked).toMatchObject({ code: 0, stdout: '1 event checked, 0 errors, 0 warnings\n' })
  })

  it('the inference policy example checks clean as copied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refold-readme-'))
    temporary.push(dir)
    await mkdir(join(dir, 'events'))
    await writeFile(join(dir, 'events/issue-opened.yaml'), block('yaml', 'name: Issue Opened', 'inference:'))
    const checked = await runCli(['check'], { cwd: dir, environment: 'clean' })
    expect(checked.stderr).toBe('')
    expect(checked).toMatchObject({ code: 0, stdout: '1 event checked, 0 errors, 0 warnings\n' })
  })

  it("step 5's fire snippet compiles against the helpers generated from init's event", async () => {
    const dir = tempProject('refold-readme-')
    temporary.push(dir)
    const initialised = await runCli(['init'], { cwd: dir, environment: 'clean' })
    expect(initialised.code, initialised.stderr).toBe(0)
    const generated = await runCli(['generate'], { cwd: dir, environment: 'clean' })
    expect(generated.code, generated.stderr).toBe(0)
    // The snippet uses an `account` of the reader's code: declared here, as their code would have it.
    const snippet = block('ts', 'fireNewContactCreated(', 'account.id')
    writeTree(dir, {
      'app.ts': `declare const account: { id: string }\n${snippet}\nexport {}\n`,
      'tsconfig.json': strictTsconfig({ ...RESOLUTION_MODES.nodenext, skipLibCheck: true }, ['app.ts']),
    })
    const compiled = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: dir })
    expect(compiled.stdout + compiled.stderr).toBe('')
    expect(compiled.code).toBe(0)
  })

  it('the emulator session (start, sync, curl) answers with no ERRORED run and no schema mismatch', async () => {
    const [start] = commands(block('sh', 'refold-events emulator'))
    expect(start!.slice(0, 2)).toEqual(['refold-events', 'emulator'])
    // As in the README, from the repository root; a free port and no state file for the test.
    const emulator = await spawnEmulatorCli([...start!.slice(2), '--port', '0', '--no-state', '--quiet'], { cwd: ROOT })
    try {
      const url = (original: string): string => original.replace('http://127.0.0.1:4010', emulator.url)
      const session = commands(block('sh', 'curl -X POST'))
      expect(session.length).toBeGreaterThan(1)
      let fired = 0
      for (const words of session) {
        const env: Record<string, string> = {}
        while (/^[A-Z_]+=/.test(words[0]!)) {
          const [name, ...value] = words.shift()!.split('=')
          env[name!] = url(value.join('='))
        }
        if (words[0] === 'npx' && words[1] === 'refold-events') {
          const result = await runCli(words.slice(2), { cwd: ROOT, env, environment: 'clean' })
          expect(result.code, `${words.join(' ')}: ${result.stderr}`).toBe(0)
        } else if (words[0] === 'curl') {
          const answer = await curl(words.slice(1), url)
          expect(answer.status, `${words.join(' ')}: ${answer.body}`).toBe(200)
          if (words.includes('-d')) fired++
          // The runs query in the README asks for ERRORED runs: there must be none.
          if (answer.body.startsWith('[')) expect(JSON.parse(answer.body)).toEqual([])
        } else throw new Error(`README command not understood by this test: ${words.join(' ')}`)
      }
      expect(fired).toBeGreaterThan(0)
      const inspect = async (path: string) => (await fetch(`${emulator.url}${path}`, { headers: { 'x-api-key': 'tk_emulator' } })).json()
      const fires = (await inspect('/_emulator/fires')) as Array<{ schema_errors: unknown[] }>
      expect(fires).toHaveLength(fired)
      for (const fire of fires) expect(fire.schema_errors).toEqual([])
      const runs = (await inspect('/_emulator/runs')) as Array<{ status: string; missing_variables: string[] }>
      expect(runs.length).toBeGreaterThan(0)
      for (const run of runs) expect(run).toMatchObject({ status: 'COMPLETED', missing_variables: [] })
    } finally {
      emulator.child.kill('SIGTERM')
      await emulator.exited
    }
  })

  it("the workflows file example runs clean on the event's sample", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refold-readme-'))
    temporary.push(dir)
    await writeFile(join(dir, 'workflows.yaml'), block('yaml', 'workflows:', '- name:'))
    const emulator = await startEmulator({
      port: 0,
      apiKey: 'tk_readme',
      workflows: join(dir, 'workflows.yaml'),
      stateFile: null,
      watchWorkflows: false,
    })
    try {
      const synced = await runCli(['sync'], {
        cwd: ROOT,
        env: { REFOLD_BASE_URL: emulator.url, REFOLD_API_KEY: 'tk_readme' },
        environment: 'clean',
      })
      expect(synced.code, synced.stderr).toBe(0)
      const fired = await runCli(['fire', 'New Contact Created', '--account', 'acct-1', '--fail-on-errored-runs'], {
        cwd: ROOT,
        env: {
          REFOLD_BASE_URL: emulator.url,
          REFOLD_API_KEY: 'tk_readme',
        },
        environment: 'clean',
      })
      expect(fired.code, fired.stdout + fired.stderr).toBe(0)
      expect(fired.stdout).toContain('✓ Welcome e-mail (hubspot): COMPLETED')
      expect(emulator.state.fires().flatMap((fire) => fire.schema_errors)).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
