/**
 * Fuzzing the loader, the compiler and the code generator with fast-check. Every case must
 * end in events or in diagnostics that name `file:line:column` with a message, never in
 * an exception, a stack trace or a hang. Three sources of input: generated YAML documents,
 * token soup, and the repository's real event files mutated byte by byte.
 *
 * `npm test` runs a few thousand cases (about 20 s); `FUZZ_RUNS=100000` runs that many per
 * property, `FUZZ_SEED=<n>` replays the seed fast-check printed for a failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateFiles } from '../../src/codegen/generate.js'
import { compileDefinitions, compileProject } from '../../src/compile/compile-project.js'
import { loadConfig } from '../../src/config/load-config.js'
import type { ResolvedConfig } from '../../src/config/define-config.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { CompiledEvent } from '../../src/types.js'
import { fuzzRuns, fuzzSeed, generatedDocument, mutate, mutation, realEventFiles, tokenSoup } from './fuzz-arbitraries.js'
import { cli, expectNoCrash, expectWellFormedDiagnostics } from './support.js'

/** Longest one case may take before it counts as a hang (a bound for runaway work, not a timing assertion). */
const HANG_BOUND_MS = 10_000
const FILE = 'events/fuzz.yaml'

/** Outcome counts per property, printed at the end for the report. */
const tally = new Map<string, { cases: number; compiled: number; rejected: number; generated: number }>()
function count(property: string, outcome: 'compiled' | 'rejected', generated = false): void {
  const entry = tally.get(property) ?? { cases: 0, compiled: 0, rejected: 0, generated: 0 }
  entry.cases++
  entry[outcome]++
  if (generated) entry.generated++
  tally.set(property, entry)
}
afterAll(() => {
  for (const [property, t] of tally)
    console.log(
      `fuzz ${property}: ${t.cases} cases, ${t.compiled} compiled (${t.generated} generated), ${t.rejected} rejected with diagnostics`,
    )
})

async function bounded<T>(work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work()
  const took = performance.now() - started
  if (took > HANG_BOUND_MS) throw new Error(`one case took ${Math.round(took)} ms (hang bound ${HANG_BOUND_MS} ms)`)
  return result
}

/**
 * Code generation for compiled events always succeeds: compile is the one gate, so whatever
 * it let through (and `check` therefore accepted) is generated (issue 13: check ⇔ generate).
 */
async function generateOrExplain(events: CompiledEvent[], _text: string): Promise<boolean> {
  const files = await generateFiles(events)
  expect(files.map((f) => f.path)).toContain('index.mts')
  return true
}

/** Parse, compile and (every `generateEvery`th success) generate one text; check the outcome. */
async function checkText(property: string, text: string, generate: boolean): Promise<void> {
  await bounded(async () => {
    const parsed = await parseEventFile(text, FILE)
    if (parsed.definition === undefined) {
      expectWellFormedDiagnostics(parsed.diagnostics, FILE, text, false)
      count(property, 'rejected')
      return
    }
    const compiled = await compileDefinitions([parsed.definition], DEFAULT_INFER_OPTIONS)
    const diagnostics = [...parsed.diagnostics, ...compiled.diagnostics]
    expectWellFormedDiagnostics(diagnostics, FILE, text, compiled.events.length > 0)
    if (compiled.events.length === 0) return count(property, 'rejected')
    // The compiled schema must be plain JSON: it is written to disk and pushed to Refold.
    expect(JSON.parse(JSON.stringify(compiled.events[0]!.schema))).toEqual(compiled.events[0]!.schema)
    count(property, 'compiled', generate && (await generateOrExplain(compiled.events, text)))
  })
}

describe('fuzz: generated YAML documents', () => {
  it('every document ends in events or located diagnostics', { timeout: 600_000 }, async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(generatedDocument, async (text) => checkText('generated documents', text, n++ % 4 === 0)),
      { numRuns: fuzzRuns(1500), ...fuzzSeed() },
    )
  })

  it('token soup ends in located diagnostics (or, rarely, an event)', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(tokenSoup, async (text) => checkText('token soup', text, false)),
      { numRuns: fuzzRuns(1500), ...fuzzSeed() },
    )
  })
})

describe('fuzz: real event files mutated', () => {
  const files = realEventFiles()
  let project: string
  let config: ResolvedConfig

  beforeAll(async () => {
    // Shared by the tests below, so not a per-test tempDir (those are removed after each test).
    project = mkdtempSync(join(tmpdir(), 'refold-fuzz-'))
    mkdirSync(join(project, 'events'))
    config = await loadConfig({ cwd: project })
  })
  afterAll(() => rmSync(project, { recursive: true, force: true }))

  it(`has real files to mutate (${files.length})`, () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it('bytes flipped, files cut short, lines duplicated (repeated keys), tokens spliced in: events or located diagnostics', {
    timeout: 600_000,
  }, async () => {
    // The real loader reads the file, so invalid UTF-8 and odd bytes take the path users hit.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (file, mutations) => {
        const bytes = mutate(file.bytes, mutations)
        writeFileSync(join(project, FILE), bytes)
        await bounded(async () => {
          const result = await compileProject(config, { cwd: project })
          const text = new TextDecoder('utf-8').decode(bytes)
          expectWellFormedDiagnostics(result.diagnostics, FILE, text, result.events.length > 0)
          count('mutated real files', result.events.length > 0 ? 'compiled' : 'rejected')
        })
      }),
      { numRuns: fuzzRuns(1500), ...fuzzSeed() },
    )
  })

  it('through the CLI (check, every format, and generate): exit 0 or 1, one line per problem, no crash', { timeout: 600_000 }, async () => {
    const sample = fc.sample(fc.tuple(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 3 })), {
      numRuns: fuzzRuns(150),
      ...fuzzSeed(),
    })
    for (const [index, [file, mutations]] of sample.entries()) {
      writeFileSync(join(project, FILE), mutate(file.bytes, mutations))
      const format = ['human', 'json', 'github'][index % 3]!
      for (const argv of [['check', '--format', format], ['generate']]) {
        const result = await cli(argv, project)
        const shown = `${argv.join(' ')} on ${file.path} with ${JSON.stringify(mutations)}`
        expect([0, 1], shown).toContain(result.code)
        expectNoCrash(result.stdout + result.stderr, shown)
        if (argv[0] === 'check' && format === 'human') {
          for (const line of result.stderr.trimEnd().split('\n').filter(Boolean))
            expect(line, shown).toMatch(/^events\/fuzz\.yaml:\d+:\d+: (error|warning): /)
        }
        if (argv[0] === 'check' && format === 'json') expect(() => JSON.parse(result.stdout), shown).not.toThrow()
      }
    }
  })
})
