/**
 * Generation on worker threads gives the bytes one thread gives, and an event that fails in a
 * worker fails as it would here. The worker's module exists only in the build, so these
 * tests load the pool from dist/ (as the CLI runs it) and run the built CLI as a child.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { EventGenerator } from '../../src/codegen/generate.js'
import type { GeneratorPool, GeneratorPoolOptions } from '../../src/codegen/generator-pool.js'
import type { CompiledEvent, JsonObject } from '../../src/types.js'
import { runCli } from '../support/cli.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'
import { compileSpecs, eventYaml, REPO_ROOT, type EventSpec } from './support.js'

interface BuiltPool {
  loadGeneratorPool(options: GeneratorPoolOptions): Promise<GeneratorPool>
  LOCAL_FIRST: number
  MIN_REMAINING: number
}

const built = (): Promise<BuiltPool> => import(pathToFileURL(join(REPO_ROOT, 'dist/codegen/generator-pool.js')).href) as Promise<BuiltPool>
const builtGenerator = async (): Promise<EventGenerator> =>
  (
    (await import(pathToFileURL(join(REPO_ROOT, 'dist/codegen/generate.js')).href)) as typeof import('../../src/codegen/generate.js')
  ).loadEventGenerator()

/** Events unlike one another: nested objects and arrays, nulls, formats, odd keys (`__proto__`, `constructor`), overrides, renames. */
function specs(count: number): EventSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const sample: JsonObject = {
      id: `evt_${i}`,
      amount: i % 3 === 0 ? 12.5 : i,
      at: '2024-05-08T07:45:31Z',
      owner: { email: `user${i}@example.com`, tags: ['a', 'b'], address: { city: 'Zürich' } },
      items: [{ sku: `S${i}`, quantity: i % 7 }],
      [`field_${i % 11}`]: i % 5 === 0 ? [1, 2] : 'x',
    }
    if (i % 10 === 3)
      Object.defineProperty(sample, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true })
    if (i % 10 === 4) sample['constructor'] = 'not a function'
    const spec: EventSpec = { name: `Event ${String(i).padStart(3, '0')} ${i % 2 === 0 ? 'Created' : 'Café Updated'}`, sample }
    // The address nullable, settled by an example.
    if (i % 2 === 0) spec.examples = [{ ...sample, owner: { email: 'b@example.com', tags: [], address: null } }]
    if (i % 9 === 0) spec.schema = { properties: { id: { description: 'The id.', pattern: '^evt_' } } }
    if (i % 13 === 0) spec.description = 'An event with */ a comment end and `backticks`.'
    return spec
  })
}

describe('generator pool', () => {
  it('generates in a worker exactly the files this thread generates, and reports where events went', async () => {
    const { loadGeneratorPool, LOCAL_FIRST, MIN_REMAINING } = await built()
    const events = await compileSpecs(...specs(LOCAL_FIRST + MIN_REMAINING + 20))
    const alone = await builtGenerator()
    const expected = await Promise.all(events.map((event) => alone.generate(event)))
    const pool = await loadGeneratorPool({ events: events.length, threads: 2 })
    try {
      const outputs = await Promise.all(events.map((event) => pool.generate(event)))
      expect(outputs).toEqual(expected)
      expect(pool.counts.inWorkers).toBeGreaterThan(0)
      expect(pool.counts.here + pool.counts.inWorkers).toBe(events.length)
    } finally {
      await pool.close()
    }
  })

  it('starts no worker for a small run or with one thread', async () => {
    const { loadGeneratorPool, LOCAL_FIRST, MIN_REMAINING } = await built()
    const events = await compileSpecs(...specs(LOCAL_FIRST + MIN_REMAINING - 1))
    for (const options of [
      { events: events.length, threads: 4 },
      { events: events.length + 100, threads: 1 },
    ]) {
      const pool = await loadGeneratorPool(options)
      await Promise.all(events.map((event) => pool.generate(event)))
      expect(pool.counts).toEqual({ here: events.length, inWorkers: 0 })
      await pool.close()
    }
  })

  it('fails an event that fails in a worker with the error it gives on this thread, and goes on with the others', async () => {
    const { loadGeneratorPool, LOCAL_FIRST, MIN_REMAINING } = await built()
    const events = await compileSpecs(...specs(LOCAL_FIRST + MIN_REMAINING + 20))
    // Not something compile produces (it is the gate): a schema generation cannot read.
    const broken = { ...events[0]!, schema: null } as unknown as CompiledEvent
    const here = await (await builtGenerator()).generate(broken).then(
      () => 'no error',
      (error: Error) => error.message,
    )
    expect(here).not.toBe('no error')
    const pool = await loadGeneratorPool({ events: events.length * 2, threads: 2 })
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

  it('the CLI writes the same bytes and says the same with REFOLD_GENERATE_THREADS=1 and =2', async () => {
    const { LOCAL_FIRST, MIN_REMAINING } = await built()
    const files = Object.fromEntries(specs(LOCAL_FIRST + MIN_REMAINING + 40).map((spec, i) => [`events/e${i}.yaml`, eventYaml(spec)]))
    const outputs = []
    for (const threads of ['1', '2']) {
      const dir = tempDir('pool-cli')
      writeFiles(dir, files)
      const result = await runCli(['generate'], { cwd: dir, env: { REFOLD_GENERATE_THREADS: threads } })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      outputs.push({ stdout: result.stdout, files: readTree(join(dir, 'generated')) })
    }
    expect(outputs[1]).toEqual(outputs[0])
    expect(Object.keys(outputs[0]!.files).length).toBe(3 * (LOCAL_FIRST + MIN_REMAINING + 40) + 1)
  })
})

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) Object.assign(out, readTree(path, `${prefix}${entry.name}/`))
    else out[`${prefix}${entry.name}`] = readFileSync(path, 'utf8')
  }
  return out
}
