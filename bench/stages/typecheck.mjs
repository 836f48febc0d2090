/**
 * Type-checking generated code: `tsc --noEmit` (TypeScript 7, node_modules/.bin/tsc) on the
 * generated code of 1,000 synthetic events plus a file using `fireEvent` generically over the
 * whole name union (the pattern that trips TS2589 "type instantiation is excessively deep"
 * when the map type is conditional) and with ten payloads. Target: under 1 s, and no TS2589 or
 * other error. Reported beside it, the cost of user code: the same project with 1,000
 * `fireEvent(name, { payload })` calls, and with the same calls through each event's own
 * `fire<Event>()` helper. The baseline, for scale, is `tsc` on a one-line project.
 *
 * Where `tsc`'s time goes (traces, variants of the generated files): BENCHMARKS.md, "typecheck
 * (issue 11)". Checking the 1,000 validator bodies was most of the check phase, hence their
 * `// @ts-nocheck`; the `fireEvent` calls cost their inference of `N`, not the generated code.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
    const callRuns = quick ? 1 : 3
    const project = tempProject()
    try {
      const events = syntheticEvents(count)
      writeEvents(project, events)
      log(`${count} events: generate`)
      await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })
      const helpers = helperNames(readFileSync(join(project, 'generated/index.mts'), 'utf8'))
      const variants = {
        generated: genericUsage(events.slice(0, 10)),
        fireEvent: [genericUsage([]), callsThrough(events, (event) => `fireEvent(${JSON.stringify(event.name)}, `)].join('\n'),
        helpers: [genericUsage([]), callsThrough(events, (event) => `${helpers.get(event.name)}(`)].join('\n'),
      }
      for (const [name, text] of Object.entries(variants)) {
        writeFileSync(join(project, `${name}.ts`), text)
        writeFileSync(
          join(project, `tsconfig.${name}.json`),
          JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: [`${name}.ts`, 'generated/index.mts'] }, null, 2),
        )
      }
      mkdirSync(join(project, 'empty'))
      writeFileSync(join(project, 'empty/one.ts'), 'export const one: number = 1\n')
      writeFileSync(join(project, 'empty/tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: ['one.ts'] }, null, 2))

      const tsc = async (config) => {
        const result = await runTimed(TSC, ['-p', config], { cwd: project, allowFailure: true })
        return { ms: result.ms, output: result.stdout + result.stderr, failed: result.code !== 0 }
      }
      const times = { empty: [], generated: [], fireEvent: [], helpers: [] }
      const outputs = []
      for (let i = 0; i < runs; i++) {
        log(`tsc run ${i + 1}/${runs}`)
        times.empty.push((await tsc('empty/tsconfig.json')).ms)
        for (const name of i < callRuns ? ['generated', 'fireEvent', 'helpers'] : ['generated']) {
          const result = await tsc(`tsconfig.${name}.json`)
          times[name].push(result.ms)
          outputs.push(result)
        }
      }
      const errors = outputs.flatMap((o) => [...o.output.matchAll(/error (TS\d+)/g)].map((m) => m[1]))
      const failed = outputs.some((o) => o.failed)
      const deep = errors.filter((code) => code === 'TS2589').length
      const floor = { label: 'tsc on a one-line project', value: median(times.empty), text: formatMs(median(times.empty)) }
      const row = (name, what, limit) =>
        absolute({
          stage: 'typecheck',
          case: what,
          ours: { label: 'tsc', value: median(times[name]), text: formatMs(median(times[name])) },
          baseline: floor,
          limit,
        })
      const n = count.toLocaleString('en-US')
      return [
        row('generated', `tsc --noEmit, generated code of ${n} events + fireEvent generic over every name`, { value: 1000, text: '1 s' }),
        check({
          stage: 'typecheck',
          case: 'no TS2589 (fireEvent over every name), no error, in any variant',
          ok: !failed && errors.length === 0,
          detail:
            failed || errors.length > 0
              ? `${errors.length} errors (${deep} TS2589): ${outputs.find((o) => o.failed)?.output.split('\n')[0]}`
              : '0 errors',
        }),
        row('fireEvent', `... + ${n} fireEvent(name, { payload: <literal> }) calls`),
        row('helpers', `... + the same ${n} calls through each fire<Event>() helper`),
      ]
    } finally {
      removeProject(project)
    }
  },
}

/** Event name -> its `fire<Event>` helper, read from `RefoldEventMap` in the generated index.mts (`"Name": <Id>Payload`). */
function helperNames(index) {
  const names = new Map()
  const map = index.slice(index.indexOf('export interface RefoldEventMap {'), index.indexOf('export interface RefoldFireArgsMap {'))
  for (const [, name, id] of map.matchAll(/^ {2}("(?:[^"\\]|\\.)*"): (\S+)Payload$/gm)) names.set(JSON.parse(name), `fire${id}`)
  return names
}

/** The generic use of fireEvent over every name (what trips TS2589 when the map type is conditional), plus calls for `events`. */
function genericUsage(events) {
  const lines = [
    "import { createClient } from 'refold-events/runtime'",
    "import * as generated from './generated/index.mjs'",
    "import { eventNames, fireEvent, type RefoldEventName, type RefoldFireArgsMap } from './generated/index.mjs'",
    '',
    "export const client = createClient({ apiKey: 'tk_bench', baseUrl: 'http://127.0.0.1:9' })",
    'export function fireAny<N extends RefoldEventName>(name: N, args: RefoldFireArgsMap[N]) {',
    '  return fireEvent(name, args, client)',
    '}',
    'declare const someName: RefoldEventName',
    'declare const someArgs: RefoldFireArgsMap[RefoldEventName]',
    'void fireAny(someName, someArgs)',
    'export const count: number = eventNames.length',
    'void generated',
  ]
  if (events.length > 0) lines.push(callsThrough(events, (event) => `fireEvent(${JSON.stringify(event.name)}, `))
  return `${lines.join('\n')}\n`
}

/** An async function making one call per event, `callee(event)` opening each call. */
function callsThrough(events, callee) {
  const calls = events.map((event) => {
    const args = `{ linkedAccountId: 'acct_1', slug: ${JSON.stringify(event.apps[0])}, payload: ${JSON.stringify(event.sample)} }`
    const open = callee(event)
    return `  await ${open.startsWith('fireEvent') ? '' : 'generated.'}${open}${args}, client)`
  })
  return ['export async function fireAll(): Promise<void> {', ...calls, '}', ''].join('\n')
}
