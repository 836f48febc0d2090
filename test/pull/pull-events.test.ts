import { describe, expect, it } from 'vitest'
import { compileEvent } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { pullEvents, schemaPatch } from '../../src/pull/pull-events.js'
import { compileBareSchema } from '../../src/sync/plan/remote-schemas.js'
import type { RemoteEventSnapshot } from '../../src/sync/sync-types.js'
import type { JsonObject } from '../../src/types.js'
import { loadAjv } from '../../src/util/load-ajv.js'
import { compiled, obj, str } from '../sync/fixtures.js'

const inference = { formats: true, closedObjects: true }
const remote = (
  name: string,
  sample: JsonObject | null,
  jsonSchema: RemoteEventSnapshot['jsonSchema'] = null,
  id = name,
): RemoteEventSnapshot => ({ id, name, sample, jsonSchema, variables: [] })
const base = {
  local: [],
  existingFiles: new Set<string>(),
  inference,
  source: 'local',
  editorSchema: '../node_modules/refold-events/event-file.schema.json',
}

async function compileFile(contents: string, file: string) {
  const parsed = await parseEventFile(contents, file)
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  const { event } = await compileEvent(parsed.definition!, inference)
  return event!
}

describe('pullEvents', () => {
  it('writes name and sample only for a Console event, and the file compiles to what Refold effectively has', async () => {
    const sample = { first_name: 'Jane', email: 'jane@example.com', tags: ['a'], note: null, '+1': 2, yes: 'no' }
    const result = await pullEvents({ ...base, remote: [remote('New Contact Created', sample)] })
    expect(result.skipped).toEqual([])
    const [file] = result.files
    expect(file!.fileName).toBe('new-contact-created.yaml')
    expect(file!.contents).toBe(
      [
        '# yaml-language-server: $schema=../node_modules/refold-events/event-file.schema.json',
        '# Adopted from Refold (local) by `refold-events pull`. Edit freely: this file is now the source of truth.',
        'name: New Contact Created',
        'sample:',
        '  first_name: Jane',
        '  email: jane@example.com',
        '  tags:',
        '    - a',
        '  note: null',
        '  "+1": 2',
        '  "yes": "no"',
        '',
      ].join('\n'),
    )
    const event = await compileFile(file!.contents, file!.fileName)
    expect(event.definition.sample).toEqual(sample)
    expect(event.schema).toEqual(await compileBareSchema('New Contact Created', sample, inference))
  })

  it('adopts a schema refold-events pushed exactly, with the smallest override', async () => {
    const sample = { id: 'in_1', amount: 1200, paid_at: '2024-05-01T10:00:00Z' }
    const bare = await compileBareSchema('Invoice Paid', sample, inference)
    const pushed = {
      ...bare,
      description: 'An invoice was paid.',
      properties: { ...bare.properties, amount: { type: 'integer', minimum: 0 }, paid_at: { type: 'string' } },
    }
    const result = await pullEvents({ ...base, remote: [remote('Invoice Paid', sample, pushed as never)] })
    const [file] = result.files
    expect(file!.warnings).toEqual([])
    // The schema's description is the event's: written as `description`, not inside `schema`.
    expect(file!.contents).toContain('name: Invoice Paid\ndescription: An invoice was paid.\nsample:\n')
    expect(file!.contents).toContain('schema:\n  properties:\n    amount:\n      minimum: 0\n    paid_at:\n      format: null\n')
    expect(file!.contents).not.toMatch(/^ {2}description:/m)
    expect((await compileFile(file!.contents, file!.fileName)).schema).toEqual(pushed)
  })

  it('quotes text a YAML 1.1 reader would take for a date, a boolean or a number', async () => {
    const sample = { paid_on: '2024-05-02', paid_at: '2024-05-02T09:30:00Z', at: '12:30:00', ok: 'yes', id: '1_000', count: 3 }
    const [file] = (await pullEvents({ ...base, remote: [remote('Invoice Paid', sample)] })).files
    expect(file!.contents).toContain(
      [
        'sample:',
        '  paid_on: "2024-05-02"',
        '  paid_at: "2024-05-02T09:30:00Z"',
        '  at: "12:30:00"',
        '  ok: "yes"',
        '  id: "1_000"',
        '  count: 3',
        '',
      ].join('\n'),
    )
    expect((await compileFile(file!.contents, file!.fileName)).definition.sample).toEqual(sample)
  })

  it('reproduces a hand-written remote schema, never stricter than Refold, and says sync adds $id and title', async () => {
    const sample = { id: 'in_1', amount: 1200 }
    const handWritten = { type: 'object', properties: { id: { type: 'string', description: 'Invoice id' } }, required: ['id'] }
    const [file] = (await pullEvents({ ...base, remote: [remote('Invoice Paid', sample, handWritten as never)] })).files
    expect(file!.contents).toContain(
      'schema:\n  properties:\n    id:\n      description: Invoice id\n    amount: null\n  required:\n    - id\n  additionalProperties: null\n',
    )
    const event = await compileFile(file!.contents, file!.fileName)
    expect(schemaPatch(event.schema, handWritten as never)).toBeUndefined()
    expect(file!.warnings[0]).toContain('lacks what every compiled schema has')
  })

  it('adopts a field that is an object or a string exactly, so the string form still validates (issue 12 a)', async () => {
    const sample = { id: 'd1', body: { title: 'readme' } }
    const pushed = await compileBareSchema('doc saved', sample, inference)
    const either = { anyOf: [pushed.properties!.body!, { type: 'string' }] }
    const remoteSchema = { ...pushed, properties: { ...pushed.properties, body: either } }
    const [file] = (await pullEvents({ ...base, remote: [remote('doc saved', sample, remoteSchema as never)] })).files
    expect(file!.warnings).toEqual([])
    const event = await compileFile(file!.contents, file!.fileName)
    expect(event.schema).toEqual(remoteSchema)
    const validate = (await loadAjv()).compile({ ...event.schema, $id: undefined })
    expect(validate({ id: 'd2', body: '# plain' })).toBe(true)
  })

  it('drops a remote schema that rejects its own sample, saying so', async () => {
    const [file] = (
      await pullEvents({
        ...base,
        remote: [remote('Odd', { id: 'x' }, { type: 'object', properties: { id: { type: 'integer' } } } as never)],
      })
    ).files
    expect(file!.contents).not.toContain('schema:')
    expect(file!.warnings[0]).toContain('does not accept its own sample')
  })

  it('skips what is defined, unreadable, nameless or clashing; never reuses a taken file name', async () => {
    const local = [compiled('New Contact Created', { a: 'x' }, obj({ a: str() })).definition]
    const result = await pullEvents({
      ...base,
      local,
      existingFiles: new Set(['Order-Placed.yaml']),
      remote: [
        remote('New Contact Created', { a: 'x' }),
        remote('new contact created', { a: 'x' }, null, 'id2'),
        remote('Broken', null),
        remote('!!!', { a: 1 }),
        remote('Order Placed', { id: 'o1' }),
        remote('Order_Placed', { id: 'o2' }, null, 'id3'),
      ],
    })
    expect(result.files.map((f) => [f.name, f.fileName])).toEqual([['Order Placed', 'order-placed-2.yaml']])
    expect(result.skipped.map((s) => s.name).sort()).toEqual(['!!!', 'Broken', 'Order_Placed', 'new contact created'])
    expect(result.skipped.find((s) => s.name === 'new contact created')!.reason).toContain('differs only in case')
  })
})

describe('schemaPatch', () => {
  it('is the RFC 7396 patch from one schema to another, ignoring what the compiler names', () => {
    expect(schemaPatch({ $id: 'a', type: 'object', required: ['a', 'b'] }, { $id: 'b', type: 'object', required: ['a'] })).toEqual({
      required: ['a'],
    })
    expect(schemaPatch({ type: 'string', format: 'email' }, { type: 'string' })).toEqual({ format: null })
    expect(schemaPatch({ type: 'string', format: 'email' }, { type: 'string' }, { removals: false })).toBeUndefined()
    expect(schemaPatch({ type: 'string' }, { type: 'string' })).toBeUndefined()
  })
})
