/**
 * `recordInvalidPayloads()` on real files: the NDJSON records `validate`/`learn` read
 * (`{"event", "payload", ...}` per line), the API key never written, a `__proto__` key kept as
 * data, rotation within `maxBytes`, whole lines under many concurrent records, a line a crash
 * cut short left alone, and losses reported rather than silent. (Several processes on one
 * file: invalid-payload-recorder.full.test.ts.)
 */
import { Ajv } from 'ajv'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { createClient, recordInvalidPayloads, type InvalidPayloadRecorder, type PayloadValidator } from '../../src/runtime/index.js'
import { invalidPayloadReport } from '../../src/runtime/invalid-payload-report.js'
import { checkPayload } from '../../src/runtime/payload-validation.js'
import { endOf } from '../../src/runtime/invalid-payload-recorder.js'
import { TEST_KEY } from './support/fake-clock.js'
import { warningsDuring } from '../support/warnings.js'

const ajv = new Ajv({ allErrors: true, strict: false })
const validateSignup = ajv.compile({
  type: 'object',
  required: ['email', 'seq'],
  properties: { email: { type: 'string' }, seq: { type: 'integer' } },
}) as PayloadValidator

const dirs: string[] = []
let emulator: RunningEmulator | undefined

afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempFile(name = 'invalid.ndjson'): string {
  const dir = mkdtempSync(join(tmpdir(), 'refold-recorder-'))
  dirs.push(dir)
  return join(dir, name)
}

/** Hands `recorder` the report a real validator gives for `payload` (invalid: `email` is null). */
function record(recorder: InvalidPayloadRecorder, payload: unknown, event = 'User Signed Up'): void {
  const error = checkPayload(event, payload, validateSignup)
  if (error === undefined) throw new Error('test payload unexpectedly valid')
  recorder(invalidPayloadReport(error, payload, true), { payload, redactSecrets: (text) => text })
}

/** The records of an NDJSON file, skipping (as readers must) a line that is not whole JSON. */
/** One NDJSON record as the recorder writes it. */
interface RecordLine {
  event: string
  payload: Record<string, unknown>
  issues: unknown
  sent: boolean
  at: string
}

function records(file: string): RecordLine[] {
  if (!existsSync(file)) return []
  const parsed: RecordLine[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue
    try {
      parsed.push(JSON.parse(line) as RecordLine)
    } catch {
      // a line cut short by a crash
    }
  }
  return parsed
}

describe('records through a client firing at the emulator', () => {
  it('writes event, payload (a __proto__ key as data), issues and time; the fire arrives; the key is never written', async () => {
    emulator = await startEmulator({ port: 0, stateFile: null, apiKey: TEST_KEY })
    await fetch(`${emulator.url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'User Signed Up', response: '{"email":"a@example.com","seq":1}' }),
    })
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file })
    const client = createClient({ apiKey: TEST_KEY, baseUrl: emulator.url, env: {}, onInvalid: recorder })
    // As JSON.parse builds it: "__proto__" is an own property, not the prototype.
    const payload = JSON.parse(
      `{"email": null, "seq": 1, "__proto__": {"admin": true}, "note": "pasted ${TEST_KEY} by mistake"}`,
    ) as unknown
    const before = new Date().toISOString()
    await client.fire({ event: 'User Signed Up', linkedAccountId: 'acct_1', payload }, validateSignup)
    await recorder.flush()
    await client.close()

    expect(emulator.state.fires().map((fire) => fire.event)).toEqual(['User Signed Up'])
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(TEST_KEY)
    expect(text.endsWith('\n')).toBe(true)
    const [line] = records(file)
    expect(Object.keys(line ?? {})).toEqual(['event', 'payload', 'issues', 'sent', 'at'])
    expect(line?.event).toBe('User Signed Up')
    expect(Object.getOwnPropertyDescriptor(line?.payload, '__proto__')?.value).toEqual({ admin: true })
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    expect(line?.payload.note).toBe('pasted [redacted] by mistake')
    expect(line?.issues).toEqual([{ path: '/email', expected: 'string', actual: 'null' }])
    expect(line?.sent).toBe(true)
    const at = line?.at ?? ''
    expect(at >= before && at <= new Date().toISOString()).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(recorder.stats).toEqual({ received: 1, written: 1, lost: 0 })
  })
})

describe('bounded size', () => {
  it('rotates file -> file.1 -> file.2 before a write would pass maxBytes, keeping the newest records in order', async () => {
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file, maxBytes: 1500, keep: 2 })
    // Recorded over several ticks, so rotation happens between batches as well as inside one.
    for (let seq = 0; seq < 60; seq++) {
      record(recorder, { email: null, seq })
      if (seq % 7 === 0) await recorder.flush()
    }
    await recorder.flush()
    expect(existsSync(`${file}.3`)).toBe(false)
    const files = [`${file}.2`, `${file}.1`, file]
    for (const path of files) expect(statSync(path).size).toBeLessThanOrEqual(1500)
    const seqs = files.flatMap((path) => records(path).map((r) => r.payload.seq as number))
    // Oldest first across the files, contiguous, ending with the last record.
    expect(seqs.at(-1)).toBe(59)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 60 - seqs.length + i))
    // The rotated files were full: the next record did not fit.
    const lineBytes = Math.max(
      ...files.flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .map((l) => l.length + 1),
      ),
    )
    for (const path of files.slice(0, 2)) expect(statSync(path).size + lineBytes).toBeGreaterThan(1500)
    for (const path of files) expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true)
    expect(recorder.stats).toEqual({ received: 60, written: 60, lost: 0 })
  })

  it('keep: 0 discards the full file and starts afresh', async () => {
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file, maxBytes: 600, keep: 0 })
    for (let seq = 0; seq < 20; seq++) record(recorder, { email: null, seq })
    await recorder.flush()
    expect(existsSync(`${file}.1`)).toBe(false)
    const seqs = records(file).map((r) => r.payload.seq as number)
    expect(seqs.at(-1)).toBe(19)
    expect(statSync(file).size).toBeLessThanOrEqual(600)
  })

  it('writes a record larger than maxBytes alone in a fresh file rather than losing it', async () => {
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file, maxBytes: 300, keep: 1 })
    record(recorder, { email: null, seq: 1 })
    await recorder.flush()
    record(recorder, { email: null, seq: 2, blob: 'x'.repeat(1000) })
    await recorder.flush()
    expect(records(`${file}.1`).map((r) => r.payload.seq)).toEqual([1])
    expect(records(file).map((r) => r.payload.seq)).toEqual([2])
  })

  it('counts and reports once the records a full queue cannot take', async () => {
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file, maxBytes: 1024 * 1024 })
    const warnings = await warningsDuring(async () => {
      // 1.5 MB in one tick, the disk has not seen any yet: beyond the queue's bound (1 MiB).
      for (let seq = 0; seq < 30; seq++) record(recorder, { email: null, seq, blob: 'b'.repeat(50_000) })
      await recorder.flush()
    })
    const { received, written, lost } = recorder.stats
    expect(received).toBe(30)
    expect(lost).toBeGreaterThan(0)
    expect(written + lost).toBe(30)
    expect(records(`${file}.1`).length + records(file).length).toBe(written)
    expect(warnings.map((w) => w.code)).toEqual(['REFOLD_RECORDER_FAILED'])
    expect(warnings[0]?.message).toContain('more than 1048576 bytes are waiting')
  })
})

describe('whole lines', () => {
  it('many records queued at once by two recorders on one file: every line whole, none lost', async () => {
    const file = tempFile()
    const first = recordInvalidPayloads({ file, maxBytes: 64 * 1024 * 1024 })
    const second = recordInvalidPayloads({ file, maxBytes: 64 * 1024 * 1024 })
    for (let seq = 0; seq < 600; seq++) {
      record(first, { email: null, seq, from: 'first', pad: 'y'.repeat(seq % 300) })
      record(second, { email: null, seq, from: 'second', pad: 'z'.repeat(seq % 500) })
    }
    await Promise.all([first.flush(), second.flush()])
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    const parsed = lines.map((line) => JSON.parse(line) as { payload: { seq: number; from: string } })
    expect(parsed).toHaveLength(1200)
    for (const from of ['first', 'second']) {
      const seqs = parsed.filter((r) => r.payload.from === from).map((r) => r.payload.seq)
      expect(seqs).toEqual(Array.from({ length: 600 }, (_, i) => i)) // each writer's own order kept
    }
  })

  it('starts on a new line after a line a crash cut short, which readers skip', async () => {
    const file = tempFile()
    writeFileSync(file, '{"event":"User Signed Up","payload":{"email":null,"seq":0}}\n{"event":"User Signed Up","payl')
    const recorder = recordInvalidPayloads({ file })
    record(recorder, { email: null, seq: 1 })
    await recorder.flush()
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines[1]).toBe('{"event":"User Signed Up","payl')
    expect(records(file).map((r) => r.payload.seq)).toEqual([0, 1])
  })
})

describe('failures are reported, never thrown into the fire, never silent', () => {
  it('a file that cannot be written: the hook returns, flush resolves, losses counted, one warning', async () => {
    const blocker = tempFile('not-a-folder')
    writeFileSync(blocker, '')
    const recorder = recordInvalidPayloads({ file: join(blocker, 'invalid.ndjson') })
    const warnings = await warningsDuring(async () => {
      record(recorder, { email: null, seq: 1 })
      await recorder.flush()
      record(recorder, { email: null, seq: 2 })
      record(recorder, { email: null, seq: 3 })
      await recorder.flush()
    })
    expect(recorder.stats).toEqual({ received: 3, written: 0, lost: 3 })
    expect(warnings.map((w) => w.code)).toEqual(['REFOLD_RECORDER_FAILED'])
    expect(warnings[0]?.message).toMatch(/could not write to .*invalid\.ndjson \((ENOTDIR|EEXIST)\); 1 record lost/)
  })

  it('a payload JSON cannot hold is counted and reported, not thrown', async () => {
    const file = tempFile()
    const recorder = recordInvalidPayloads({ file })
    const warnings = await warningsDuring(async () => {
      expect(() => record(recorder, { email: null, seq: 10n })).not.toThrow()
      await recorder.flush()
    })
    expect(recorder.stats).toEqual({ received: 1, written: 0, lost: 1 })
    expect(warnings[0]?.message).toContain('could not write a payload as JSON')
  })

  it('refuses bad options when created', () => {
    expect(() => recordInvalidPayloads({ file: '' })).toThrow(/file must be a non-empty path/)
    expect(() => recordInvalidPayloads({ file: 'x', maxBytes: 0 })).toThrow(/maxBytes must be an integer >= 1/)
    expect(() => recordInvalidPayloads({ file: 'x', keep: -1 })).toThrow(/keep must be an integer >= 0/)
    expect(() => recordInvalidPayloads({ file: 'x', keep: 1.5 })).toThrow(/keep must be an integer >= 0/)
  })
})

describe('where the file ends, with other writers at work', () => {
  /** A file handle over a scripted sequence of (size, last byte) states, one per stat. */
  function scripted(states: Array<[size: number, last: string]>) {
    let at = -1
    return {
      stat: async () => {
        at = Math.min(at + 1, states.length - 1)
        return { size: states[at]![0] }
      },
      read: async (buffer: Buffer) => {
        buffer.write(states[at]![1])
        return { bytesRead: 1, buffer }
      },
    } as unknown as Parameters<typeof endOf>[0]
  }

  it("waits out another process's write in progress instead of ending its line", async () => {
    // The first stat lands inside another writer's large write; by the next, it has completed.
    expect(
      await endOf(
        scripted([
          [10, 'x'],
          [4096, '\n'],
        ]),
      ),
    ).toEqual({ size: 4096, endsLine: true })
  })

  it('takes a last line that stays cut short (a writer died) as unended', async () => {
    expect(
      await endOf(
        scripted([
          [10, 'x'],
          [10, 'x'],
        ]),
      ),
    ).toEqual({ size: 10, endsLine: false })
    expect(await endOf(scripted([[10, '\n']]))).toEqual({ size: 10, endsLine: true })
    expect(await endOf(scripted([[0, '']]))).toEqual({ size: 0, endsLine: true })
  })
})
