import { describe, expect, it } from 'vitest'
import { compileDefinitions, compileEvent } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'

import type { EventDefinition, InferOptions } from '../../src/types.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

/** The closed-object policy (`closedObjects: true`); the default is open, tested below. */
const INFERENCE: InferOptions = { formats: true, closedObjects: true }

async function definition(text: string): Promise<EventDefinition> {
  const parsed = await parseEventFile(text, 'events/e.yaml')
  expect(parsed.diagnostics).toEqual([])
  return parsed.definition!
}

async function compile(text: string, inference = INFERENCE) {
  const result = await compileEvent(await definition(text), inference)
  return { event: result.event, messages: result.diagnostics.map(formatDiagnostic) }
}

describe('compileEvent', () => {
  it('names the schema for code generation and keeps the override on top of inference', async () => {
    const { event, messages } = await compile(`name: New Contact Created
description: A contact was created.
sample:
  first_name: Jane
  email: jane@example.com
  company: null
examples:
  - { first_name: Bob, email: bob@example.com, company: Acme }
schema:
  properties:
    email: { description: Primary e-mail }
  required: [email]
`)
    expect(messages).toEqual([])
    expect(event!.fileName).toBe('new-contact-created')
    expect(event!.schema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'new-contact-created.schema.json',
      title: 'NewContactCreatedPayload',
      description: 'A contact was created.',
      type: 'object',
      properties: {
        first_name: { type: 'string' },
        email: { type: 'string', description: 'Primary e-mail' },
        company: { type: ['string', 'null'] },
      },
      required: ['email'],
      additionalProperties: false,
    })
    expect(Object.keys(event!.schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description'])
  })

  it("prefers the override's root description to the event's", async () => {
    const { event } = await compile('name: A\ndescription: Event text.\nsample: { a: 1 }\nschema: { description: Payload text. }\n')
    expect(event!.schema.description).toBe('Payload text.')
  })

  it('passes the inference options through', async () => {
    const { event } = await compile('name: A\nsample: { at: "2024-05-01T10:00:00Z" }\n', { formats: false, closedObjects: false })
    expect(event!.schema.properties!.at).toEqual({ type: 'string' })
    expect(event!.schema.additionalProperties).toBeUndefined()
  })

  it('reports each sample that does not match the final schema, at its YAML node', async () => {
    const { event, messages } = await compile(`name: Deal Stage Changed
sample:
  stage: qualified
  amount: 3
examples:
  - stage: won
    amount: 4.5
  - stage: closed
    amount: 5
schema:
  properties:
    stage: { enum: [lead, qualified, won] }
    amount: { type: integer }
`)
    expect(event).toBeUndefined()
    expect(messages).toEqual([
      'events/e.yaml:7:5: error: examples[0].amount does not match the schema: expected an integer, got 4.5',
      'events/e.yaml:8:5: error: examples[1].stage does not match the schema: expected one of "lead", "qualified", "won", got "closed"',
    ])
  })

  it('turns inference warnings into warnings at the field, unless the override settles them', async () => {
    const unsettled = await compile('name: A\nsample:\n  id: 1\n  note: null\n  tags: []\n')
    expect(unsettled.event).toBeDefined()
    expect(unsettled.messages.map((m) => m.slice(0, 34))).toEqual([
      'events/e.yaml:4:3: warning: `note`',
      'events/e.yaml:5:3: warning: `tags`',
    ])
    const settled = await compile(
      'name: A\nsample:\n  id: 1\n  note: null\n  tags: []\nschema:\n  properties:\n    note: { type: [string, "null"] }\n    tags: { items: { type: string } }\n',
    )
    expect(settled.messages).toEqual([])
    // A description alone does not say what the type is.
    const described = await compile('name: A\nsample:\n  note: null\nschema:\n  properties:\n    note: { description: Free text }\n')
    expect(described.messages).toHaveLength(1)
  })

  it('locates warnings inside arrays in the first item that has the field', async () => {
    const { messages } = await compile('name: A\nsample:\n  items:\n    - { sku: a }\n    - { sku: b, extra: null }\n')
    expect(messages).toEqual([expect.stringMatching(/^events\/e\.yaml:5:17: warning: `items\[\]\.extra` is null in every sample/)])
  })

  it('rejects unknown keywords and derived root keywords in the override', async () => {
    const { messages } = await compile(`name: A
sample: { a: 1, b: x }
schema:
  $id: mine
  properties:
    a: { minimun: 0, x-owner: billing, tsType: number }
    b: { nullable: true, description: "fine" }
  anyOf:
    - { requird: [a] }
`)
    expect(messages).toEqual([
      'events/e.yaml:4:3: error: schema.$id: "$id" cannot be set here: the root $id is derived from the event name; remove it',
      'events/e.yaml:6:10: error: schema.properties.a.minimun: unknown JSON Schema keyword "minimun" (did you mean "minimum"?); expected a draft 2020-12 keyword, or an extension named x-...',
      'events/e.yaml:7:10: error: schema.properties.b.nullable: unknown JSON Schema keyword "nullable" (OpenAPI 3.0); in JSON Schema write type: [string, "null"]',
      'events/e.yaml:9:9: error: schema.anyOf[0].requird: unknown JSON Schema keyword "requird" (did you mean "required"?); expected a draft 2020-12 keyword, or an extension named x-...',
      // Compile is the one gate: check reports what generate ignores, too.
      'events/e.yaml:6:40: warning: schema.properties.a.tsType is ignored by generate: generated types always follow the schema (use `type`, `enum` or `format` instead)',
    ])
  })

  it('reports an unknown keyword and the sample errors of the rest of the override in one run', async () => {
    const { event, messages } = await compile(`name: A
sample: { a: 120, b: EUR }
schema:
  properties:
    a: { maximum: 100, minimun: 0, format: money }
    b: { enum: [USD, GBP] }
`)
    expect(event).toBeUndefined()
    expect(messages).toEqual([
      'events/e.yaml:5:24: error: schema.properties.a.minimun: unknown JSON Schema keyword "minimun" (did you mean "minimum"?); expected a draft 2020-12 keyword, or an extension named x-...',
      expect.stringMatching(/^events\/e\.yaml:5:36: error: schema\.properties\.a\.format: unknown format "money"/),
      'events/e.yaml:2:11: error: sample.a does not match the schema: expected a number <= 100, got 120',
      'events/e.yaml:2:19: error: sample.b does not match the schema: expected one of "USD", "GBP", got "EUR"',
    ])
  })

  it('notes a field that is text in one payload and a number in another', async () => {
    const { messages } = await compile('name: A\nsample: { port: "80", ok: 1 }\nexamples:\n  - { port: 80, ok: 2 }\n')
    expect(messages).toEqual([
      'events/e.yaml:2:11: warning: `port` is text in some samples and a number in others, so it accepts both (type [string, integer]). ' +
        'If one sample has it wrong, fix that sample; if both really occur, confirm the union in a `schema` override, ' +
        'for example: `schema: { properties: { port: { type: [string, integer] } } }`.',
    ])
    // Confirmed in the override: no note.
    const confirmed = await compile(
      'name: A\nsample: { port: "80" }\nexamples:\n  - { port: 80 }\nschema:\n  properties:\n    port: { type: [string, integer] }\n',
    )
    expect(confirmed.messages).toEqual([])
  })

  it('proposes the merged override when the file already has a schema', async () => {
    const { messages } = await compile(`name: A
sample: { email: a@b.co, company: null }
schema:
  properties:
    email: { description: Work e-mail. }
    company: { description: "Employer, when known." }
  required: [email]
`)
    expect(messages).toEqual([
      'events/e.yaml:2:26: warning: `company` is null in every sample, so its type is unknown and any value is accepted. ' +
        'Add an example where it has a value, or set its type in a `schema` override; this file already has `schema:`, so replace it with: ' +
        '`schema: { properties: { email: { description: Work e-mail. }, company: { description: "Employer, when known.", type: [ string, "null" ] } }, required: [ email ] }`.',
    ])
  })

  it('reports an override that is not a valid JSON Schema', async () => {
    // The file format's schema types every keyword of an override, as an editor would.
    const early = await parseEventFile(
      'name: A\nsample: { a: x }\nschema:\n  properties:\n    a: { minimum: "0", pattern: "(" }\n',
      'events/e.yaml',
    )
    expect(early.diagnostics.map(formatDiagnostic)).toEqual([
      'events/e.yaml:5:10: error: schema.properties.a.minimum: expected a number, got "0"',
      'events/e.yaml:5:24: error: schema.properties.a.pattern: expected a valid regular expression (format "regex"), got "("',
    ])
    const rare = await parseEventFile(
      'name: A\nsample: { a: 2 }\nschema:\n  properties:\n    a: { multipleOf: 0, allOf: [] }\n',
      'events/e.yaml',
    )
    expect(rare.diagnostics.map(formatDiagnostic)).toEqual([
      'events/e.yaml:5:10: error: schema.properties.a.multipleOf: expected a number > 0, got 0',
      'events/e.yaml:5:25: error: schema.properties.a.allOf: expected at least 1 item, got an array',
    ])
    const patterns = await parseEventFile('name: A\nsample: { a: 2 }\nschema:\n  patternProperties: { "(": {} }\n', 'events/e.yaml')
    expect(patterns.diagnostics.map(formatDiagnostic)).toEqual([
      'events/e.yaml:4:24: error: schema.patternProperties["("]: expected a valid regular expression (format "regex") as the key, got "("',
    ])
    // What only compiling finds is reported at the override.
    const compiled = await compile('name: A\nsample: { a: 2 }\nschema:\n  $ref: "#/$defs/missing"\n')
    expect(compiled.messages).toEqual([
      expect.stringMatching(/^events\/e\.yaml:3:1: error: schema cannot be compiled: can't resolve reference #\/\$defs\/missing/),
    ])
  })

  it('reports a required field that no payload could have, once, at the entry', async () => {
    const { messages } = await compile('name: A\nsample: { email: a@b.co }\nexamples: [{ email: c@d.io }]\nschema:\n  required: [emial]\n')
    expect(messages).toEqual([
      'events/e.yaml:5:14: error: schema.required[0]: "emial" is required but is not a field of this object (did you mean "email"?); the object is closed, so no payload could have it',
    ])
  })

  it('rejects a field literally named like a nested path', async () => {
    const { messages } = await compile('name: A\nsample:\n  a.b: 1\n  a:\n    b: 2\n')
    expect(messages).toEqual([
      'events/e.yaml:3:3: error: field "a.b" is ambiguous: Refold\'s trigger variable {{event.a.b}} also names the field "b" inside "a"; rename one of them',
    ])
    // Alone, a dotted key names one field only.
    expect((await compile('name: A\nsample: { a.b: 1 }\n')).messages).toEqual([])
  })

  it('warns about a rename whose new name is not a field', async () => {
    const { event, messages } = await compile(
      'name: A\nsample: { first_name: Jane }\nrenames:\n  firstName: first_name\n  lastName: last_name\n',
    )
    expect(event).toBeDefined()
    expect(messages).toEqual(['events/e.yaml:5:3: warning: renames: "last_name" (the new name of "lastName") is not a field of this event'])
  })

  it('compiles field names that are prototype keys as data', async () => {
    const { event, messages } = await compile(
      'name: A\nsample:\n  __proto__: { x: 1 }\n  constructor: 2\nschema:\n  properties:\n    __proto__: { description: odd but legal }\n',
    )
    expect(messages).toEqual([])
    expect(Object.keys(event!.schema.properties!)).toEqual(['__proto__', 'constructor'])
    expect(Object.getOwnPropertyDescriptor(event!.schema.properties, '__proto__')?.value).toMatchObject({
      type: 'object',
      description: 'odd but legal',
    })
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})

describe('compileDefinitions', () => {
  it('keeps the events without errors and collects every diagnostic', async () => {
    const good = await definition('name: Good\nsample: { a: 1 }\n')
    const bad = await definition('name: Bad\nsample: { a: 1 }\nschema: { properties: { a: { type: string } } }\n')
    const result = await compileDefinitions([good, bad], INFERENCE)
    expect(result.events.map((e) => e.definition.name)).toEqual(['Good'])
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'events/e.yaml:2:11: error: sample.a does not match the schema: expected a string, got 1',
    ])
  })

  it('gives the same schema bytes on every run', async () => {
    const text = 'name: Order Placed\nsample:\n  items: [{ sku: a, qty: 1 }, { sku: b, qty: 2, note: x }]\n  total: 3.5\n'
    const first = await compileDefinitions([await definition(text)], INFERENCE)
    const second = await compileDefinitions([await definition(text)], INFERENCE)
    expect(JSON.stringify(second.events[0]!.schema)).toBe(JSON.stringify(first.events[0]!.schema))
  })
})

describe('locating payload paths', () => {
  it('finds array items by the first index that has the field, in the sample or an example', async () => {
    const { messages } = await compile(`name: A
sample:
  orders:
    - lines: []
    - lines: [{ sku: a }]
examples:
  - orders:
      - lines: [{ sku: b, note: null }]
`)
    expect(messages).toEqual([
      expect.stringMatching(/^events\/e\.yaml:8:27: warning: `orders\[\]\.lines\[\]\.note` is null in every sample/),
    ])
  })
})

describe('inference policy in the event file', () => {
  const OPEN: InferOptions = { formats: true, closedObjects: false }

  it('leaves objects open by default: extra fields in real payloads are accepted', async () => {
    const { event } = await compile('name: A\nsample: { a: { b: 1 } }\n', OPEN)
    expect(JSON.stringify(event!.schema)).not.toContain('additionalProperties')
  })

  it('applies the block over the project policy: closed objects, formats, nullable and optional paths', async () => {
    const { event, messages } = await compile(
      `name: Issue Opened
sample:
  issue: { milestone: { id: 1 }, body: text, created_at: "2024-05-01T10:00:00Z", author: "a@b.co" }
  changes: { title: x }
inference:
  closedObjects: true
  formats: [email]
  nullable: [issue.milestone, issue.body]
  optional: [changes]
`,
      OPEN,
    )
    expect(messages).toEqual([])
    const issue = event!.schema.properties!.issue!
    expect(event!.schema.additionalProperties).toBe(false)
    expect(event!.schema.required).toEqual(['issue'])
    expect(issue.properties!.milestone!.type).toEqual(['object', 'null'])
    expect(issue.properties!.body).toEqual({ type: ['string', 'null'] })
    expect(issue.properties!.created_at).toEqual({ type: 'string' })
    expect(issue.properties!.author).toEqual({ type: 'string', format: 'email' })
  })

  it('reports a path no sample has as an error at its entry, with a did you mean', async () => {
    const { event, messages } = await compile(
      'name: A\nsample: { issue: { milestone: null, body: x } }\ninference:\n  nullable: [issue.body, issue.bdoy]\n  optional:\n    - isue\n',
      OPEN,
    )
    expect(event).toBeUndefined()
    expect(messages).toEqual([
      'events/e.yaml:4:26: error: inference.nullable: "issue.bdoy" names no field of the samples: `issue` has no field "bdoy" (did you mean "body"?)',
      'events/e.yaml:6:7: error: inference.optional: "isue" names no field of the samples: the payload has no field "isue" (did you mean "issue"?)',
      'events/e.yaml:2:20: warning: `issue.milestone` is null in every sample, so its type is unknown and any value is accepted. Add an example where it has a value, or set its type in a `schema` override, for example: `schema: { properties: { issue: { properties: { milestone: { type: [string, "null"] } } } } }`.',
    ])
  })

  it('infers number for a number written with a decimal point in the YAML (100.00, 5.0), integer otherwise', async () => {
    const { event } = await compile(
      'name: Order Placed\nsample:\n  subtotal: 100.00\n  count: 3\n  lines: [{ price: 5.0 }, { price: 7 }]\nexamples:\n  - { subtotal: 20, count: 1, lines: [], tax: 1.50 }\n',
      OPEN,
    )
    const properties = event!.schema.properties!
    expect(properties.subtotal).toEqual({ type: 'number' })
    expect(properties.count).toEqual({ type: 'integer' })
    expect(properties.lines!.items!.properties!.price).toEqual({ type: 'number' })
    expect(properties.tax).toEqual({ type: 'number' })
  })
})
