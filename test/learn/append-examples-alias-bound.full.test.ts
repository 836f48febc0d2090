/**
 * Appending examples past the loader's alias bound (full tier: a file of over 10,000 nodes is
 * parsed twice): the repeated parts are then spelled out, and the file still loads.
 */
import { describe, expect, it } from 'vitest'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { appendExamples } from '../../src/learn/append-examples.js'

describe('appendExamples at the alias bound', () => {
  it('spells repeated parts out when the aliases would pass the alias bound of the loader', async () => {
    const big = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`f${i}`, 'redacted']))
    const examples = Array.from({ length: 45 }, (_, i) => ({ id: i, big }))
    const text = 'name: E\nsample: { id: 1 }\n'
    const loaded = await parseEventFile(text, 'events/e.yaml')
    const out = (await appendExamples(text, loaded.definition!, examples)).text
    expect(out).not.toContain('*learned')
    expect((await parseEventFile(out, 'events/e.yaml')).definition?.examples).toHaveLength(45)
  })
})
