/** Event specs for the tests of generation on worker threads (generator-pool.test.ts, generate-threads.full.test.ts). */
import type { JsonObject } from '../../src/types.js'
import type { EventSpec } from './support.js'

/** Events unlike one another: nested objects and arrays, nulls, formats, odd keys (`__proto__`, `constructor`), overrides, renames. */
export function specs(count: number): EventSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const sample: JsonObject = {
      id: `evt_${i}`,
      amount: i % 3 === 0 ? 12.5 : i,
      at: '2024-05-08T07:45:31Z',
      owner: { email: `user${i}@example.com`, tags: ['a', 'b'], address: { city: 'Zürich' } },
      items: [{ sku: `S${i}`, quantity: i % 7 }],
      [`field_${i % 11}`]: i % 5 === 0 ? [1, 2] : 'x',
    }
    if (i % 10 === 3)
      Object.defineProperty(sample, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true })
    if (i % 10 === 4) sample['constructor'] = 'not a function'
    const spec: EventSpec = { name: `Event ${String(i).padStart(3, '0')} ${i % 2 === 0 ? 'Created' : 'Café Updated'}`, sample }
    // The address nullable, settled by an example.
    if (i % 2 === 0) spec.examples = [{ ...sample, owner: { email: 'b@example.com', tags: [], address: null } }]
    if (i % 9 === 0) spec.schema = { properties: { id: { description: 'The id.', pattern: '^evt_' } } }
    if (i % 13 === 0) spec.description = 'An event with */ a comment end and `backticks`.'
    return spec
  })
}
