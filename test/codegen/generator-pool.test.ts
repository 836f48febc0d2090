/**
 * Generation on worker threads gives the bytes one thread gives, and an event that fails in a
 * worker fails as it would here. The worker's module exists only in the build, so these
 * tests load the pool from dist/, as the CLI runs it (generate-threads.full.test.ts runs the CLI).
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { EventGenerator } from '../../src/codegen/generate.js'
import type { GeneratorPool, GeneratorPoolOptions } from '../../src/codegen/generator-pool.js'
import type { CompiledEvent } from '../../src/types.js'
import { compileSpecs, REPO_ROOT } from './support.js'
import { specs } from './thread-specs.js'

interface BuiltPool {
  loadGeneratorPool(options: GeneratorPoolOptions): Promise<GeneratorPool>
  MIN_REMAINING: number
}

/** Workers started early, so a small project has some. */
const EARLY = { after: 4, remaining: 10 }
const EVENTS = 60

const built = (): Promise<BuiltPool> => import(pathToFileURL(join(REPO_ROOT, 'dist/codegen/generator-pool.js')).href) as Promise<BuiltPool>
const builtGenerator = async (): Promise<EventGenerator> =>
  (
    (await import(pathToFileURL(join(REPO_ROOT, 'dist/codegen/generate.js')).href)) as typeof import('../../src/codegen/generate.js')
  ).loadEventGenerator()

describe('generator pool', () => {
  it('generates in a worker exactly the files this thread generates, and reports where events went', async () => {
    const { loadGeneratorPool } = await built()
    const events = await compileSpecs(...specs(EVENTS))
    const alone = await builtGenerator()
    const expected = await Promise.all(events.map((event) => alone.generate(event)))
    const pool = await loadGeneratorPool({ events: events.length, threads: 2, startWorkers: EARLY })
    try {
      const outputs = await Promise.all(events.map((event) => pool.generate(event)))
      expect(outputs).toEqual(expected)
      expect(pool.counts.inWorkers).toBeGreaterThan(0)
      expect(pool.counts.here + pool.counts.inWorkers).toBe(events.length)
    } finally {
      await pool.close()
    }
  })

  it('takes events still packed, here and in a worker, and generates the same files', async () => {
    const { loadGeneratorPool } = await built()
    const { packEvent } = (await import(
      pathToFileURL(join(REPO_ROOT, 'dist/compile/packed-event.js')).href
    )) as typeof import('../../src/compile/packed-event.js')
    const events = await compileSpecs(...specs(EVENTS))
    const alone = await builtGenerator()
    const expected = await Promise.all(events.map((event) => alone.generate(event)))
    const pool = await loadGeneratorPool({ events: events.length, threads: 2, startWorkers: EARLY })
    try {
      const outputs = await Promise.all(events.map((event) => pool.generate(packEvent(event))))
      expect(outputs).toEqual(expected)
      expect(pool.counts.inWorkers).toBeGreaterThan(0)
      expect(pool.counts.here).toBeGreaterThan(0)
    } finally {
      await pool.close()
    }
  })

  it('starts no worker for a small run or with one thread', async () => {
    const { loadGeneratorPool, MIN_REMAINING } = await built()
    const events = await compileSpecs(...specs(EVENTS))
    for (const options of [
      { events: events.length, threads: 4 },
      { events: MIN_REMAINING * 2, threads: 1 },
      { events: events.length, threads: 4, startWorkers: { after: 4, remaining: events.length } },
    ]) {
      const pool = await loadGeneratorPool(options)
      await Promise.all(events.map((event) => pool.generate(event)))
      expect(pool.counts).toEqual({ here: events.length, inWorkers: 0 })
      await pool.close()
    }
  })

  it('fails an event that fails in a worker with the error it gives on this thread, and goes on with the others', async () => {
    const { loadGeneratorPool } = await built()
    const events = await compileSpecs(...specs(EVENTS))
    // Not something compile produces (it is the gate): a schema generation cannot read.
    const broken = { ...events[0]!, schema: null } as unknown as CompiledEvent
    const here = await (await builtGenerator()).generate(broken).then(
      () => 'no error',
      (error: Error) => error.message,
    )
    expect(here).not.toBe('no error')
    const pool = await loadGeneratorPool({ events: events.length * 2, threads: 2, startWorkers: EARLY })
    try {
      const results = await Promise.allSettled(events.flatMap((event) => [pool.generate(event), pool.generate(broken)]))
      const failures = results.filter((result) => result.status === 'rejected')
      expect(failures).toHaveLength(events.length)
      for (const failure of failures) expect((failure as PromiseRejectedResult).reason.message).toBe(here)
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(events.length)
      expect(pool.counts.inWorkers).toBeGreaterThan(0)
    } finally {
      await pool.close()
    }
  })
})
