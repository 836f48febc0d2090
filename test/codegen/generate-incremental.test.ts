/**
 * `generate` with its caches (.refold/generate-cache.json, .refold/compile-cache.json) against
 * `generate` without them: after any sequence of edits, a run in a project whose caches are
 * warm prints exactly what a run in a copy without caches prints (exit code, stdout, every
 * diagnostic on stderr) and leaves the same output folder. Through the CLI's own `run()` on
 * real folders. Edits: an event file rewritten or removed, an event renamed, a name taken from
 * another file (a clash between a cached file and an edited one), a broken file, the project's
 * inference policy changed, a generated file edited by hand, the compile cache corrupted.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runInProcess } from '../support/cli.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'

const FILES = 3
const COMPILE_CACHE = '.refold/compile-cache.json'

/** One event file's content, as the model of the project holds it. */
interface EventFile {
  name: string
  sample: number
  previousNames?: string[]
  /** `yaml`: not parseable; `key`: an unknown key (errors, its sound parts checked); `override`: a constraint the sample breaks. */
  broken?: 'yaml' | 'key' | 'override'
}

// A few names for a few files: clashes (and a case-only one) are common, not the rule.
const NAMES = [
  'Order Placed',
  'order placed',
  'Order Shipped',
  'User Deleted',
  'Contact Created',
  'Refund Issued',
  'Lead Scored',
  'Invoice Paid',
  'Trial Started',
  'Plan Changed',
]
const SAMPLES = [
  { id: 'o1', total: 9.5 },
  // A warning each: an array always empty, a field always null.
  { id: 'o1', tags: [] },
  { id: 'o1', deleted_by: null, owner: { name: 'Jane' } },
  // What the project's inference policy decides: formats, closed objects.
  { id: 'o1', at: '2024-05-01T10:00:00Z', contact: 'jane@example.com', address: { city: 'Oslo' } },
]

/** Mostly `undefined`: most runs should get as far as writing. */
function rarely<T>(...values: T[]): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: 10 * values.length, arbitrary: fc.constant(undefined) },
    ...values.map((value) => ({ weight: 1, arbitrary: fc.constant(value) })),
  )
}

const eventFile: fc.Arbitrary<EventFile> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    sample: fc.nat({ max: SAMPLES.length - 1 }),
    previousNames: rarely(['Order Made'], ['Order Shipped'], ['Contact Added', 'Contact Made']),
    broken: rarely('yaml' as const, 'key' as const, 'override' as const),
  })
  .map(({ previousNames, broken, ...content }) => ({
    ...content,
    ...(previousNames === undefined ? {} : { previousNames }),
    ...(broken === undefined ? {} : { broken }),
  }))

type Step =
  | { kind: 'write'; file: number; content: EventFile }
  | { kind: 'rename'; file: number; name: string }
  | { kind: 'take-name'; file: number; from: number }
  | { kind: 'remove'; file: number }
  | { kind: 'config'; inference: { closedObjects?: boolean; formats?: boolean | string[] } | undefined }
  | { kind: 'hand-edit'; index: number }
  | { kind: 'corrupt'; how: 'garbage' | 'truncated' | 'salt' | 'entry' }
  | { kind: 'none' }

const file = fc.nat({ max: FILES - 1 })
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), file, content: eventFile }),
  fc.record({ kind: fc.constant('rename' as const), file, name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('take-name' as const), file, from: file }),
  fc.record({ kind: fc.constant('remove' as const), file }),
  fc.record({
    kind: fc.constant('config' as const),
    inference: fc.option(
      fc.record(
        { closedObjects: fc.boolean(), formats: fc.constantFrom(true, false, ['email'], ['uri', 'date-time']) },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  }),
  fc.record({ kind: fc.constant('hand-edit' as const), index: fc.nat() }),
  fc.record({
    kind: fc.constant('corrupt' as const),
    how: fc.constantFrom('garbage' as const, 'truncated' as const, 'salt' as const, 'entry' as const),
  }),
  fc.constant({ kind: 'none' as const }),
)

function eventText(content: EventFile): string {
  if (content.broken === 'yaml') return `name: ${content.name}\nsample: [\n`
  const document: Record<string, unknown> = { name: content.name }
  if (content.previousNames !== undefined) document.previousNames = content.previousNames
  document.sample = SAMPLES[content.sample]
  if (content.broken === 'key') document.samples = 1
  if (content.broken === 'override') document.schema = { properties: { id: { minLength: 5 } } }
  return stringify(document)
}

/** Bring the project in `dir` (and the model `files`) to the state after `step`. */
function apply(dir: string, files: Array<EventFile | undefined>, step: Step): void {
  const write = (index: number, content: EventFile): void => {
    files[index] = content
    writeFileSync(join(dir, 'events', `e${index}.yaml`), eventText(content))
  }
  switch (step.kind) {
    case 'write':
      write(step.file, step.content)
      break
    case 'rename': {
      const content = files[step.file]
      if (content !== undefined) write(step.file, { ...content, name: step.name })
      break
    }
    case 'take-name': {
      const content = files[step.file]
      const from = files[step.from]
      if (content !== undefined && from !== undefined) write(step.file, { ...content, name: from.name })
      break
    }
    case 'remove':
      files[step.file] = undefined
      rmSync(join(dir, 'events', `e${step.file}.yaml`), { force: true })
      break
    case 'config':
      if (step.inference === undefined) rmSync(join(dir, 'refold.config.ts'), { force: true })
      else writeFileSync(join(dir, 'refold.config.ts'), `export default ${JSON.stringify({ inference: step.inference })}\n`)
      break
    case 'hand-edit': {
      const generated = listFiles(join(dir, 'generated')).filter((path) => path !== 'index.mts')
      if (generated.length === 0) break
      const path = join(dir, 'generated', generated[step.index % generated.length]!)
      writeFileSync(path, `${readFileSync(path, 'utf8')}// edited by hand\n`)
      break
    }
    case 'corrupt':
      corrupt(join(dir, COMPILE_CACHE), step.how)
      break
    case 'none':
      break
  }
}

function corrupt(path: string, how: 'garbage' | 'truncated' | 'salt' | 'entry'): void {
  if (!existsSync(path)) return
  const text = readFileSync(path, 'utf8')
  if (how === 'garbage') {
    writeFileSync(path, '\u0000not json')
  } else if (how === 'truncated') {
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)))
  } else {
    const cache = JSON.parse(text) as { salt: string; entries: Record<string, Record<string, unknown>> }
    if (how === 'salt') cache.salt = `${cache.salt}-older`
    // Each entry broken in another way, the salt left as it is: the entries themselves are checked.
    else
      Object.values(cache.entries).forEach((entry, i) => {
        if (i % 3 === 0) entry.names = { name: 5 }
        else if (i % 3 === 1) entry.compiled = [{ message: 'not a diagnostic' }]
        else delete entry.hash
      })
    writeFileSync(path, JSON.stringify(cache))
  }
}

/** Every file under `dir` (relative paths, sorted), or none when it does not exist. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort()
}

function tree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]))
}

/** A copy of the project in `dir` without its caches: what a cold run starts from. */
function coldCopy(dir: string): string {
  const copy = tempDir('generate-cold')
  for (const entry of ['events', 'generated', 'refold.config.ts']) {
    if (existsSync(join(dir, entry))) cpSync(join(dir, entry), join(copy, entry), { recursive: true })
  }
  return copy
}

describe('generate with warm caches', () => {
  it('prints and writes exactly what a run without caches does, after any edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventFile, { minLength: FILES, maxLength: FILES }),
        fc.array(step, { minLength: 1, maxLength: 5 }),
        async (initial, steps) => {
          const dir = tempDir('generate-warm')
          writeFiles(dir, Object.fromEntries(initial.map((content, i) => [`events/e${i}.yaml`, eventText(content)])))
          const files: Array<EventFile | undefined> = [...initial]
          await runInProcess(['generate'], dir)
          for (const next of steps) {
            apply(dir, files, next)
            const cold = coldCopy(dir)
            const expected = await runInProcess(['generate'], cold)
            const actual = await runInProcess(['generate'], dir)
            expect(actual, JSON.stringify(next)).toEqual(expected)
            console.log(next.kind, actual.code, actual.stdout.split('\n').at(-2), existsSync(join(dir, COMPILE_CACHE)))
            expect(tree(join(dir, 'generated'))).toEqual(tree(join(cold, 'generated')))
            rmSync(cold, { recursive: true, force: true })
          }
        },
      ),
      { numRuns: 15, seed: 11_2026 },
    )
  }, 240_000)
})
