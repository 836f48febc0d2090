/**
 * Generation at scale on real payloads written by others (`test/corpus`): one event per payload, plus one per GitHub event kind inferred from all its
 * payloads. The generated code must type-check with the real `tsc`, and every real payload
 * must type-check as a literal of its own generated payload type (so types and schemas
 * agree on data nobody hand-picked). Times are logged, never asserted.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateFiles, type GeneratedFile } from '../../src/codegen/generate.js'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { toIdentifier } from '../../src/definitions/identifier.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'

import type { CompiledEvent, EventDefinition, JsonObject } from '../../src/types.js'
import { runProcess, strictTsconfig, tempProject, TSC, writeTree } from './support.js'
import { CORPUS_DIR } from '../support/corpus.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

const CORPUS = CORPUS_DIR

function readJson(path: string): JsonObject {
  return JSON.parse(readFileSync(path, 'utf8')) as JsonObject
}

function definition(name: string, payloads: JsonObject[]): EventDefinition {
  const identifier = toIdentifier(name)
  if (identifier === undefined) throw new Error(`no identifier for ${name}`)
  const [sample, ...examples] = payloads
  return { name, identifier, file: `corpus/${name}`, sample: sample!, examples, renames: {}, allowBreaking: [], locations: {} }
}

/** One definition per payload file and one per GitHub event kind. */
function corpusDefinitions(): EventDefinition[] {
  const definitions: EventDefinition[] = []
  for (const file of readdirSync(join(CORPUS, 'stripe'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    definitions.push(definition(`stripe ${file.replace(/\.json$/, '')}`, [readJson(join(CORPUS, 'stripe', file))]))
  }
  const github = join(CORPUS, 'github-webhooks')
  for (const kind of readdirSync(github).sort()) {
    const files = readdirSync(join(github, kind))
      .filter((f) => f.endsWith('.json'))
      .sort()
    const payloads = files.map((file) => readJson(join(github, kind, file)))
    files.forEach((file, i) => definitions.push(definition(`github ${kind} ${file.replace(/\.json$/, '')}`, [payloads[i]!])))
    definitions.push(definition(`github ${kind}`, payloads))
  }
  return definitions
}

describe('the shared corpus, generated and type-checked', () => {
  let events: CompiledEvent[]
  let files: GeneratedFile[]
  let generateMs: number

  beforeAll(async () => {
    const definitions = corpusDefinitions()
    const compiled = await compileDefinitions(definitions, DEFAULT_INFER_OPTIONS)
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error')
    expect(errors.map(formatDiagnostic)).toEqual([])
    events = compiled.events
    const started = performance.now()
    files = await generateFiles(events)
    generateMs = performance.now() - started
  }, 300_000)

  it('generates every event of the corpus', () => {
    // 140 Stripe objects + 202 GitHub payloads + 46 GitHub kinds, asserted so a moved corpus fails.
    expect(events.length).toBeGreaterThanOrEqual(388)
    expect(files.filter((f) => f.path.startsWith('schemas/')).length).toBe(events.length)
    expect(files.filter((f) => f.path.endsWith('.validate.mts')).length).toBe(events.length)
    const bytes = (filter: (path: string) => boolean) =>
      files.filter((f) => filter(f.path)).reduce((sum, f) => sum + Buffer.byteLength(f.contents), 0)
    console.log(
      `corpus: ${events.length} events generated in ${Math.round(generateMs)} ms; event modules ${(bytes((p) => /^events\/[^.]+\.mts$/.test(p)) / 1e6).toFixed(1)} MB, ` +
        `validators ${(bytes((p) => p.endsWith('.validate.mts')) / 1e6).toFixed(1)} MB, schemas ${(bytes((p) => p.startsWith('schemas/')) / 1e6).toFixed(1)} MB`,
    )
  })

  it('type-checks under tsc, with every real payload accepted by its own generated type', async () => {
    const project = tempProject('refold-corpus-')
    writeTree(project, Object.fromEntries(files.map((f) => [`generated/${f.path}`, f.contents])))
    const lines = [
      "import type { RefoldEventMap } from './generated/index.mjs'",
      "import { fireEvent, eventNames } from './generated/index.mjs'",
    ]
    events.forEach((event, i) => {
      const name = JSON.stringify(event.definition.name)
      for (const [j, payload] of [event.definition.sample, ...event.definition.examples].entries()) {
        lines.push(`export const payload${i}_${j}: RefoldEventMap[${name}] = ${JSON.stringify(payload)}`)
      }
    })
    lines.push(
      `export const fired = fireEvent(${JSON.stringify(events[0]!.definition.name)}, { linkedAccountId: 'a', payload: payload0_0 })`,
    )
    lines.push('export const count: number = eventNames.length')
    writeFileSync(join(project, 'usage.ts'), `${lines.join('\n')}\n`)
    writeFileSync(
      join(project, 'tsconfig.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['usage.ts', 'generated/index.mts']),
    )
    const started = performance.now()
    const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project, timeoutMs: 280_000 })
    const tscMs = performance.now() - started
    expect(result.stdout.split('\n').slice(0, 20).join('\n') + result.stderr).toBe('')
    expect(result.code).toBe(0)
    writeFileSync(
      join(project, 'tsconfig.index.json'),
      strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['generated/index.mts']),
    )
    const indexStarted = performance.now()
    const indexOnly = await runProcess(TSC, ['-p', 'tsconfig.index.json'], { cwd: project, timeoutMs: 280_000 })
    expect(indexOnly.code).toBe(0)
    console.log(
      `corpus: tsc --noEmit on generated/index.mts ${Math.round(performance.now() - indexStarted)} ms; with every payload as a typed literal ${Math.round(tscMs)} ms`,
    )
  }, 300_000)
})
