/**
 * `previousNames` in event files: the loader refuses an entry that is the event's own name,
 * another event's current name, or another event's previous name (a fallback fire under it
 * would run someone else's workflows), each at the entry; the generated helper hands the
 * names to the runtime, which falls back to them on 404 (test/sync/event-rename-rollout).
 */
import { describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { checkNameCollisions } from '../../src/definitions/name-collisions.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import type { EventDefinition } from '../../src/types.js'

const file = (name: string, previous: string, extra = '') => `name: ${name}\nsample:\n  id: c_1\npreviousNames: ${previous}\n${extra}`

async function parse(text: string, path: string): Promise<EventDefinition> {
  const parsed = await parseEventFile(text, path)
  expect(parsed.diagnostics).toEqual([])
  return parsed.definition!
}

describe('previousNames', () => {
  it('reaches the generated helper, with and without an idempotencyKey', async () => {
    const renamed = await parse(file('Contact Added', '[New Contact Created, Contact Created]'), 'events/contact.yaml')
    expect(renamed.previousNames).toEqual(['New Contact Created', 'Contact Created'])
    const keyed = await parse(file('Order Paid', '[Order Settled]', 'idempotencyKey: id\n'), 'events/order.yaml')
    const { events } = await compileDefinitions([renamed, keyed], { formats: true, closedObjects: false })
    const files = await generateFiles(events)
    const helper = (path: string) => files.find((f) => f.path === path)!.contents
    expect(helper('events/contact-added.mts')).toContain(
      'return client.fire(withEvent(args, "Contact Added", undefined, ["New Contact Created", "Contact Created"]), validateContactAdded)',
    )
    expect(helper('events/order-paid.mts')).toContain(
      'return client.fire(withEvent(args, "Order Paid", "id", ["Order Settled"]), validateOrderPaid)',
    )
  })

  it("refuses the event's own name, an empty list and a name with a line break, at the entry", async () => {
    const own = await parseEventFile(file('Contact Added', '[Old, Contact Added]'), 'events/contact.yaml')
    expect(own.definition).toBeUndefined()
    expect(own.diagnostics).toEqual([
      expect.objectContaining({
        line: 4,
        column: 22,
        severity: 'error',
        message: 'previousNames[1] is the event\'s own name "Contact Added"; expected only names it had before a rename',
      }),
    ])
    for (const bad of ['[]', '["two\\nlines"]']) {
      const parsed = await parseEventFile(file('Contact Added', bad), 'events/contact.yaml')
      expect(parsed.definition).toBeUndefined()
      expect(parsed.diagnostics[0]!.message).toMatch(/previousNames/)
    }
  })

  it("refuses another event's current or previous name, at the later entry, naming the other file", async () => {
    const a = await parse(file('Contact Added', '[Contact Created]'), 'events/a.yaml')
    const b = await parse(file('Contact Created', '[Person Added]'), 'events/b.yaml')
    const c = await parse(file('Lead Added', '[Person Added]'), 'events/c.yaml')
    const { diagnostics } = checkNameCollisions([a, b, c])
    expect(diagnostics).toEqual([
      {
        file: 'events/a.yaml',
        line: 4,
        column: 17,
        severity: 'error',
        message:
          'previous name "Contact Created" is the current name of the event in events/b.yaml:1:1; expected a name no event of this project has',
      },
      {
        file: 'events/c.yaml',
        line: 4,
        column: 17,
        severity: 'error',
        message:
          'previous name "Person Added" is also a previous name of "Contact Created" in events/b.yaml:1:1; expected each former name in one event',
      },
    ])
  })
})
