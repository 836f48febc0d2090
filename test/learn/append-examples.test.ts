/**
 * Appending examples to an event file: every byte outside the insertion stays as it was
 * (comments, alignment, quoting), the list's own style and indentation are followed, and
 * the result loads back with exactly the old examples plus the new ones.
 */
import { describe, expect, it } from 'vitest'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { appendExamples } from '../../src/learn/append-examples.js'
import type { EventDefinition, JsonObject } from '../../src/types.js'

async function load(text: string): Promise<EventDefinition> {
  const parsed = await parseEventFile(text, 'events/e.yaml')
  if (parsed.definition === undefined) throw new Error(JSON.stringify(parsed.diagnostics))
  return parsed.definition
}

async function append(text: string, examples: JsonObject[], comment?: string): Promise<string> {
  return (await appendExamples(text, await load(text), examples, { comment })).text
}

const NEW: JsonObject[] = [{ id: 0, note: null, tags: ['redacted'], when: '2000-01-01T00:00:00Z', 'odd key': 'line\nbreak' }]

describe('appendExamples', () => {
  it('inserts after the last item of a block list, leaving the rest byte for byte', async () => {
    const head = `# yaml-language-server: $schema=../event-file.schema.json
name: E        # aligned   comment
sample:
  id: 1
  note: 'quoted'
  tags: [a, b]
  when: "2024-01-01T00:00:00Z"
examples:
  - { id: 2, note: x, tags: [], when: "2024-01-02T00:00:00Z" }   # one
`
    const tail = `# between
schema:
  properties:
    id: { minimum: 0 }   # kept
`
    const out = await append(head + tail, NEW, 'learned')
    expect(out.startsWith(head)).toBe(true)
    expect(out.endsWith(tail)).toBe(true)
    expect(out.slice(head.length, out.length - tail.length)).toBe(`  # learned
  - id: 0
    note: null
    tags:
      - redacted
    when: 2000-01-01T00:00:00Z
    odd key: |-
      line
      break
`)
  })

  it('follows a list indented at the key column', async () => {
    const text = 'name: E\nsample: { id: 1 }\nexamples:\n- id: 2\n'
    expect(await append(text, [{ id: 3 }, { id: 4 }])).toBe(`${text}- id: 3\n- id: 4\n`)
  })

  it('adds flow items to a flow list', async () => {
    const text = 'name: E\nsample: { id: 1 }\nexamples: []   # none yet\nschema: {}\n'
    expect(await append(text, [{ id: 3 }, { id: 4 }])).toBe(
      'name: E\nsample: { id: 1 }\nexamples: [{"id":3}, {"id":4}]   # none yet\nschema: {}\n',
    )
    const one = 'name: E\nsample: { id: 1 }\nexamples: [ { id: 2 } ]\n'
    expect(await append(one, [{ id: 3 }])).toBe('name: E\nsample: { id: 1 }\nexamples: [ { id: 2 }, {"id":3} ]\n')
  })

  it('creates examples: when absent, indented like the file, also without a final line break', async () => {
    const text = 'name: E\nsample:\n    id: 1\n    deep:\n        x: 1\n# end'
    expect(await append(text, [{ id: 2, deep: { x: 2 } }])).toBe(
      'name: E\nsample:\n    id: 1\n    deep:\n        x: 1\nexamples:\n    - id: 2\n      deep:\n        x: 2\n# end',
    )
    const bare = 'name: E\nsample: { id: 1 }'
    expect(await append(bare, [{ id: 2 }])).toBe('name: E\nsample: { id: 1 }\nexamples:\n  - id: 2\n')
  })

  it('round-trips keys and strings YAML would otherwise read differently', async () => {
    const tricky: JsonObject = JSON.parse(
      '{"__proto__": {"a": 1}, "yes": "no", "n": "007", "t": "true", "e": "", "x": "# not a comment", "k: v": "- item"}',
    ) as JsonObject
    const text = 'name: E\nsample: { id: 1 }\n'
    const out = await append(text, [tricky])
    const loaded = await load(out)
    expect(JSON.stringify(loaded.examples)).toBe(JSON.stringify([tricky]))
  })

  it('keeps CRLF line ends', async () => {
    const text = 'name: E\r\nsample: { id: 1 }   # one\r\nexamples:\r\n  - id: 2\r\n'
    expect(await append(text, [{ id: 3 }])).toBe(`${text}  - id: 3\r\n`)
  })

  it('writes a large repeated part once, with an anchor, and aliases it after', async () => {
    const user = { login: 'redacted', id: 0, url: 'https://example.com/', site_admin: false, type: 'redacted' }
    // An anchor-like text in the file: the new anchors take another prefix.
    const text = 'name: E   # &learned is taken\nsample: { id: 1 }\n'
    const out = await append(text, [
      { id: 1, user, sender: user },
      { id: 2, user: { ...user }, note: 'x' },
    ])
    expect(out).toBe(`${text}examples:
  - id: 1
    user: &learned2x1
      login: redacted
      id: 0
      url: https://example.com/
      site_admin: false
      type: redacted
    sender: *learned2x1
  - id: 2
    user: *learned2x1
    note: x
`)
  })

  it('returns the text unchanged when there is nothing to add', async () => {
    const text = 'name: E\nsample: { id: 1 }\n'
    expect(await append(text, [])).toBe(text)
  })
})
