import { describe, expect, it } from 'vitest'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

async function problems(text: string): Promise<string[]> {
  const parsed = await parseEventFile(text, 'events/e.yaml')
  return parsed.diagnostics.map(formatDiagnostic)
}

describe('parseEventFile', () => {
  it('returns the definition with every key, defaults and locations', async () => {
    const text = `# yaml-language-server: $schema=../event-file.schema.json
name: New Contact Created
description: A contact was created.
model: contact
apps: [hubspot, google-sheets]
sample:
  first_name: Jane
  email: jane@example.com
examples:
  - { first_name: Bob, email: bob@example.com }
schema:
  properties:
    email: { description: Primary e-mail }
renames:
  firstName: first_name
allowBreaking:
  - field: legacy_id
    reason: nobody reads it
`
    const { definition, diagnostics } = await parseEventFile(text, 'events/new-contact-created.yaml')
    expect(diagnostics).toEqual([])
    expect(definition).toMatchObject({
      name: 'New Contact Created',
      identifier: 'NewContactCreated',
      file: 'events/new-contact-created.yaml',
      description: 'A contact was created.',
      model: 'contact',
      apps: ['hubspot', 'google-sheets'],
      sample: { first_name: 'Jane', email: 'jane@example.com' },
      examples: [{ first_name: 'Bob', email: 'bob@example.com' }],
      schema: { properties: { email: { description: 'Primary e-mail' } } },
      renames: { firstName: 'first_name' },
      allowBreaking: [{ field: 'legacy_id', reason: 'nobody reads it' }],
    })
    expect(definition!.locations['/name']).toEqual({ line: 2, column: 1 })
    expect(definition!.locations['/sample/email']).toEqual({ line: 8, column: 3 })
    expect(definition!.locations['/examples/0/email']).toEqual({ line: 10, column: 24 })
  })

  it('fills optional keys with empty values', async () => {
    const { definition } = await parseEventFile('name: Ping\nsample: {}\n', 'events/ping.yaml')
    expect(definition).toEqual({
      name: 'Ping',
      identifier: 'Ping',
      file: 'events/ping.yaml',
      sample: {},
      examples: [],
      renames: {},
      allowBreaking: [],
      locations: { '': { line: 1, column: 1 }, '/name': { line: 1, column: 1 }, '/sample': { line: 2, column: 1 } },
    })
  })

  it('reports unknown keys with a suggestion, at the key, without a redundant "missing" error', async () => {
    expect(await problems('name: X\nsampel: {}\nexamples: []\n')).toEqual([
      'events/e.yaml:2:1: error: unknown key "sampel" (did you mean "sample"?); expected one of: name, description, model, apps, sample, examples, schema, inference, renames, allowBreaking, idempotencyKey, previousNames',
    ])
    expect(await problems('name: X\nsample: {}\nfoo: 1\n')).toEqual([
      'events/e.yaml:3:1: error: unknown key "foo"; expected one of: name, description, model, apps, sample, examples, schema, inference, renames, allowBreaking, idempotencyKey, previousNames',
    ])
  })

  it('reports missing required keys with an example', async () => {
    expect(await problems('description: x\n')).toEqual([
      'events/e.yaml:1:1: error: missing required key "name", e.g. name: New Contact Created',
      'events/e.yaml:1:1: error: missing required key "sample", e.g. sample: {"first_name":"Jane","last_name":"Doe","email":"jane@example.com"}',
    ])
  })

  it('reports wrong types at the offending node, naming the path', async () => {
    expect(
      await problems(
        'name: 42\nsample: [a]\napps: hubspot\nexamples:\n  - 1\nrenames: { a: 2 }\nallowBreaking:\n  - { field: "bad path", reason: "" }\n',
      ),
    ).toEqual([
      'events/e.yaml:1:1: error: name: expected a string, got 42',
      'events/e.yaml:2:1: error: sample: expected an object (key: value pairs), got an array',
      'events/e.yaml:3:1: error: apps: expected an array (a list), got "hubspot"',
      'events/e.yaml:5:5: error: examples[0]: expected an object (key: value pairs), got 1',
      'events/e.yaml:6:12: error: renames.a: expected a string, or an object (key: value pairs), got 2',
      'events/e.yaml:8:7: error: allowBreaking[0].field: expected a dotted field path such as "prospect.email", or "*" for the event itself, got "bad path"',
      'events/e.yaml:8:26: error: allowBreaking[0].reason: expected a non-empty string, got ""',
    ])
  })

  it('checks app slugs and their uniqueness', async () => {
    expect(await problems('name: X\nsample: {}\napps:\n  - hubspot\n  - HubSpot\n  - hubspot\n')).toEqual([
      'events/e.yaml:5:5: error: apps[1]: expected an app slug: lowercase letters, digits, \'.\', \'_\' or \'-\', such as "hubspot" or "google-sheets", got "HubSpot"',
      'events/e.yaml:6:5: error: apps[2]: duplicate value "hubspot", already at index 0',
    ])
  })

  it('checks the name: one line, no surrounding spaces, something to build an identifier from', async () => {
    expect(await problems('name: " Padded"\nsample: {}\n')).toEqual([
      'events/e.yaml:1:1: error: name: expected the event name on one line, without leading or trailing spaces or control characters, got " Padded"',
    ])
    expect(await problems('name: "--"\nsample: {}\n')).toEqual([
      'events/e.yaml:1:1: error: name "--" has no letter or digit to build an identifier from; expected a name such as "New Contact Created"',
    ])
  })

  it('reports a bad type in the schema override as the editor would', async () => {
    expect(await problems('name: X\nsample: {}\nschema:\n  properties:\n    a: { type: strng }\n')).toEqual([
      'events/e.yaml:5:10: error: schema.properties.a.type: expected one of "string", "integer", "number", "boolean", "null", "object", "array", or an array (a list), or null, got "strng"',
    ])
  })

  it('reports a document that is not a map', async () => {
    expect(await problems('- a\n')).toEqual([
      'events/e.yaml:1:1: error: expected an event definition (key: value pairs with at least "name" and "sample"), got an array',
    ])
    expect(await problems('just text\n')).toEqual([
      'events/e.yaml:1:1: error: expected an event definition (key: value pairs with at least "name" and "sample"), got "just text"',
    ])
  })

  it('collects YAML problems and stops before the schema check', async () => {
    expect(await problems('name: X\nname: Y\nsample: {}\n')).toEqual([
      'events/e.yaml:2:1: error: duplicate key "name"; it is already set at line 1, column 1: keep one of the two',
    ])
    expect(await problems('')).toEqual([
      'events/e.yaml:1:1: error: file is empty; expected an event definition with at least "name" and "sample"',
    ])
  })
})
