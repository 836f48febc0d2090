/**
 * `recordInvalidPayloads()` from several real processes (full tier: it starts child processes):
 * writers appending to one file at once never interleave within a line, and a writer killed
 * with SIGKILL in the middle of a burst leaves at most a last line cut short, which readers skip
 * and after which a new writer starts on a fresh line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnNode } from '../support/cli.js'

const root = resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'refold-recorder-procs-'))

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/**
 * A writer process: loads the recorder from source through jiti and records `count` records
 * (`count` 0: without end) tagged with its id, in bursts over many ticks. It prints "ready"
 * once its first burst is written.
 */
const CHILD = `
import { createJiti } from ${JSON.stringify(pathToFileURL(join(root, 'node_modules/jiti/lib/jiti.mjs')).href)}
const jiti = createJiti(import.meta.url)
const { recordInvalidPayloads } = await jiti.import(${JSON.stringify(join(root, 'src/runtime/invalid-payload-recorder.ts'))})
const [file, id, count] = [process.argv[2], process.argv[3], Number(process.argv[4])]
const recorder = recordInvalidPayloads({ file, maxBytes: 512 * 1024 * 1024 })
const issues = [{ path: '/email', expected: 'string', actual: 'null' }]
let seq = 0
for (let burst = 0; count === 0 || seq < count; burst++) {
  for (let i = 0; i < 25 && (count === 0 || seq < count); i++, seq++) {
    const payload = { email: null, id, seq, pad: 'p'.repeat((seq * 37) % 5000) }
    recorder({ event: 'User Signed Up', issues, sent: true, message: '' }, { payload, redactSecrets: (text) => text })
  }
  await recorder.flush()
  if (burst === 0) process.stdout.write('ready\\n')
}
process.stdout.write(JSON.stringify(recorder.stats))
`
const childFile = join(dir, 'writer.mjs')
writeFileSync(childFile, CHILD)

function startWriter(file: string, id: string, count: number) {
  const run = spawnNode([childFile, file, id, String(count)])
  const exited = run.closed.then(async () => ({ code: await run.exited, stdout: run.stdout(), stderr: run.stderr() }))
  const ready = new Promise<void>((done, fail) => {
    run.child.stdout!.on('data', () => {
      if (run.stdout().startsWith('ready\n')) done()
    })
    void exited.then((result) => fail(new Error(`writer ${id} exited before it was ready: ${result.stderr}`)))
  })
  return { child: run.child, exited, ready }
}

describe('several processes on one file', () => {
  it('three writers at once: every line is a whole record, none lost, each writer in order', async () => {
    const file = join(dir, 'shared.ndjson')
    const writers = ['a', 'b', 'c'].map((id) => startWriter(file, id, 250))
    const results = await Promise.all(writers.map((writer) => writer.exited))
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout.slice('ready\n'.length))).toEqual({ received: 250, written: 250, lost: 0 })
    }
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    const records = lines.map((line) => JSON.parse(line) as { event: string; payload: { id: string; seq: number } })
    expect(records).toHaveLength(750)
    for (const id of ['a', 'b', 'c']) {
      expect(records.filter((r) => r.payload.id === id).map((r) => r.payload.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i))
    }
  })

  it('a writer killed mid-burst leaves whole lines (a cut last line at most); the next writer starts a fresh line', async () => {
    const file = join(dir, 'crash.ndjson')
    const doomed = startWriter(file, 'doomed', 0)
    await doomed.ready
    doomed.child.kill('SIGKILL')
    // Killed, not exited: spawnNode gives the signal's name for the code.
    expect((await doomed.exited).code).toBe('SIGKILL')

    const next = await startWriter(file, 'next', 50).exited
    expect(next.code, next.stderr).toBe(0)
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    const broken = lines.filter((line) => {
      try {
        JSON.parse(line)
        return false
      } catch {
        return true
      }
    })
    // Only the line the kill cut short, if the kill landed inside a write.
    expect(broken.length).toBeLessThanOrEqual(1)
    const parsed = lines
      .filter((line) => !broken.includes(line))
      .map((line) => JSON.parse(line) as { payload: { id: string; seq: number } })
    const doomedSeqs = parsed.filter((r) => r.payload.id === 'doomed').map((r) => r.payload.seq)
    expect(doomedSeqs.length).toBeGreaterThanOrEqual(25)
    expect(doomedSeqs).toEqual(Array.from({ length: doomedSeqs.length }, (_, i) => i))
    expect(parsed.filter((r) => r.payload.id === 'next').map((r) => r.payload.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
