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

async function compiled(keepPositions: boolean | undefined) {
  const cwd = join(root, keepPositions === false ? 'without' : 'with')
  mkdirSync(join(cwd, 'events'), { recursive: true })
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(cwd, 'events', name), text)
  const config = await loadConfig({ cwd })
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
