import { describe, expect, it } from 'vitest'
import { inferSchema } from '../../src/infer/infer-schema.js'
import { createOracle, loadCompactValidators, outcome } from './compact-support.js'

describe('probe', () => {
  it('loads', async () => {
    const sample = { a: 1, b: 'x@y.io', c: { d: [1, 2] }, __proto__: 3 }
    const { schema } = inferSchema([JSON.parse('{"a":1,"b":"x@y.io","c":{"d":[1,2]},"__proto__":3}')])
    const [v] = await loadCompactValidators([schema])
    const ajv = createOracle().compile(schema)
    for (const payload of [JSON.parse('{"a":1,"b":"x@y.io","c":{"d":[1,2]},"__proto__":3}'), { a: 'x', c: { d: [1, 'a'], e: 1 } }, sample]) {
      expect(outcome(v!, payload)).toEqual(outcome(ajv, payload))
    }
  })
})
