/**
 * compileProject without positions (what check and generate ask for, to keep 10,000 events'
 * position maps out of memory together): every event and diagnostic is the one compiling
 * with positions gives, including for a file the cross-file name checks reject after it
 * was already compiled; only the position maps shrink to `/name`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compileProject } from '../../src/compile/compile-project.js'
import { packEvent, unpackEvent } from '../../src/compile/packed-event.js'
import { loadConfig } from '../../src/config/load-config.js'

const root = mkdtempSync(join(tmpdir(), 'refold-compile-project-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const FILES: Record<string, string> = {
  // Compiles, with a warning (a field only ever null) pointing into the sample.
  'a-order-placed.yaml': 'name: Order Placed\nsample:\n  id: ord_1\n  note: null\n',
  // Fails compile: the sample breaks the override's minimum.
  'b-refund-issued.yaml': 'name: Refund Issued\nsample:\n  total: 1\nschema:\n  properties:\n    total:\n      minimum: 10\n',
  // Same name as the first file, and a warning of its own: the name check rejects the file,
  // so its compile warning must not be reported either.
  'c-duplicate.yaml': 'name: Order Placed\nsample:\n  other: null\n',
  // Not an event file at all.
  'd-broken.yaml': 'name: [\n',
}

async function project(name: string) {
  const cwd = join(root, name)
  mkdirSync(join(cwd, 'events'), { recursive: true })
  for (const [file, text] of Object.entries(FILES)) writeFileSync(join(cwd, 'events', file), text)
  return { cwd, config: await loadConfig({ cwd }) }
}

async function compiled(keepPositions: boolean | undefined) {
  const { cwd, config } = await project(keepPositions === false ? 'without' : 'with')
  return compileProject(config, keepPositions === undefined ? { cwd } : { cwd, keepPositions })
}

describe('compileProject({ keepPositions: false })', () => {
  it('reports exactly what compiling with positions reports, and keeps only the position of each name', async () => {
    const full = await compiled(undefined)
    const lean = await compiled(false)
    expect(lean.diagnostics).toEqual(full.diagnostics)
    expect(lean.files).toEqual(full.files)
    // The project is what the assertions above rest on: a warning, an error, a name clash, a parse error.
    const messages = full.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity}`)
    expect(messages).toEqual([
      'events/a-order-placed.yaml:4 warning',
      'events/b-refund-issued.yaml:3 error',
      'events/c-duplicate.yaml:1 error',
      'events/d-broken.yaml:2 error',
    ])
    expect(lean.events.map((event) => event.definition.name)).toEqual(['Order Placed'])
    const [withPositions] = full.events
    const [withoutPositions] = lean.events
    expect(Object.keys(withPositions!.definition.locations).length).toBeGreaterThan(1)
    expect(withoutPositions!.definition.locations).toEqual({ '/name': withPositions!.definition.locations['/name'] })
    expect({ ...withoutPositions!, definition: { ...withoutPositions!.definition, locations: {} } }).toEqual({
      ...withPositions!,
      definition: { ...withPositions!.definition, locations: {} },
    })
  })
})

describe('compileProject({ keepPositions: false, hold })', () => {
  it('keeps what `hold` returns of each event as it compiles, and only for the events compile keeps', async () => {
    const lean = await compiled(false)
    const { cwd, config } = await project('held')
    const handed: string[] = []
    const held = await compileProject(config, {
      cwd,
      keepPositions: false,
      // What generate holds: the event packed (compile/packed-event.ts).
      hold: (event) => {
        handed.push(`${event.definition.file} (${Object.keys(event.definition.locations).join(', ')})`)
        return packEvent(event)
      },
    })
    // Handed over already without positions; the duplicate compiled before the name checks refused it.
    expect(handed).toEqual(['events/a-order-placed.yaml (/name)', 'events/c-duplicate.yaml (/name)'])
    expect(held.diagnostics).toEqual(lean.diagnostics)
    expect(held.files).toEqual(lean.files)
    expect(held.loaded).toBe(lean.loaded)
    expect(held.events.map((packed) => packed.name)).toEqual(['Order Placed'])
    expect(held.events.map(unpackEvent)).toEqual(lean.events)
  })
})
