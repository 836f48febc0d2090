/**
 * Event generation on more than one core: this thread generates events as before, and once a
 * run has shown it is large enough, worker threads (one per other core) generate some of them
 * too. Each event's files depend on that event alone (generate.ts), so where an event is
 * generated cannot change a byte of its output; the caller orders what it writes and reports.
 *
 * - Events reach a worker as a structured clone (plain JSON data plus `undefined` members, key
 *   order and own `__proto__` keys kept), and their files come back the same way.
 * - A worker starts only after {@link LOCAL_FIRST} events were generated here and at least
 *   {@link MIN_REMAINING} may remain: a worker loads and JIT-warms its own copy of the
 *   generator, which costs more CPU than it saves a small project.
 * - An error inside a worker fails that event as it would fail here: its message, no stack
 *   unless the CLI is asked for one (`--debug` prints the worker's). A worker that dies fails
 *   the events it held and is not used again.
 * - Only the built package has the worker's module (dist/codegen/generator-worker.js); run
 *   from source (tests in-process), everything is generated on this thread.
 */
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { compiledEvent, type PackedEvent } from '../compile/packed-event.js'
import type { CompiledEvent } from '../types.js'
import { loadEventGenerator, type EventGenerator, type EventOutput } from './generate.js'

/** Events generated on this thread before a worker may start (a run that stops earlier never starts one). */
export const LOCAL_FIRST = 16
/**
 * Fewest events that may remain, once {@link LOCAL_FIRST} are done, for a worker to be worth
 * starting. Measured on a quiet 2-core machine (wall time of a cold generate of the bench's
 * synthetic events, median of three, one thread against two): 1,000 events 4.68 s vs 4.90 s (no
 * gain, ~15% more CPU), 2,000 8.69 s vs 8.01 s (-8%), 3,000 12.1 s vs 10.3 s (-15%), 10,000
 * 41.2 s vs 33.7 s (-18%). Compile still runs on this thread before generation starts, so
 * below ~1,500 events the worker's start-up and JIT warm-up cost as much as it takes off.
 */
export const MIN_REMAINING = 1500
/** Events handed to one worker and not yet returned: enough that it never waits for this thread. */
const QUEUE_PER_WORKER = 3

/**
 * An {@link EventGenerator} whose `close` ends its workers (call it also after a failure). It also
 * takes an event still packed (packed-event.ts): a worker is sent the bytes and unpacks them
 * itself, so this thread neither unpacks nor clones an event it hands out.
 */
export interface GeneratorPool extends EventGenerator {
  generate(event: CompiledEvent | PackedEvent): Promise<EventOutput>
  close(): Promise<void>
  /** Where the events went so far: generated on this thread, or handed to a worker. */
  readonly counts: { here: number; inWorkers: number }
}

export interface GeneratorPoolOptions {
  /** How many events the run may generate at most (workers are not started for fewer). */
  events: number
  /** Threads in all, this one included; default one per core. 1: never start a worker. */
  threads?: number
  /** When workers start (default: after {@link LOCAL_FIRST} here, with {@link MIN_REMAINING} left). */
  startWorkers?: { after: number; remaining: number }
}

/** Threads to use: `REFOLD_GENERATE_THREADS` when it is a whole number from 1, else one per core. */
export function generateThreads(value: string | undefined): number {
  const threads = value === undefined ? Number.NaN : Number(value)
  return Number.isInteger(threads) && threads >= 1 ? threads : availableParallelism()
}

const WORKER_MODULE = fileURLToPath(new URL('./generator-worker.js', import.meta.url))

/** Load the generator of this thread; workers join as the run shows it is large enough. */
export async function loadGeneratorPool(options: GeneratorPoolOptions): Promise<GeneratorPool> {
  const local = await loadEventGenerator()
  const maxWorkers = existsSync(WORKER_MODULE) ? Math.max(0, (options.threads ?? availableParallelism()) - 1) : 0
  const workers: GeneratorWorker[] = []
  const { after: startAfter, remaining: startRemaining } = options.startWorkers ?? { after: LOCAL_FIRST, remaining: MIN_REMAINING }
  let generatedHere = 0
  let handedOut = 0
  // One event at a time on this thread, as without workers: callers do not wait for each event.
  let previous: Promise<unknown> = Promise.resolve()
  return {
    async generate(event) {
      const remaining = options.events - generatedHere - handedOut
      if (workers.length < maxWorkers && generatedHere >= startAfter && remaining >= startRemaining) {
        while (workers.length < maxWorkers) workers.push(new GeneratorWorker())
      }
      const idle = workers.find((worker) => worker.usable && worker.pending < QUEUE_PER_WORKER)
      if (idle !== undefined) {
        handedOut++
        return idle.generate(event)
      }
      generatedHere++
      const output = previous.then(() => local.generate(compiledEvent(event)))
      previous = output.catch(() => undefined)
      return output
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()))
    },
    get counts() {
      return { here: generatedHere, inWorkers: handedOut }
    },
  }
}

/** What a worker answers for one event. */
export type WorkerAnswer = { id: number; output: EventOutput } | { id: number; error: { message: string; stack?: string } }

/** One worker thread and the events it holds. */
class GeneratorWorker {
  /**
   * A young generation of 16 MB (V8 sizes it to 3 x 16 MB semi-spaces at most on 64-bit): a
   * worker's garbage is short-lived per event, and a smaller nursery keeps its heap from growing
   * under it. Measured at 10,000 events on 2 cores (cold generate, maxRSS of the process): peak
   * 476-503 MB without it, 403-471 MB with it (seven runs), wall time the same. Only the nursery is bounded, never the old generation, so no project can run out of
   * heap because of it.
   */
  private readonly worker = new Worker(WORKER_MODULE, { resourceLimits: { maxYoungGenerationSizeMb: 16 } })
  private readonly waiting = new Map<number, { resolve: (output: EventOutput) => void; reject: (error: Error) => void }>()
  private nextId = 0
  private failure: Error | undefined
  private closed = false

  constructor() {
    // Never what keeps the process alive: the run closes it, and a CLI exiting on an error does not wait.
    this.worker.unref()
    this.worker.on('message', (answer: WorkerAnswer) => {
      const waiter = this.waiting.get(answer.id)
      if (waiter === undefined) return
      this.waiting.delete(answer.id)
      if ('output' in answer) waiter.resolve(answer.output)
      else waiter.reject(workerError(answer.error))
    })
    this.worker.on('error', (error) => this.fail(error instanceof Error ? workerError(error) : new Error(String(error))))
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a code generation thread stopped unexpectedly (exit code ${code})`))
    })
  }

  get usable(): boolean {
    return this.failure === undefined && !this.closed
  }

  get pending(): number {
    return this.waiting.size
  }

  generate(event: CompiledEvent | PackedEvent): Promise<EventOutput> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker.postMessage({ id, event })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await this.worker.terminate()
    this.fail(new Error('code generation stopped'))
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const waiter of this.waiting.values()) waiter.reject(error)
    this.waiting.clear()
  }
}

/** An error as the generator threw it in the worker: its message, and its stack for `--debug`. */
function workerError({ message, stack }: { message: string; stack?: string }): Error {
  const error = new Error(message)
  if (stack !== undefined) error.stack = stack
  return error
}
