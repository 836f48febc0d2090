/**
 * `generate --watch` against real file-system events, for the ways editors and tools save:
 * an in-place write, a replace through rename (sed -i, vim, JetBrains "safe write"), a delete,
 * a new subfolder, and a git checkout of another commit. After each, the watcher must have
 * regenerated, and keep doing so for later edits of the same file. No timing is asserted: the
 * test waits for the watcher's output lines and then checks the generated files.
 */
import { execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { spawnCli } from '../support/cli.js'

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

const event = (name: string, field: string): string => `name: ${name}\nsample:\n  id: x1\n  ${field}: 1\n`

/** The watcher's output, and a way to wait until a run finished with the files as expected. */
function watch(cwd: string) {
  const run = spawnCli(['generate', '--watch'], { cwd, environment: 'clean' })
  const child = run.child
  children.push(child)
  let runs = 0
  const waiters = new Set<() => void>()
  const count = (): void => {
    // A run ends with the summary line, or with "N errors: generated/ not written".
    runs =
      (run.stdout().match(/^generated\/: \d+ written/gm)?.length ?? 0) + (run.stderr().match(/generated\/ not written$/gm)?.length ?? 0)
    for (const waiter of [...waiters]) waiter()
  }
  // After the run's own listeners, which collect the output.
  child.stdout!.on('data', count)
  child.stderr!.on('data', count)
  const exited = run.closed.then(() => run.exited)
  return {
    child,
    exited,
    output: () => `${run.stdout()}\n--- stderr ---\n${run.stderr()}`,
    /** Wait until the watcher has printed a line matching `pattern` to stderr. */
    reported: (pattern: RegExp) => until(() => pattern.test(run.stderr())),
    /** Wait for the line that says the watcher started. */
    started: () => until(() => /watching events\/ for changes/.test(run.stdout())),
    /**
     * After a change: wait for runs to finish until `done()` holds for the files. A save can
     * give more than one run (a truncate, then the write); each finished run is a chance.
     */
    async settled(done: () => boolean): Promise<void> {
      const before = runs
      await until(() => runs > before && done())
    },
  }
  function until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      void exited.then((code) => reject(new Error(`generate --watch exited (${code}):\n${run.stdout()}\n${run.stderr()}`)))
      check()
    })
  }
}

const schema = (dir: string, file: string): string | undefined => {
  const path = join(dir, 'generated/schemas', file)
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

describe('generate --watch with real file-system events', () => {
  it('survives in-place writes, replacing saves, deletes, new subfolders and a git checkout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refold-watch-'))
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
        cwd: dir,
        encoding: 'utf8',
      })
    mkdirSync(join(dir, 'events'))
    writeFileSync(join(dir, 'events/contact.yaml'), event('New Contact Created', 'first'))
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'one event')
    const first = git('rev-parse', 'HEAD').trim()

    const watcher = watch(dir)
    onTestFailed(() => console.error(`generate --watch output:\n${watcher.output()}`))
    try {
      await watcher.started()
      const contact = (): string => schema(dir, 'new-contact-created.schema.json') ?? ''
      expect(contact()).toContain('"first"')

      // 1. In-place write.
      writeFileSync(join(dir, 'events/contact.yaml'), event('New Contact Created', 'second'))
      await watcher.settled(() => contact().includes('"second"'))

      // 2. Replace through rename, as sed -i and "safe write" editors do; then 3. edits after it.
      writeFileSync(join(dir, 'events/.contact.yaml.tmp'), event('New Contact Created', 'third'))
      renameSync(join(dir, 'events/.contact.yaml.tmp'), join(dir, 'events/contact.yaml'))
      await watcher.settled(() => contact().includes('"third"'))
      writeFileSync(join(dir, 'events/contact.yaml'), event('New Contact Created', 'fourth'))
      await watcher.settled(() => contact().includes('"fourth"'))
      writeFileSync(join(dir, 'events/contact.yaml.new'), event('New Contact Created', 'fifth'))
      renameSync(join(dir, 'events/contact.yaml.new'), join(dir, 'events/contact.yaml'))
      await watcher.settled(() => contact().includes('"fifth"'))

      // 4. A new subfolder with a file in it, then an edit of that file.
      mkdirSync(join(dir, 'events/billing'))
      writeFileSync(join(dir, 'events/billing/invoice.yaml'), event('Invoice Paid', 'amount'))
      await watcher.settled(() => (schema(dir, 'invoice-paid.schema.json') ?? '').includes('"amount"'))
      writeFileSync(join(dir, 'events/billing/invoice.yaml'), event('Invoice Paid', 'total'))
      await watcher.settled(() => (schema(dir, 'invoice-paid.schema.json') ?? '').includes('"total"'))

      // 5. Delete the replaced file: its output goes.
      rmSync(join(dir, 'events/contact.yaml'))
      await watcher.settled(() => schema(dir, 'new-contact-created.schema.json') === undefined)

      // 6. A git checkout of another commit: the one-event tree comes back, billing/ goes.
      git('add', '-A')
      git('commit', '-qm', 'billing only')
      git('checkout', '-q', first)
      await watcher.settled(() => contact().includes('"first"') && schema(dir, 'invoice-paid.schema.json') === undefined)

      // 7. And the file git wrote is still watched.
      writeFileSync(join(dir, 'events/contact.yaml'), event('New Contact Created', 'last'))
      await watcher.settled(() => contact().includes('"last"'))

      // 8. events/ itself removed and made again (the checkout above can do this when it empties
      // the folder; here it is certain): the watcher follows the new folder and does not end.
      rmSync(join(dir, 'events'), { recursive: true })
      await watcher.reported(/events folder not found/)
      expect(contact(), 'a run that cannot read events/ leaves generated/ as it was').toContain('"last"')
      mkdirSync(join(dir, 'events'))
      writeFileSync(join(dir, 'events/contact.yaml'), event('New Contact Created', 'again'))
      await watcher.settled(() => contact().includes('"again"'))
      expect(watcher.child.exitCode, watcher.output()).toBeNull()
    } finally {
      watcher.child.kill('SIGINT')
      expect(await watcher.exited).toBe(0)
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
