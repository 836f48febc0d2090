import { describe, expect, it } from 'vitest'
import { loadAjv } from '../../src/util/load-ajv.js'

describe('the shared validator', () => {
  it('reads payload fields from the payload only, never from Object.prototype', async () => {
    const ajv = await loadAjv()
    const validate = ajv.compile({
      type: 'object',
      properties: { constructor: { type: 'string' }, toString: { type: 'string' } },
      additionalProperties: false,
    })
    expect(validate({})).toBe(true)
    expect(validate({ constructor: 'x' })).toBe(true)
    expect(validate({ constructor: 1 })).toBe(false)
  })
})
