/**
 * Validators of a large project are compiled in chunks, each in a scope of its own (ajv's
 * multi-export builder overflowed the call stack at 10,000 events). Forced down to chunks
 * of two, the module must export every validator and accept and reject exactly what the
 * single-module form does, when imported by a real `node`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { emitValidators, validatorName } from '../../src/codegen/emit-validators.js'
import type { CompiledEvent } from '../../src/types.js'
import { compileSpecs, runProcess, tempProject, type EventSpec } from './support.js'

const ADDRESS = { city: 'Paris', country: 'FR' }
const SPECS: EventSpec[] = [
  { name: 'Contact Created', sample: { email: 'jane@example.com', address: ADDRESS, tags: ['vip'] } },
  { name: 'Contact Deleted', sample: { email: 'bob@example.com', address: ADDRESS, deleted_at: '2024-05-01T10:00:00Z' } },
  { name: 'Order Placed', sample: { order_id: 'ord_1', total: 9.5, shipping: ADDRESS } },
  { name: '注文作成', sample: { id: 'o1', website: 'https://example.com' } },
  { name: 'Ticket Opened', sample: { id: 7, subject: 'Help', priority: null }, examples: [{ id: 8, subject: 'Hi', priority: 'high' }] },
]

/** Payloads each validator is run on: its own sample, and each other event's. */
const CHECK = `
const names = JSON.parse(process.argv[2])
const payloads = JSON.parse(process.argv[3])
const module = await import(process.argv[4])
const results = names.map((name) => payloads.map((payload) => {
  const ok = module[name](payload)
  return [ok, (module[name].errors ?? []).map((e) => [e.instancePath, e.keyword]).sort()]
}))
process.stdout.write(JSON.stringify({ exported: Object.keys(module).sort(), results }))
`

describe('validators compiled in chunks', () => {
  let project: string
  let events: CompiledEvent[]

  beforeAll(async () => {
    project = tempProject()
    events = [...(await compileSpecs(...SPECS))].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1))
    writeFileSync(join(project, 'check.mjs'), CHECK)
  })

  const run = async (file: string) => {
    const names = events.map(validatorName)
    const payloads = events.map((e) => e.definition.sample)
    const result = await runProcess(process.execPath, ['check.mjs', JSON.stringify(names), JSON.stringify(payloads), join(project, file)], { cwd: project })
    expect(result.stderr).toBe('')
    return JSON.parse(result.stdout) as { exported: string[]; results: unknown[][] }
  }

  it('export every validator and validate exactly as one module does', async () => {
    const single = await emitValidators(events)
    const chunked = await emitValidators(events, { eventsPerChunk: 2 })
    expect(chunked.dts).toBe(single.dts)
    expect(single.js).not.toContain('$validators')
    expect(chunked.js.match(/^const \$validators\d+ = \(\(\) => \{$/gm)).toHaveLength(3)
    writeFileSync(join(project, 'single.js'), single.js)
    writeFileSync(join(project, 'chunked.js'), chunked.js)
    const [a, b] = [await run('single.js'), await run('chunked.js')]
    expect(b.exported).toEqual(a.exported)
    expect(b.exported).toEqual(events.map(validatorName).sort())
    expect(b.results).toEqual(a.results)
    // Each accepts its own sample and rejects the other events' payloads.
    events.forEach((_, i) => {
      events.forEach((__, j) => expect((b.results[i]![j] as [boolean])[0]).toBe(i === j))
    })
  })
})
