/**
 * A thousand events: `fireEvent(name, args)` must stay typed by the literal name without
 * TS2589 ("type instantiation is excessively deep"), which conditional-type maps hit at
 * this size. The generated module only uses plain indexed access; tsc proves it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { compileSpecs, runProcess, strictTsconfig, tempProject, TSC, writeTree, type EventSpec } from './support.js'

const COUNT = 1000

function spec(i: number): EventSpec {
  return {
    name: `Event Number ${i}`,
    apps: [`app-${i % 7}`],
    sample: { id: `id_${i}`, count: i, nested: { flag: i % 2 === 0, tags: ['a'] }, items: [{ sku: `s${i}`, qty: 1 }] },
  }
}

describe(`${COUNT} events`, () => {
  it('type-check with fireEvent typed by the literal name, without TS2589', async () => {
    const events = await compileSpecs(...Array.from({ length: COUNT }, (_, i) => spec(i)))
    const files = await generateFiles(events)
    const project = tempProject('refold-scale-')
    writeTree(project, Object.fromEntries(files.map((f) => [`generated/${f.path}`, f.contents])))
    const calls = [0, 499, 999].map((i) => {
      const payload = JSON.stringify(spec(i).sample)
      return `void fireEvent("Event Number ${i}", { linkedAccountId: "a", slug: "app-${i % 7}", payload: ${payload} })`
    })
    writeFileSync(
      join(project, 'usage.ts'),
      `import { fireEvent, type RefoldEventName, type RefoldFireArgsMap } from './generated/index.mjs'
${calls.join('\n')}
// @ts-expect-error the payload of event 1 has no field "extra"
void fireEvent("Event Number 1", { linkedAccountId: "a", payload: ${JSON.stringify({ ...spec(1).sample, extra: 1 })} })
// @ts-expect-error a slug of another app
void fireEvent("Event Number 999", { linkedAccountId: "a", slug: "app-0", payload: ${JSON.stringify(spec(999).sample)} })
// @ts-expect-error not an event
void fireEvent("Event Number 1000", { linkedAccountId: "a", payload: {} })
/** Generic over every name: still plain indexed access. */
export function fireAny<N extends RefoldEventName>(name: N, args: RefoldFireArgsMap[N]) {
  return fireEvent(name, args)
}
`,
    )
    writeFileSync(join(project, 'tsconfig.json'), strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['usage.ts']))
    const started = performance.now()
    const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project })
    console.log(`${COUNT} events: tsc --noEmit ${Math.round(performance.now() - started)} ms`)
    expect(result.stdout).not.toContain('TS2589')
    expect(result.stdout + result.stderr).toBe('')
  }, 300_000)
})
