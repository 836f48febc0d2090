/**
 * Type-checking generated code: `tsc --noEmit` (TypeScript 7, node_modules/.bin/tsc) on a
 * project holding the generated code of 1,000 synthetic events and a file that calls
 * `fireEvent` with every one of the 1,000 names (each with its sample payload) and once
 * generically over the whole name union. Target: under 1 s, and no TS2589 ("type
 * instantiation is excessively deep") or other error. The baseline, for scale, is the
 * same `tsc` on a one-line project (its start-up cost).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatMs, median } from '../lib/measure.mjs'
import { runTimed } from '../lib/processes.mjs'
import { CLI, removeProject, tempProject, TSC, writeEvents } from '../lib/project.mjs'
import { absolute, check } from '../lib/rows.mjs'
import { syntheticEvents } from '../lib/synthetic.mjs'

const COMPILER_OPTIONS = {
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
}

export default {
  id: 'typecheck',
  title: 'tsc on generated code',
  async run({ quick, log }) {
    const count = quick ? 50 : 1000
    const runs = quick ? 1 : 5
    const project = tempProject()
    try {
      const events = syntheticEvents(count)
      writeEvents(project, events)
      log(`${count} events: generate`)
      await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })
      writeFileSync(join(project, 'usage.ts'), usage(events))
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: ['usage.ts', 'generated/index.ts'] }, null, 2))
      mkdirSync(join(project, 'empty'))
      writeFileSync(join(project, 'empty/one.ts'), 'export const one: number = 1\n')
      writeFileSync(join(project, 'empty/tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: ['one.ts'] }, null, 2))

      const times = []
      const floors = []
      let output = ''
      let failed = false
      for (let i = 0; i < runs; i++) {
        log(`tsc run ${i + 1}/${runs}`)
        const floor = await runTimed(TSC, ['-p', 'empty/tsconfig.json'], { cwd: project })
        const result = await runTimed(TSC, ['-p', 'tsconfig.json'], { cwd: project, allowFailure: true })
        floors.push(floor.ms)
        times.push(result.ms)
        output = result.stdout + result.stderr
        failed ||= result.code !== 0
      }
      const errors = [...output.matchAll(/error (TS\d+)/g)].map((m) => m[1])
      const deep = errors.filter((code) => code === 'TS2589').length
      const ours = median(times)
      const floor = median(floors)
      return [
        absolute({
          stage: 'typecheck',
          case: `tsc --noEmit, ${count.toLocaleString('en-US')} events + ${count.toLocaleString('en-US')} fireEvent calls`,
          ours: { label: 'tsc', value: ours, text: formatMs(ours) },
          baseline: { label: 'tsc on a one-line project', value: floor, text: formatMs(floor) },
          limit: { value: 1000, text: '1 s' },
        }),
        check({
          stage: 'typecheck',
          case: 'no TS2589 (fireEvent over every name), no error',
          ok: !failed && errors.length === 0,
          detail: failed || errors.length > 0 ? `${errors.length} errors (${deep} TS2589): ${output.split('\n')[0]}` : '0 errors',
        }),
      ]
    } finally {
      removeProject(project)
    }
  },
}

/** A caller of every event through `fireEvent`, plus one call generic over every name. */
function usage(events) {
  const lines = [
    "import { createClient } from 'refold-events/runtime'",
    "import { eventNames, fireEvent, type RefoldEventName, type RefoldFireArgsMap } from './generated/index.js'",
    '',
    "const client = createClient({ apiKey: 'tk_bench', baseUrl: 'http://127.0.0.1:9' })",
    '',
    '/** Generic over all names: the pattern that trips TS2589 when the map type is conditional. */',
    'export function fireAny<N extends RefoldEventName>(name: N, args: RefoldFireArgsMap[N]) {',
    '  return fireEvent(name, args, client)',
    '}',
    'declare const someName: RefoldEventName',
    'declare const someArgs: RefoldFireArgsMap[RefoldEventName]',
    'void fireAny(someName, someArgs as RefoldFireArgsMap[typeof someName])',
    'export const count: number = eventNames.length',
    '',
    'export async function fireAll(): Promise<void> {',
  ]
  for (const event of events) {
    lines.push(`  await fireEvent(${JSON.stringify(event.name)}, { linkedAccountId: 'acct_1', slug: ${JSON.stringify(event.apps[0])}, payload: ${JSON.stringify(event.sample)} }, client)`)
  }
  lines.push('}', '')
  return lines.join('\n')
}
