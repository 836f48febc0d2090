/**
 * `idempotencyKey: order.id` in an event file (issue 12 item 4): the loader checks that the
 * path names a string or number of the sample, and the generated helper hands it to the
 * runtime, which derives each fire's key from the payload (test/remote/rate-limit-refusals).
 */
import { idempotencyKeyOf, withEvent } from '../../src/runtime/fire-request.js'
import { describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'

const file = (key: string) => `name: Order Paid\nsample:\n  order:\n    id: ord_1\n    lines: [1]\nidempotencyKey: ${key}\n`

describe('idempotencyKey in event files', () => {
  it('reaches the generated helper, which derives the key from the payload unless the caller gives one', async () => {
    const parsed = await parseEventFile(file('order.id'), 'events/order-paid.yaml')
    expect(parsed.diagnostics).toEqual([])
    expect(parsed.definition!.idempotencyKey).toBe('order.id')
    const { events } = await compileDefinitions([parsed.definition!], { formats: true, closedObjects: true })
    const helpers = (await generateFiles(events)).filter((f) => f.contents.includes('"order.id"'))
    expect(helpers.map((f) => f.path)).toEqual(['events/order-paid.mts'])
    expect(helpers[0]!.contents).toContain('return client.fire(withEvent(args, "Order Paid", "order.id"), validateOrderPaid)')
    // withEvent carries the path unless the caller names one, and the client derives the key from it.
    expect(withEvent({ linkedAccountId: 'a', payload: {} }, 'Order Paid', 'order.id').idempotencyKeyFrom).toBe('order.id')
    expect(withEvent({ linkedAccountId: 'a', payload: {}, idempotencyKeyFrom: 'x' }, 'Order Paid', 'order.id').idempotencyKeyFrom).toBe('x')
    expect(idempotencyKeyOf(withEvent({ linkedAccountId: 'a', payload: { order: { id: 'ord_1' } } }, 'Order Paid', 'order.id'))).toBe(
      'ord_1',
    )
  })

  it('is refused at its line when the path names no string or number of the sample', async () => {
    for (const [key, got] of [
      ['order.missing', 'no such field'],
      ['order.lines', 'an array'],
    ] as const) {
      const parsed = await parseEventFile(file(key), 'events/order-paid.yaml')
      expect(parsed.definition).toBeUndefined()
      expect(parsed.diagnostics).toHaveLength(1)
      expect(parsed.diagnostics[0]).toMatchObject({ file: 'events/order-paid.yaml', line: 6, column: 1, severity: 'error' })
      expect(parsed.diagnostics[0]!.message).toContain(
        `idempotencyKey "${key}": expected the dotted path of a string or number field of the sample`,
      )
      expect(parsed.diagnostics[0]!.message).toContain(got)
    }
  })
})
