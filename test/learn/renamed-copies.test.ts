/**
 * Recorded fires of a rename in expansion carry the old field as a copy (issue 12). `learn` and
 * `validate` read them as the caller wrote them: the copy never becomes an example (which would
 * make the old path a field again and silently end the expansion), nor a mismatch under
 * closed objects.
 */
import { describe, expect, it } from 'vitest'
import { compileEvent } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { checkRecords } from '../../src/learn/check-records.js'
import { learnEvent } from '../../src/learn/learn-event.js'
import type { PayloadRecord } from '../../src/learn/payload-records.js'
import type { EventDefinition, JsonObject } from '../../src/types.js'
import { copyRenamedFields } from '../../src/wire/renamed-copies.js'

const INFERENCE = { formats: true, closedObjects: true }

const EVENT = `name: E
sample:
  given_name: Jane
  note: hello
  lines: [{ code: MUG }]
renames:
  first_name: given_name
  contact.first: given_name
  items[].sku: lines[].code
`

async function definition(): Promise<EventDefinition> {
  const parsed = await parseEventFile(EVENT, 'events/e.yaml')
  if (parsed.definition === undefined) throw new Error(JSON.stringify(parsed.diagnostics))
  return parsed.definition
}

/** Records as the helpers fire them: with the copies. */
async function fired(...payloads: JsonObject[]): Promise<PayloadRecord[]> {
  const { event } = await compileEvent(await definition(), INFERENCE)
  expect(event!.renameCopies!.map((c) => c.from)).toEqual(['first_name', 'contact.first', 'items[].sku'])
  return payloads.map((payload, i) => ({
    file: 'r.ndjson',
    line: i + 1,
    column: 1,
    event: 'E',
    payload: copyRenamedFields(payload, event!.renameCopies!) as JsonObject,
  }))
}

describe('recorded fires of a rename in expansion', () => {
  it('learn adds no example for the copies, and never writes an old path into one', async () => {
    const records = await fired({ given_name: 'Bob', note: 'x', lines: [{ code: 'TEE' }] }, { given_name: 'Ann', note: null, lines: [] })
    expect(records[0]!.payload).toMatchObject({ first_name: 'Bob', contact: { first: 'Bob' }, items: [{ sku: 'TEE' }] })
    const learned = await learnEvent(await definition(), records, { inference: INFERENCE, keepValues: true })
    expect(learned.alreadyValid).toBe(1)
    expect(learned.added.map((a) => a.example)).toEqual([{ given_name: 'Ann', note: null, lines: [] }])
    expect(learned.refused).toEqual([])
    // The expansion goes on: the old paths are still copies, not fields.
    expect(learned.after.renameCopies!.map((c) => c.from)).toEqual(['first_name', 'contact.first', 'items[].sku'])
    expect(learned.after.schema.properties!.first_name).toBeUndefined()
  })

  it('validate finds them valid under closed objects, and still reports what the caller got wrong', async () => {
    const { event } = await compileEvent(await definition(), INFERENCE)
    const records = await fired({ given_name: 'Bob', note: 'x', lines: [{ code: 'TEE' }] }, { given_name: 7, note: 'x', lines: [] })
    const report = await checkRecords(records, [event!])
    expect(report.results.map((r) => (r.status === 'invalid' ? r.mismatches.map((m) => m.path) : r.status))).toEqual([
      'valid',
      ['/given_name'],
    ])
  })
})
