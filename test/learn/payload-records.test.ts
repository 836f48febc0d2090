/**
 * Reading recorded payloads: JSON (one record or an array) and NDJSON, each record at its
 * own line, syntax errors at their line and column, a trailing partial line as a warning.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scanJson } from '../../src/learn/json-positions.js'
import { parseRecords } from '../../src/learn/payload-records.js'

const record = (event: string, payload: object): string => JSON.stringify({ event, payload })

describe('parseRecords', () => {
  it('reads NDJSON, one record per line, ignoring extra keys and blank lines', () => {
    const text = `${record('A', { x: 1 })}\n\n{"event":"B","payload":{},"time":"2024-01-01"}\n`
    const { records, problems } = parseRecords(text, 'r.ndjson')
    expect(problems).toEqual([])
    expect(records).toEqual([
      { file: 'r.ndjson', line: 1, column: 1, event: 'A', payload: { x: 1 } },
      { file: 'r.ndjson', line: 3, column: 1, event: 'B', payload: {} },
    ])
  })

  it('reads a pretty-printed JSON array with each record at its own line', () => {
    const text = JSON.stringify(
      [
        { event: 'A', payload: { x: 1 } },
        { event: 'B', payload: { y: [1, 2] } },
      ],
      null,
      2,
    )
    const { records, problems } = parseRecords(text, 'r.json')
    expect(problems).toEqual([])
    expect(records.map((r) => [r.event, r.line, r.column])).toEqual([
      ['A', 2, 3],
      ['B', 8, 3],
    ])
  })

  it('reads one pretty-printed record', () => {
    const { records } = parseRecords(JSON.stringify({ event: 'A', payload: { a: { b: 1 } } }, null, 2), 'r.json')
    expect(records).toEqual([{ file: 'r.json', line: 1, column: 1, event: 'A', payload: { a: { b: 1 } } }])
  })

  it('reports a trailing partial NDJSON line as a warning and keeps the whole lines', () => {
    const text = `${record('A', {})}\n${record('B', {})}\n{"event":"C","payl`
    const { records, problems } = parseRecords(text, 'r.ndjson')
    expect(records.map((r) => r.event)).toEqual(['A', 'B'])
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'r.ndjson',
        line: 3,
        column: 1,
        severity: 'warning',
        message: expect.stringContaining('incomplete record'),
      }),
    ])
  })

  it('reports a broken NDJSON line in the middle as an error at its line and column', () => {
    const text = `${record('A', {})}\n{"event":"B","payload":{"a": }}\n${record('C', {})}\n`
    const { records, problems } = parseRecords(text, 'r.ndjson')
    expect(records.map((r) => r.event)).toEqual(['A', 'C'])
    expect(problems).toEqual([
      {
        file: 'r.ndjson',
        line: 2,
        column: 30,
        severity: 'error',
        message: 'invalid JSON: expected a value (string, number, object, array, true, false or null)',
      },
    ])
  })

  it('reports a syntax error of a JSON document at its line and column', () => {
    const text = '[\n  {"event": "A", "payload": {}},\n  {"event": "B" "payload": {}}\n]\n'
    const { records, problems } = parseRecords(text, 'r.json')
    expect(records).toEqual([])
    expect(problems).toEqual([
      { file: 'r.json', line: 3, column: 17, severity: 'error', message: 'invalid JSON: expected "," or "}" after the property value' },
    ])
  })

  it('names what is wrong with a record that is not {event, payload}, without its values', () => {
    const text = ['[1]', '{"payload":{}}', '{"event":"A"}', '{"event":"A","payload":[1]}', '{"event":5,"payload":{}}'].join('\n')
    const { records, problems } = parseRecords(`${text}\n`, 'r.ndjson')
    expect(records).toEqual([])
    expect(problems.map((p) => `${p.line}: ${p.message.split(';')[0]}`)).toEqual([
      '1: got an array',
      '2: the record has no "event"',
      '3: the record of "A" has no "payload"',
      '4: "payload" of "A" is an array, not an object',
      '5: "event" is an integer, not the event name',
    ])
  })

  it('warns on an empty input', () => {
    expect(parseRecords('\n', 'r.ndjson').problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: 'no records: the input is empty' }),
    ])
  })

  it('skips a byte order mark and counts columns after it', () => {
    const { records } = parseRecords(`\ufeff${record('A', {})}\n${record('B', {})}\n`, 'r.ndjson')
    expect(records.map((r) => [r.event, r.line, r.column])).toEqual([
      ['A', 1, 2],
      ['B', 2, 1],
    ])
  })
})

describe('scanJson', () => {
  it('accepts exactly what JSON.parse accepts (fast-check)', () => {
    const jsonText = fc.jsonValue().map((v) => JSON.stringify(v, null, 1))
    const mangled = fc.tuple(jsonText, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\', '\n', '-')).map(([t, at, c]) => {
      const i = at % (t.length + 1)
      return t.slice(0, i) + c + t.slice(i + 1)
    })
    fc.assert(
      fc.property(fc.oneof(jsonText, mangled), (text) => {
        let parses = true
        try {
          JSON.parse(text)
        } catch {
          parses = false
        }
        expect(scanJson(text).ok).toBe(parses)
      }),
      { numRuns: 300 },
    )
  })

  it('finds the start of each element of a top-level array', () => {
    const text = '[ 1, "a,]", {"b": [2, 3]}, null ]'
    expect(scanJson(text)).toEqual({ ok: true, elements: [2, 5, 12, 27] })
  })
})
