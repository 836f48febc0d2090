/**
 * A code generation thread (generator-pool.ts starts it): generates each event it is sent
 * with the same generator as the main thread and answers with its files, or with the error
 * the generator threw (message and stack; the main thread decides what to show).
 */
import { parentPort } from 'node:worker_threads'
import type { CompiledEvent } from '../types.js'
import { loadEventGenerator } from './generate.js'
import type { WorkerAnswer } from './generator-pool.js'
import { compiledEvent, type PackedEvent } from '../compile/packed-event.js'

const port = parentPort
if (port === null) throw new Error('generator-worker.js runs as a worker thread of generator-pool.js')
const generator = await loadEventGenerator()
port.on('message', ({ id, event }: { id: number; event: CompiledEvent | PackedEvent }) => {
  // Unpacked here: the main thread sends an event still packed as it holds it.
  generator.generate(compiledEvent(event)).then(
    (output) => port.postMessage({ id, output } satisfies WorkerAnswer),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error)
      const stack = error instanceof Error ? error.stack : undefined
      port.postMessage({ id, error: stack === undefined ? { message } : { message, stack } } satisfies WorkerAnswer)
    },
  )
})
