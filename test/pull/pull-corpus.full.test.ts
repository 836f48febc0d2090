import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileBareSchema } from '../../src/sync/plan/remote-schemas.js'
import { STATE_FORMAT, STATE_VERSION } from '../../src/emulator/emulator-state.js'
import type { StoredEvent } from '../../src/emulator/types.js'
import type { JsonObject } from '../../src/types.js'
import { emulator, project } from '../sync/harness.js'
import { CORPUS_DIR } from '../support/corpus.js'

const CORPUS = CORPUS_DIR

async function corpusFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const files = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? corpusFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.json') ? [join(dir, e.name)] : []),
    ),
  )
  return files.flat().sort()
}

describe('pull on the corpus', () => {
  it('adopts every corpus event as a Console would hold it, and a sync right after is a no-op', { timeout: 300_000 }, async () => {
    const files = await corpusFiles(CORPUS)
    expect(files.length).toBeGreaterThan(300)
    const inference = { formats: true, closedObjects: true }
    const events: StoredEvent[] = []
    for (const [i, file] of files.entries()) {
      const name = relative(CORPUS, file)
        .replace(/\.json$/, '')
        .split('/')
        .join(' ')
      const payload = JSON.parse(await readFile(file, 'utf8')) as JsonObject
      const stored = {
        _id: i.toString(16).padStart(24, '0'),
        name,
        created_at: '2025-01-01T00:00:00.000Z',
        updated_at: '2025-01-01T00:00:00.000Z',
      }
      // Three shapes a Console setup can be in: payload only, the {event, payload} envelope,
      // and a json_schema richer than inference (a description on the event and on a field).
      if (i % 3 === 0) events.push({ ...stored, raw_response: JSON.stringify(payload) })
      else if (i % 3 === 1) events.push({ ...stored, raw_response: JSON.stringify({ event: name, payload }) })
      else {
        const schema = await compileBareSchema(name, payload, inference)
        const properties = { ...schema.properties }
        const [first] = Object.keys(properties)
        if (first !== undefined) properties[first] = { ...properties[first], description: 'the first field' }
        events.push({
          ...stored,
          raw_response: JSON.stringify(payload),
          json_schema: { ...schema, description: `Adopted ${name}`, properties },
        })
      }
    }
    const p = await project({})
    // Seeded through the emulator's state file: posting 342 events one by one costs minutes,
    // since every create answers with the whole (growing) event list, as Refold's does.
    await p.write(
      'seed.json',
      JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, events, fires: [], runs: [], deliveries: [] }),
    )
    const refold = await emulator([], { stateFile: join(p.root, 'seed.json') })
    expect(refold.state.events()).toHaveLength(files.length)

    const pulled = await p.cli(['pull'], refold)
    expect(pulled.stderr).toBe('')
    expect(pulled.code).toBe(0)
    expect(pulled.stdout).toContain(`Pulled ${files.length} events from REFOLD_BASE_URL; 0 already defined, 0 skipped.`)

    const synced = await p.cli(['sync', '--dry-run', '--detailed-exitcode'], refold)
    expect(synced.stdout).toContain(`0 to create, 0 to update, 0 to delete, 0 breaking`)
    expect(synced.code).toBe(0)

    // Pulling again writes nothing and overwrites nothing.
    const again = await p.cli(['pull'], refold)
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(`Pulled 0 events from REFOLD_BASE_URL; ${files.length} already defined, 0 skipped.\n`)
  })
})
