/**
 * "Every problem of a run is reported together": an event file with N independent mistakes
 * (in different keys, in the override, in the inference policy, in previous names, and a
 * sample the override rejects) gets exactly N errors from one `check`, whichever mistakes it has.
 * A property over subsets of the mistakes, through the CLI's own `run()` on real folders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { CliIO } from '../../src/cli/io.js'
import { run } from '../../src/cli/run.js'

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

type Part = Record<string, unknown>

/** Each mistake is one error on its own and independent of the others. */
const MISTAKES: Record<string, Part> = {
  ownNameAsPrevious: { previousNames: ['Order Created'] },
  otherEventsName: { previousNames: ['Order Placed'] },
  allowBreakingWithoutReason: { allowBreaking: [{ field: 'status' }] },
  policyPathTypo: { inference: { nullable: ['ownr.id'] } },
  keywordTypo: { schema: { propertis: { owner: { type: 'object' } } } },
  requiredTypo: { schema: { requried: ['owner'] } },
  badType: { schema: { properties: { owner: { type: 'strin' } } } },
  exampleBreaksEnum: { schema: { properties: { status: { enum: ['open', 'pending'] } } } },
  idempotencyKeyNotAField: { idempotencyKey: 'order.id' },
  unknownTopLevelKey: { exampels: [] },
  descriptionNotText: { description: 42 },
}

/** Objects merge key by key, lists concatenate: mistakes in one key (`schema`) combine. */
function merge(a: Part, b: Part): Part {
  const out: Part = { ...a }
  for (const [key, value] of Object.entries(b)) {
    const have = out[key]
    if (Array.isArray(have) && Array.isArray(value)) out[key] = [...have, ...value]
    else if (typeof have === 'object' && have !== null && typeof value === 'object' && value !== null)
      out[key] = merge(have as Part, value as Part)
    else out[key] = value
  }
  return out
}

async function check(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'refold-all-problems-'))
  folders.push(cwd)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, 'events'), { recursive: true })
    writeFileSync(join(cwd, path), text)
  }
  let out = ''
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    cwd,
    env: {},
    isTTY: false,
    waitForInterrupt: () => new Promise(() => {}),
  }
  return { code: await run(['check'], io), out }
}

const BASE: Part = {
  name: 'Order Created',
  sample: { owner: { id: 'u_1' }, status: 'open' },
  examples: [{ owner: { id: 'u_2' }, status: 'closed' }],
}

describe('every problem of a run is reported together', () => {
  it('a file with N independent mistakes gets N errors in one check', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(Object.keys(MISTAKES)), async (chosen) => {
        const file = chosen.reduce((at, mistake) => merge(at, MISTAKES[mistake]!), BASE)
        const { code, out } = await check({
          'events/order-created.yaml': stringify(file),
          'events/order-placed.yaml': 'name: Order Placed\nsample: { id: o_1 }\n',
        })
        const errors = out.split('\n').filter((line) => line.includes(': error: '))
        expect(errors, out).toHaveLength(chosen.length)
        expect(code).toBe(chosen.length === 0 ? 0 : 1)
      }),
      { numRuns: 40 },
    )
  })
})
