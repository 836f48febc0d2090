/**
 * `refold-events generate` as a user runs it (the built CLI in a child process): only files
 * whose bytes change are rewritten, and `--watch` regenerates on every change, survives a
 * broken file, and stops cleanly on Ctrl+C. The byte-level output is covered by the golden
 * cases in test/cases/generate-*.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventYaml, REPO_ROOT, runProcess, writeTree } from './support.js'

const CLI = join(REPO_ROOT, 'dist/cli/main.js')
const children: ChildProcessWithoutNullStreams[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'refold-generate-'))
  writeTree(dir, {
    'events/contact.yaml': eventYaml({ name: 'New Contact Created', description: 'First.', sample: { email: 'jane@example.com' } }),
    'events/order.yaml': eventYaml({ name: 'Order Placed', sample: { order_id: 'ord_1', total: 9.5 } }),
  })
  return dir
}

const cli = (cwd: string, ...args: string[]) => runProcess(process.execPath, [CLI, ...args], { cwd })

function identity(path: string): string {
  const stats = statSync(path)
  return `${stats.ino}:${stats.mtimeMs}`
}

describe('generate (CLI)', () => {
  it('rewrites only the files whose bytes change', async () => {
    const dir = project()
    expect((await cli(dir, 'generate')).code).toBe(0)
    const files = ['generated/index.ts', 'generated/validators.js', 'generated/schemas/new-contact-created.schema.json', 'generated/schemas/order-placed.schema.json']
    const before = Object.fromEntries(files.map((f) => [f, identity(join(dir, f))]))

    const same = await cli(dir, 'generate')
    expect(same.stdout).toBe('generated/: 0 written, 5 unchanged, 0 deleted\n')
    for (const f of files) expect(identity(join(dir, f)), f).toBe(before[f])

    writeFileSync(join(dir, 'events/contact.yaml'), eventYaml({ name: 'New Contact Created', description: 'Second.', sample: { email: 'jane@example.com' } }))
    const changed = await cli(dir, 'generate')
    // A new description changes the docs and the schema file, not what validators check.
    expect(changed.stdout).toBe(
      'updated generated/index.ts\nupdated generated/schemas/new-contact-created.schema.json\ngenerated/: 2 written, 3 unchanged, 0 deleted\n',
    )
    expect(identity(join(dir, 'generated/schemas/order-placed.schema.json'))).toBe(before['generated/schemas/order-placed.schema.json'])
    expect(identity(join(dir, 'generated/validators.js'))).toBe(before['generated/validators.js'])
    expect(identity(join(dir, 'generated/index.ts'))).not.toBe(before['generated/index.ts'])
    expect((await cli(dir, 'generate', '--check')).code).toBe(0)
  })

  it('refuses --check together with --watch', async () => {
    const result = await cli(project(), 'generate', '--check', '--watch')
    expect(result).toMatchObject({ code: 1, stderr: 'error: --check and --watch cannot be used together\n' })
  })

  it('--watch regenerates on change, reports a broken file and keeps watching, and stops on SIGINT', async () => {
    const dir = project()
    const child = spawn(process.execPath, [CLI, 'generate', '--watch'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } })
    children.push(child)
    const output = collect(child)

    await output.waitFor('stdout', /watching events\/ for changes/)
    expect(existsSync(join(dir, 'generated/index.ts'))).toBe(true)

    writeFileSync(join(dir, 'events/user.yaml'), eventYaml({ name: 'User Deleted', sample: { user_id: 'u1' } }))
    await output.waitFor('stdout', /created generated\/schemas\/user-deleted\.schema\.json/)

    writeFileSync(join(dir, 'events/user.yaml'), 'name: User Deleted\nsample: { user_id: [1, }\n')
    await output.waitFor('stderr', /events\/user\.yaml:\d+:\d+: error: invalid YAML/)
    expect(existsSync(join(dir, 'generated/schemas/user-deleted.schema.json'))).toBe(true)

    rmSync(join(dir, 'events/user.yaml'))
    await output.waitFor('stdout', /deleted generated\/schemas\/user-deleted\.schema\.json/)
    expect(child.exitCode).toBeNull()

    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(code).toBe(0)
    expect(existsSync(join(dir, 'generated/schemas/user-deleted.schema.json'))).toBe(false)
  })
})

/** Accumulates a child's output and waits for a pattern to appear in it. */
function collect(child: ChildProcessWithoutNullStreams) {
  const text = { stdout: '', stderr: '' }
  const waiters: Array<() => void> = []
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    text[stream] += chunk.toString('utf8')
    for (const waiter of [...waiters]) waiter()
  }
  child.stdout.on('data', onData('stdout'))
  child.stderr.on('data', onData('stderr'))
  return {
    /** Resolve once `pattern` matches output written after the previous wait on this stream. */
    waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} on ${stream}; got:\n${text.stdout}\n${text.stderr}`)), 20_000)
        const check = (): void => {
          if (!pattern.test(text[stream])) return
          clearTimeout(timer)
          waiters.splice(waiters.indexOf(check), 1)
          text[stream] = ''
          resolve()
        }
        waiters.push(check)
        check()
      })
    },
  }
}
