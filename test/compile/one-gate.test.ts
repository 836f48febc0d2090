/**
 * One gate (issue 13): every diagnostic of a project comes from compile, so `check` exits 0
 * exactly when `generate` succeeds. A property over fuzzed projects, through the CLI's own
 * `run()` on real folders: event names that clash with the generated module's own names,
 * overrides with keywords generate ignores or does not know, constraints samples break,
 * nesting, and plain events.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { CliIO } from '../../src/cli/io.js'
import { run } from '../../src/cli/run.js'
import { tempDir } from '../support/temp-dir.js'

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    cwd,
    env: {},
    isTTY: false,
    waitForInterrupt: () => new Promise(() => {}),
  }
  return { code: await run(argv, io), out }
}

const names = fc.constantFrom(
  'Event',
  'event',
  'Fire Event',
  'Event Names',
  'Payload Validators',
  'Order Placed',
  'with event',
  '3D Secure',
  'Get Default Client',
)
const leaf = fc.oneof(fc.constantFrom(null, true, 0, 1.5, 'x', 'jane@example.com', '2024-05-01T10:00:00Z'), fc.string({ maxLength: 4 }))
const field = fc.constantFrom('a', 'b', 'first_name', 'total', 'items')
const payload = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 2 }),
    fc.dictionary(field, tie('value'), { maxKeys: 3 }),
  ),
  root: fc.dictionary(field, tie('value'), { minKeys: 1, maxKeys: 3 }),
})).root
const override = fc.option(
  fc.record(
    {
      properties: fc.dictionary(
        field,
        fc.oneof(
          fc.constant({ tsType: 'string' }),
          fc.constant({ type: 'string', minLength: 3 }),
          fc.constant({ enum: ['x', 'y'] }),
          fc.constant({ description: 'a field' }),
          fc.constant({ typo: true }),
        ),
        { maxKeys: 2 },
      ),
      required: fc.array(field, { maxLength: 2 }),
    },
    { requiredKeys: ['properties'] },
  ),
  { nil: undefined },
)
const eventFile = fc.record({ name: names, sample: payload, schema: override }, { requiredKeys: ['name', 'sample'] })

describe('one gate: check and generate agree', () => {
  it('check exits 0 exactly when generate succeeds, for fuzzed projects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventFile, { minLength: 1, maxLength: 2 }), async (files) => {
        const cwd = tempDir('gate')
        mkdirSync(join(cwd, 'events'))
        files.forEach((file, i) => {
          const document = Object.fromEntries(Object.entries(file).filter(([, value]) => value !== undefined))
          writeFileSync(join(cwd, 'events', `e${i}.yaml`), stringify(document))
        })
        const check = await cli(cwd, 'check')
        const generate = await cli(cwd, 'generate')
        expect(check.code === 0, `check:\n${check.out}\ngenerate:\n${generate.out}`).toBe(generate.code === 0)
        expect(generate.out).not.toMatch(/\n\s+at /)
      }),
      { numRuns: 40, seed: 1_2026 },
    )
  }, 120_000)
})
