/**
 * The emulator's state on disk. Writes are group commits: every mutation is applied in
 * memory at once, and the next write snapshots the whole state at one instant, writes it
 * atomically (temp file, fsync, rename) and then releases every request whose change it
 * includes. Writes never overlap, so a later file always holds a later state, and a
 * kill -9 at any moment leaves the previous file or the new one. A lock file keeps two
 * emulators from writing the same state.
 */
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { EmulatorStartError } from '../errors.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { STATE_FORMAT, STATE_VERSION, type EmulatorState, type StateSnapshot } from './emulator-state.js'

/** Read a state file; undefined when there is none yet. Throws {@link EmulatorStartError} when it is unusable. */
export async function readStateFile(path: string, shown: string): Promise<StateSnapshot | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new EmulatorStartError('state-unusable', `cannot read the emulator state ${shown}: ${(error as Error).message}`)
  }
  const unusable = (why: string): EmulatorStartError => new StateUnusableError(shown, why)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw unusable(`is not valid JSON (${(error as Error).message})`)
  }
  const snapshot = data as Partial<StateSnapshot> | null
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== STATE_FORMAT) throw unusable('is not an emulator state file')
  if (snapshot.version !== STATE_VERSION)
    throw unusable(`has format version ${String(snapshot.version)}, this emulator reads version ${STATE_VERSION}`)
  for (const key of ['events', 'fires', 'runs', 'deliveries'] as const) {
    if (!Array.isArray(snapshot[key])) throw unusable(`has no "${key}" list`)
  }
  snapshot.events!.forEach((event, index) => {
    const ok =
      typeof event?._id === 'string' &&
      typeof event.name === 'string' &&
      typeof event.raw_response === 'string' &&
      parses(event.raw_response)
    if (!ok) throw unusable(`has a malformed event at events[${index}]`)
  })
  return snapshot as StateSnapshot
}

/** Writes the state after changes, coalescing them; see the module comment. */
export class StateWriter {
  readonly #path: string
  readonly #state: EmulatorState
  #written: number
  #running: Promise<void> | null = null
  #waiters: Array<{ revision: number; resolve: () => void; reject: (error: Error) => void }> = []

  constructor(path: string, state: EmulatorState) {
    this.#path = path
    this.#state = state
    this.#written = state.revision
    state.onChange(() => this.#schedule())
  }

  /** Resolves once the state as it is now is on disk (rejects when that write failed). */
  commit(): Promise<void> {
    const revision = this.#state.revision
    if (revision <= this.#written) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.#waiters.push({ revision, resolve, reject })
      this.#schedule()
    })
  }

  /** Resolves when nothing is left to write. */
  async idle(): Promise<void> {
    while (this.#running !== null || this.#written < this.#state.revision) {
      this.#schedule()
      await this.#running
    }
  }

  #schedule(): void {
    // Run on the next turn so that changes made in the same turn share one write.
    this.#running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#loop())
  }

  async #loop(): Promise<void> {
    try {
      while (this.#written < this.#state.revision) {
        const revision = this.#state.revision
        const text = this.#state.snapshotJson()
        try {
          await writeFileAtomic(this.#path, text)
          this.#written = revision
          this.#settle(revision, null)
        } catch (error) {
          this.#written = revision // do not spin on a broken disk; the next change retries
          this.#settle(revision, new Error(`the state could not be saved: ${(error as Error).message}`))
        }
      }
    } finally {
      this.#running = null
    }
  }

  #settle(revision: number, error: Error | null): void {
    const done = this.#waiters.filter((waiter) => waiter.revision <= revision)
    this.#waiters = this.#waiters.filter((waiter) => waiter.revision > revision)
    for (const waiter of done) {
      if (error === null) waiter.resolve()
      else waiter.reject(error)
    }
  }
}

const heldInThisProcess = new Set<string>()

/**
 * The state file exists but cannot be read as a state. The message advises the `emulator`
 * command's `--state`; commands without that option say their own remedy from `why`.
 */
export class StateUnusableError extends EmulatorStartError {
  constructor(
    /** The state file as the message shows it. */
    readonly state: string,
    /** What is wrong with it (`is not valid JSON (...)`). */
    readonly why: string,
  ) {
    super('state-unusable', `emulator state ${state} ${why}; move it away (or pass --state FILE) to start from an empty state`)
  }
}

/** The state file is locked by another running emulator: the one startup problem callers act on. */
export class StateInUseError extends EmulatorStartError {
  constructor(
    message: string,
    /** The state file as the message shows it. */
    readonly state: string,
    /** The URL the running emulator listens on, when its lock file records one. */
    readonly url?: string,
  ) {
    super('state-in-use', message)
  }
}

/**
 * Record in the lock of `path` (which this process holds) the URL the emulator listens on, so
 * a command refused the state can point at the running emulator rather than guess its port.
 * The pid stays on the first line: readers of older locks parse only that.
 */
export async function recordLockUrl(path: string, url: string): Promise<void> {
  // Best effort: the lock holds with the pid alone, and a refused command then names no URL.
  await writeFileAtomic(`${resolve(path)}.lock`, `${process.pid}\n${url}\n`).catch(() => {})
}

/** The URL line of a lock's text, when it holds a plausible http URL. */
function lockedUrl(text: string): string | undefined {
  const line = text.split('\n')[1]?.trim()
  return line !== undefined && /^https?:\/\/[^\s]+$/.test(line) ? line : undefined
}

/**
 * Take the lock `<state>.lock` (holding our pid), taking over a stale one left by a dead
 * process. Returns the release function.
 */
export async function lockStateFile(path: string, shown: string): Promise<() => Promise<void>> {
  try {
    return await takeLock(resolve(path), shown)
  } catch (error) {
    if (error instanceof EmulatorStartError) throw error
    throw new EmulatorStartError('state-unusable', `cannot use the emulator state ${shown}: ${(error as Error).message}`)
  }
}

async function takeLock(absolute: string, shown: string): Promise<() => Promise<void>> {
  const lock = `${absolute}.lock`
  await mkdir(dirname(absolute), { recursive: true })
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLockFile(lock)) {
      heldInThisProcess.add(absolute)
      return async () => {
        heldInThisProcess.delete(absolute)
        await rm(lock, { force: true })
      }
    }
    const text = await readFile(lock, 'utf8').catch(() => '')
    const holder = Number.parseInt(text, 10)
    const mine = holder === process.pid && heldInThisProcess.has(absolute)
    if (mine || (holder !== process.pid && isAlive(holder))) {
      const url = lockedUrl(text)
      const who = `${mine ? 'another emulator in this process' : `another emulator (process ${holder})`}${url === undefined ? '' : ` at ${url}`}`
      throw new StateInUseError(
        `emulator state ${shown} is in use by ${who}; stop it, or pass --state FILE to use another state`,
        shown,
        url,
      )
    }
    await rm(lock, { force: true }) // left by a process that died
  }
  throw new EmulatorStartError('state-unusable', `could not lock the emulator state ${shown}: the lock file ${lock} keeps reappearing`)
}

/** Create `lock` holding our pid; false when it exists. */
async function createLockFile(lock: string): Promise<boolean> {
  // Write the pid to a temp file, then link it into place: the lock appears whole or not at all.
  const temp = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}`
  await writeFileAtomic(temp, String(process.pid))
  try {
    await link(temp, lock)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error
    // A filesystem without hard links: exclusive create (a reader may briefly see it empty).
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' })
      return true
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw fallback
    }
  } finally {
    await rm(temp, { force: true })
  }
}

/**
 * Remove temp files that processes killed mid-write left beside the state file: state
 * temps (`.<state>.<pid>.<hex>.tmp`) and lock temps (`<state>.lock.<pid>.<hex>`).
 */
export async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(resolve(path))
  // Longest first: `.<state>.lock.` names are the atomic-write temps of lock temps.
  const prefixes = [`.${basename(path)}.lock.`, `${basename(path)}.lock.`, `.${basename(path)}.`]
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  for (const name of names) {
    const prefix = prefixes.find((candidate) => name.startsWith(candidate))
    if (prefix === undefined || (prefix !== prefixes[1] && !name.endsWith('.tmp'))) continue
    const pid = Number.parseInt(name.slice(prefix.length), 10)
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await rm(join(dir, name), { force: true })
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
