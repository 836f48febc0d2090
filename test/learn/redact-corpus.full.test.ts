/**
 * Redaction over the real corpus (full tier: every payload): a redacted payload infers the
 * same schema as the real one, and nearly every string is replaced.
 */
import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { redactPayload } from '../../src/learn/redact-payload.js'
import { readCorpusPayloads } from './corpus-payloads.js'

const OPTIONS = { formats: true, closedObjects: true }

describe('redactPayload on the corpus', () => {
  it('infers the same schema from redacted corpus payloads, replacing nearly every string', () => {
    let strings = 0
    let keptStrings = 0
    for (const real of readCorpusPayloads()) {
      const { value, kept } = redactPayload(real)
      expect(inferSchema([value], OPTIONS)).toEqual(inferSchema([real], OPTIONS))
      strings += JSON.stringify(real).match(/":"/g)?.length ?? 0
      keptStrings += kept.length
    }
    expect(strings).toBeGreaterThan(1000)
    expect(keptStrings / strings).toBeLessThan(0.01)
  })
})
