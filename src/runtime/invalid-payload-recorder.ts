/**
 * `recordInvalidPayloads()`: a ready `onInvalid` hook that appends each rejected payload to a
 * local NDJSON file, one record per line, so production mismatches can be replayed with
 * `refold-events validate` and folded into the definitions with `refold-events learn`:
 *
 *   {"event":"<name>","payload":{...},"issues":[{"path","expected","actual"}],"sent":true,"at":"<ISO time>"}
 *
 * Unlike reports, records carry the payload: that is their point, and the file is one the user
 * chose. The client's API key is scrubbed from every line. Writing never holds up a fire: the
 * hook serialises the record and queues it; one writer per recorder drains the queue in the
 * background, each write() on an O_APPEND descriptor carrying whole lines only, so concurrent
 * writers never interleave within a line. A line a crash or a full disk cut short is left
 * unterminated and the next write starts on a new line: readers skip a line that is not JSON.
 * Lost records (write failures, a full queue, a payload JSON cannot hold) are counted in
 * `stats` and reported once each way with a process warning, never silently.
 *
 * Size is bounded by rotation: before a write would take the file beyond `maxBytes`, it is
 * renamed `file.1` (`file.1` becoming `file.2`, up to `file.<keep>`, the oldest dropped).
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { InvalidPayloadContext } from './client-options.js'
import type { InvalidPayloadReport } from './invalid-payload-report.js'

/** Options of {@link recordInvalidPayloads}. */
export interface RecordInvalidPayloadsOptions {
  /** The NDJSON file records are appended to (created with its folder, mode 0600). Relative to the current directory. */
  file: string
  /** The file is rotated before a write would take it beyond this size. Default 10 MiB. */
  maxBytes?: number | undefined
  /** Rotated files kept (`file.1` newest ... `file.<keep>`); `0` discards the full file. Default 3. */
  keep?: number | undefined
}

/** Counters of a recorder since it was created. */
export interface RecorderStats {
  /** Records handed to the recorder. */
  received: number
  /** Records written to the file. */
  written: number
  /** Records that could not be written (each cause also reported once as a process warning). */
  lost: number
}

/** The hook `recordInvalidPayloads` returns: pass it as `onInvalid`. */
export interface InvalidPayloadRecorder {
  (report: InvalidPayloadReport, context: InvalidPayloadContext): void
  /** The absolute path of the file. */
  readonly file: string
  /** Counters of received, written and lost records. */
  readonly stats: RecorderStats
  /** Resolves once every record queued so far is written or counted as lost; call it before exiting. */
  flush(): Promise<void>
}

/** Code of the process warning for records a recorder could not write. */
export const RECORDER_WARNING = 'REFOLD_RECORDER_FAILED'

const DEFAULTS = { maxBytes: 10 * 1024 * 1024, keep: 3 } as const
/** Most bytes one write() carries: large enough to batch bursts, small enough to rotate in time. */
const MAX_BATCH_BYTES = 1024 * 1024
const NEWLINE = 0x0a

/**
 * A hook for `createClient({ onInvalid })` that records each invalid payload (see the module
 * comment for the format, atomicity and rotation). One recorder per file per process; several
 * processes should each use their own file (rotation is not coordinated between processes).
 */
export function recordInvalidPayloads(options: RecordInvalidPayloadsOptions): InvalidPayloadRecorder {
  const writer = new RecordWriter(options)
  const hook = (report: InvalidPayloadReport, context: InvalidPayloadContext): void => writer.record(report, context)
  return Object.defineProperties(hook, {
    file: { value: writer.file, enumerable: true },
    stats: { get: () => writer.stats, enumerable: true },
    flush: { value: () => writer.flush() },
  }) as InvalidPayloadRecorder
}

type LossCause = 'write' | 'queue' | 'serialise'

class RecordWriter {
  readonly file: string
  readonly #maxBytes: number
  readonly #keep: number
  readonly #maxQueuedBytes: number
  readonly #queue: Buffer[] = []
  #queuedBytes = 0
  #draining: Promise<void> | undefined
  readonly #counts = { received: 0, written: 0, lost: 0 }
  readonly #warned = new Set<LossCause>()

  constructor(options: RecordInvalidPayloadsOptions) {
    if (typeof options?.file !== 'string' || options.file.trim() === '')
      throw new TypeError('recordInvalidPayloads: file must be a non-empty path')
    this.file = resolve(options.file)
    this.#maxBytes = integerOption('maxBytes', options.maxBytes, DEFAULTS.maxBytes, 1)
    this.#keep = integerOption('keep', options.keep, DEFAULTS.keep, 0)
    this.#maxQueuedBytes = Math.max(this.#maxBytes, MAX_BATCH_BYTES)
  }

  get stats(): RecorderStats {
    return { ...this.#counts }
  }

  record(report: InvalidPayloadReport, context: InvalidPayloadContext): void {
    this.#counts.received++
    let line: Buffer
    try {
      const text = JSON.stringify({
        event: report.event,
        payload: context.payload,
        issues: report.issues,
        sent: report.sent,
        at: new Date().toISOString(),
      })
      line = Buffer.from(`${context.redactSecrets(text)}\n`)
    } catch (error) {
      this.#lose(1, 'serialise', error)
      return
    }
    // The queue holds at most one file's worth (1 MiB at least): beyond that the disk cannot keep
    // up, and memory must not grow without end. A record alone is always queued, however large.
    if (this.#queue.length > 0 && this.#queuedBytes + line.length > this.#maxQueuedBytes) {
      this.#lose(1, 'queue')
      return
    }
    this.#queue.push(line)
    this.#queuedBytes += line.length
    // #drain awaits before it can finish, so #draining is set before it is cleared.
    this.#draining ??= this.#drain()
  }

  flush(): Promise<void> {
    return this.#draining ?? Promise.resolve()
  }

  /** Writes batches until the queue is empty; never rejects. */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#writeBatch()
    // Same synchronous step as the emptiness check: a record queued later starts a new drain.
    this.#draining = undefined
  }

  async #writeBatch(): Promise<void> {
    let handle: FileHandle | undefined
    let batch: Buffer[] = []
    try {
      handle = await this.#openForAppend()
      let { size, endsLine } = await endOf(handle)
      const first = this.#queue[0] as Buffer
      if (size > 0 && size + first.length + (endsLine ? 0 : 1) > this.#maxBytes) {
        await handle.close()
        handle = undefined
        await this.#rotate()
        handle = await this.#openForAppend()
        ;({ size, endsLine } = await endOf(handle))
      }
      // Whole lines only, as many as fit the file's room (at least one: an oversized record is
      // written alone in a fresh file rather than lost).
      const prefix = endsLine ? 0 : 1
      let bytes = prefix
      for (const line of this.#queue) {
        if (batch.length > 0 && (size + bytes + line.length > this.#maxBytes || bytes + line.length > MAX_BATCH_BYTES)) break
        batch.push(line)
        bytes += line.length
      }
      this.#queue.splice(0, batch.length)
      this.#queuedBytes -= bytes - prefix
      const chunk = Buffer.concat(endsLine ? batch : [Buffer.from('\n'), ...batch], bytes)
      // One write() on an O_APPEND descriptor: the kernel places it whole at the end of the file.
      const { bytesWritten } = await handle.write(chunk, 0, chunk.length, null)
      const whole = wholeLines(batch, bytesWritten - prefix)
      this.#counts.written += whole
      if (whole < batch.length) {
        const shortBy = chunk.length - bytesWritten
        this.#lose(batch.length - whole, 'write', new Error(`short write (${shortBy} bytes not written; the disk may be full)`))
      }
      batch = []
    } catch (error) {
      if (batch.length === 0) {
        // Nothing was taken from the queue yet (the file could not be opened or rotated): what
        // waits now is counted lost, so a persistent failure cannot spin or grow the queue.
        batch = this.#queue.splice(0, this.#queue.length)
        this.#queuedBytes = 0
      }
      this.#lose(batch.length, 'write', error)
    } finally {
      await handle?.close().catch(() => undefined)
    }
  }

  #openForAppend(): Promise<FileHandle> {
    return mkdir(dirname(this.file), { recursive: true }).then(() => open(this.file, 'a+', 0o600))
  }

  /** file -> file.1 -> ... -> file.<keep>; the oldest is overwritten. `keep: 0` removes the file. */
  async #rotate(): Promise<void> {
    if (this.#keep === 0) {
      await rm(this.file, { force: true })
      return
    }
    for (let index = this.#keep - 1; index >= 1; index--) {
      await rename(`${this.file}.${index}`, `${this.file}.${index + 1}`).catch(ignoreMissing)
    }
    await rename(this.file, `${this.file}.1`).catch(ignoreMissing)
  }

  #lose(count: number, cause: LossCause, error?: unknown): void {
    this.#counts.lost += count
    if (this.#warned.has(cause)) return
    this.#warned.add(cause)
    const reason =
      error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : error === undefined ? '' : String(error)
    const what =
      cause === 'write'
        ? `could not write to ${this.file} (${reason})`
        : cause === 'queue'
          ? `dropped a record: more than ${this.#maxQueuedBytes} bytes are waiting to be written to ${this.file}`
          : `could not write a payload as JSON (${reason})`
    process.emitWarning(
      `recordInvalidPayloads ${what}; ${count === 1 ? '1 record' : `${count} records`} lost. ` +
        "Later losses of this kind are counted in the recorder's stats, not reported.",
      { code: RECORDER_WARNING },
    )
  }
}

/** Pause before deciding that a file not ending in a newline holds a line cut short. */
const SETTLE_MS = 5

/**
 * The file's size and whether it ends with a newline (or is empty). A last byte that is not a
 * newline is either a line cut short by a writer that died, which this writer must end before
 * its own, or another process's write still under way: the kernel grows the file page by page
 * as it copies a large write, so a stat can land in the middle of it. Ending that line too
 * would leave an empty line once the other write completes (seen with three processes writing
 * at once). So the size is read again after a pause: a file still growing is another writer's
 * write in progress, and only a file that stays the same size is taken to end mid-line.
 */
export async function endOf(handle: Pick<FileHandle, 'stat' | 'read'>): Promise<{ size: number; endsLine: boolean }> {
  let { size } = await handle.stat()
  const last = Buffer.alloc(1)
  for (;;) {
    if (size === 0) return { size, endsLine: true }
    await handle.read(last, 0, 1, size - 1)
    if (last[0] === NEWLINE) return { size, endsLine: true }
    await new Promise((settled) => setTimeout(settled, SETTLE_MS))
    const now = (await handle.stat()).size
    if (now === size) return { size, endsLine: false }
    size = now
  }
}

/** How many of `lines` lie wholly within the first `bytes` bytes. */
function wholeLines(lines: readonly Buffer[], bytes: number): number {
  let count = 0
  for (const line of lines) {
    if (bytes < line.length) break
    bytes -= line.length
    count++
  }
  return count
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`recordInvalidPayloads: ${name} must be an integer >= ${min}, got ${String(value)}`)
  }
  return value
}
