/**
 * Greedy example selection: a record becomes an example only when it does not validate
 * against the schema compiled with the examples chosen so far; redacted stand-ins fall
 * back to real values only where the override demands it; a record only an override
 * change can accept is refused, never forced in.
 */
import { describe, expect, it } from 'vitest'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { learnEvent } from '../../src/learn/learn-event.js'
import { compilePayloadCheck } from '../../src/learn/payload-checker.js'
import type { PayloadRecord } from '../../src/learn/payload-records.js'
import type { EventDefinition, JsonObject } from '../../src/types.js'

const INFERENCE = { formats: true, closedObjects: true }

async function definition(yaml: string): Promise<EventDefinition> {
  const parsed = await parseEventFile(yaml, 'events/e.yaml')
  if (parsed.definition === undefined) throw new Error(JSON.stringify(parsed.diagnostics))
  return parsed.definition
}

function records(...payloads: JsonObject[]): PayloadRecord[] {
  return payloads.map((payload, i) => ({ file: 'r.ndjson', line: i + 1, column: 1, event: 'E', payload }))
}

const BASE = `name: E
sample:
  id: 1
  email: jane@example.com
  note: hello
`

describe('learnEvent', () => {
  it('adds nothing when every record already validates', async () => {
    const learned = await learnEvent(await definition(BASE), records({ id: 2, email: 'bob@example.com', note: 'x' }), {
      inference: INFERENCE,
      keepValues: false,
    })
    expect(learned.added).toEqual([])
    expect(learned.alreadyValid).toBe(1)
    expect(learned.after).toBe(learned.before)
  })

  it('adds one example for several records that need the same widening, and every record then validates', async () => {
    const input = records(
      { id: 2, email: 'a@example.com', note: null },
      { id: 3, email: 'b@example.com', note: null },
      { id: 4, email: 'c@example.com' },
      { id: 5, email: 'd@example.com', note: 'ok' },
    )
    const learned = await learnEvent(await definition(BASE), input, { inference: INFERENCE, keepValues: false })
    expect(learned.added.map((a) => a.record.line)).toEqual([1, 3])
    expect(learned.added.map((a) => a.example)).toEqual([
      { id: 0, email: 'user@example.com', note: null },
      { id: 0, email: 'user@example.com' },
    ])
    expect(learned.alreadyValid).toBe(1)
    expect(learned.refused).toEqual([])
    const check = await compilePayloadCheck(learned.after.schema)
    for (const record of input) expect(check.accepts(record.payload)).toBe(true)
    check.release()
  })

  it('keeps values with keepValues', async () => {
    const learned = await learnEvent(await definition(BASE), records({ id: 2.5, email: 'a@example.com', note: 'x' }), {
      inference: INFERENCE,
      keepValues: true,
    })
    expect(learned.added.map((a) => a.example)).toEqual([{ id: 2.5, email: 'a@example.com', note: 'x' }])
  })

  it('drops a format the recorded value does not have', async () => {
    const yaml = `${BASE}  at: "2024-05-01T10:00:00Z"\n`
    const learned = await learnEvent(await definition(yaml), records({ id: 2, email: 'a@example.com', note: 'x', at: 'yesterday' }), {
      inference: INFERENCE,
      keepValues: false,
    })
    expect(learned.before.schema.properties?.at?.format).toBe('date-time')
    expect(learned.added.map((a) => a.example)).toEqual([{ id: 0, email: 'user@example.com', note: 'redacted', at: 'redacted' }])
    expect(learned.after.schema.properties?.at?.format).toBeUndefined()
  })

  it('keeps the real value where a stand-in would break the override, and says where', async () => {
    const yaml = `${BASE}schema:
  properties:
    note: { maxLength: 5 }
    id: { minimum: 1 }
`
    const learned = await learnEvent(await definition(yaml), records({ id: 7, email: 'a@example.com', note: 'abc', extra: 'x' }), {
      inference: INFERENCE,
      keepValues: false,
    })
    expect(learned.added).toEqual([
      expect.objectContaining({ example: { id: 7, email: 'user@example.com', note: 'abc', extra: 'redacted' }, kept: ['/id', '/note'] }),
    ])
    expect(learned.refused).toEqual([])
  })

  it('refuses a record that violates an enum the author wrote, and reports its mismatch without values', async () => {
    const yaml = `${BASE}schema:
  properties:
    note: { enum: [hello, bye] }
`
    const learned = await learnEvent(
      await definition(yaml),
      records({ id: 2, email: 'a@example.com', note: 'other' }, { id: 3, email: 'a@example.com' }),
      {
        inference: INFERENCE,
        keepValues: false,
      },
    )
    expect(learned.added.map((a) => a.record.line)).toEqual([2])
    expect(learned.refused).toEqual([
      {
        record: expect.objectContaining({ line: 1 }),
        mismatches: [{ path: '/note', keyword: 'enum', expected: 'enum: "hello", "bye"', actual: 'string' }],
        reason: 'override',
      },
    ])
  })
})
