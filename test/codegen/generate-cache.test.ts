/**
 * The generate cache's pure rules: what an event's key covers (its output's inputs, not the
 * file it came from), and that any cache this run cannot trust counts as none.
 */
import { describe, expect, it } from 'vitest'
import { CACHE_FORMAT, cachedEntry, emptyCache, eventCacheKey, usableCache } from '../../src/codegen/generate-cache.js'
import { compileSpecs } from './support.js'

describe('generate cache', () => {
  it('keys an event by what its files are made of: not by the YAML file it sits in', async () => {
    const [event] = await compileSpecs({ name: 'Order Placed', description: 'One.', sample: { id: 'o1' } })
    const key = eventCacheKey(event!, 'v1')
    expect(eventCacheKey({ ...event!, definition: { ...event!.definition, file: 'events/moved.yaml', locations: {} } }, 'v1')).toBe(key)
    expect(eventCacheKey({ ...event!, definition: { ...event!.definition, description: 'Two.' } }, 'v1')).not.toBe(key)
    expect(eventCacheKey({ ...event!, definition: { ...event!.definition, examples: [{ id: 'o2' }] } }, 'v1')).not.toBe(key)
    expect(eventCacheKey({ ...event!, schema: { ...event!.schema, minProperties: 1 } }, 'v1')).not.toBe(key)
    // What the helper hands the runtime is generated output too.
    expect(eventCacheKey({ ...event!, definition: { ...event!.definition, idempotencyKey: 'id' } }, 'v1')).not.toBe(key)
    expect(eventCacheKey({ ...event!, definition: { ...event!.definition, previousNames: ['Order Made'] } }, 'v1')).not.toBe(key)
    expect(eventCacheKey(event!, 'v2')).not.toBe(key)
  })

  it('uses a cache only for the same format, version and output folder; anything malformed is none', async () => {
    const [event] = await compileSpecs({ name: 'Order Placed', sample: { id: 'o1' } })
    const key = eventCacheKey(event!, 's')
    const entry = {
      key,
      summary: {
        name: 'Order Placed',
        module: 'events/order-placed.mts',
        names: { payload: 'P', args: 'A', fire: 'f', validate: 'v' },
        types: [],
      },
      files: [],
    }
    const cache = { format: CACHE_FORMAT, salt: 's', outDir: '/out', entries: { 'order-placed': entry } }
    expect(cachedEntry(usableCache(cache, '/out', 's'), event!.fileName, key)).toBe(entry)
    expect(cachedEntry(usableCache(cache, '/out', 's'), event!.fileName, 'another key')).toBeUndefined()
    for (const other of [
      usableCache(cache, '/elsewhere', 's'),
      usableCache(cache, '/out', 'newer'),
      usableCache({ ...cache, format: 0 }, '/out', 's'),
    ]) {
      expect(other).toEqual(emptyCache(other.outDir, other.salt))
    }
    for (const broken of [null, 'text', [], { ...cache, entries: null }]) expect(usableCache(broken, '/out', 's').entries).toEqual({})
    const malformed = usableCache({ ...cache, entries: { 'order-placed': { key, summary: null, files: 'x' } } }, '/out', 's')
    expect(cachedEntry(malformed, event!.fileName, key)).toBeUndefined()
    // An entry named like an Object.prototype member is only ever an own property.
    expect(cachedEntry(usableCache({ ...cache, entries: {} }, '/out', 's'), 'constructor', key)).toBeUndefined()
  })
})
