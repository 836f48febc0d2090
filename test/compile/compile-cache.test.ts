/**
 * The compile cache (compile-cache.ts) through compileProject on real folders: a file whose
 * text is unchanged is not compiled again, and what the run reports (events, diagnostics, the
 * files found) is what compiling every file reports; anything the cache cannot vouch for (a
 * changed text, a malformed entry, an event the caller cannot reuse, another salt) is compiled.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { COMPILE_CODE_FOLDERS, compileCacheSalt } from '../../src/cli/compile-cache-file.js'
import {
  COMPILE_CACHE_FORMAT,
  CompileCacheRun,
  emptyCompileCache,
  usableCompileCache,
  type CompileCache,
  type RecordedEvent,
} from '../../src/compile/compile-cache.js'
import { compileProject, type ProjectCompileResult } from '../../src/compile/compile-project.js'
import { loadConfig } from '../../src/config/load-config.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'

const FILES: Record<string, string> = {
  // Compiles, with a warning (a field only ever null).
  'events/a-order-placed.yaml': 'name: Order Placed\npreviousNames: [Order Made]\nsample:\n  id: ord_1\n  note: null\n',
  // Fails compile: the sample breaks the override's minimum.
  'events/b-refund-issued.yaml': 'name: Refund Issued\nsample:\n  total: 1\nschema:\n  properties:\n    total:\n      minimum: 10\n',
  // Has a parse error (an unknown key), and its sound parts are checked.
  'events/c-user-deleted.yaml': 'name: User Deleted\nsamples: 1\nsample:\n  tags: []\n',
  // Not an event file at all.
  'events/d-broken.yaml': 'name: [\n',
  'events/e-contact-created.yaml': 'name: Contact Created\nsample:\n  email: jane@example.com\n',
}

interface Run {
  result: ProjectCompileResult
  cache: CompileCache
  changed: boolean
}

/** Compile the project in `cwd` with `previous`; events are keyed by name, and reusable unless `refuse` says so. */
async function compile(cwd: string, previous: CompileCache, refuse: (event: RecordedEvent) => boolean = () => false): Promise<Run> {
  const config = await loadConfig({ cwd })
  const run = new CompileCacheRun(previous, { eventKey: (event) => `key of ${event.definition.name}`, reusable: (event) => !refuse(event) })
  const result = await compileProject(config, { cwd, keepPositions: false, cache: run })
  return { result, cache: run.next, changed: run.changed }
}

/** What compiling without a cache reports, in the shape a cached run reports it. */
function reported(result: ProjectCompileResult) {
  return {
    diagnostics: result.diagnostics,
    files: result.files,
    loaded: result.loaded,
    events: [
      ...result.events.map((event) => ({ name: event.definition.name, fileName: event.fileName })),
      ...result.reused.map((event) => ({ name: event.name, fileName: event.fileName })),
    ].sort((a, b) => (a.name < b.name ? -1 : 1)),
  }
}

function project(files: Record<string, string> = FILES): string {
  const cwd = tempDir('compile-cache')
  writeFiles(cwd, files)
  return cwd
}

describe('compile cache', () => {
  it('reuses every file whose text is unchanged, reporting what compiling it reports', async () => {
    const cwd = project()
    const cold = await compile(cwd, emptyCompileCache('s'))
    expect(cold.result.reused).toEqual([])
    expect(cold.changed).toBe(true)
    // The project is what the assertions rest on: a warning, compile and parse errors, two events.
    expect(cold.result.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity}`)).toEqual([
      'events/a-order-placed.yaml:5 warning',
      'events/b-refund-issued.yaml:3 error',
      'events/c-user-deleted.yaml:2 error',
      'events/c-user-deleted.yaml:4 warning',
      'events/d-broken.yaml:2 error',
    ])
    // The broken file holds no definition: nothing to record.
    expect(Object.keys(cold.cache.entries)).toEqual([
      'events/a-order-placed.yaml',
      'events/b-refund-issued.yaml',
      'events/c-user-deleted.yaml',
      'events/e-contact-created.yaml',
    ])

    const warm = await compile(cwd, cold.cache)
    expect(warm.result.events).toEqual([])
    expect(warm.result.reused).toEqual([
      { name: 'Order Placed', fileName: 'order-placed', key: 'key of Order Placed' },
      { name: 'Contact Created', fileName: 'contact-created', key: 'key of Contact Created' },
    ])
    expect(reported(warm.result)).toEqual(reported(cold.result))
    expect(warm.changed).toBe(false)
    expect(warm.cache).toEqual(cold.cache)
  })

  it('compiles again a file whose text changed, and one whose event the caller cannot reuse', async () => {
    const cwd = project()
    const cold = await compile(cwd, emptyCompileCache('s'))
    writeFileSync(join(cwd, 'events/a-order-placed.yaml'), 'name: Order Placed\nsample:\n  id: ord_1\n  note: null\n  total: 2\n')
    const warm = await compile(cwd, cold.cache, (event) => event.fileName === 'contact-created')
    expect(warm.result.events.map((event) => event.definition.name)).toEqual(['Order Placed', 'Contact Created'])
    expect(warm.result.reused).toEqual([])
    expect(warm.changed).toBe(true)
    expect(reported(warm.result)).toEqual(reported((await compile(cwd, emptyCompileCache('s'))).result))
  })

  it('runs the cross-file name checks over reused files: a clash with an edited file, whichever comes first', async () => {
    const cwd = project()
    const cold = await compile(cwd, emptyCompileCache('s'))
    // A later file takes the name of a reused one (rejected), and an earlier one another's
    // previous name; then an earlier file takes a reused file's name (the reused one is rejected).
    writeFiles(cwd, {
      'events/f-copy.yaml': 'name: Order Placed\nsample:\n  id: 1\n',
      'events/0-former.yaml': 'name: Order Made\nsample:\n  id: 1\n',
    })
    const clash = await compile(cwd, cold.cache)
    const fresh = await compile(cwd, emptyCompileCache('s'))
    expect(reported(clash.result)).toEqual(reported(fresh.result))
    expect(clash.result.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(
      expect.arrayContaining(['events/a-order-placed.yaml:2', 'events/f-copy.yaml:1']),
    )
    rmSync(join(cwd, 'events/f-copy.yaml'))
    writeFileSync(join(cwd, 'events/0-former.yaml'), 'name: Contact Created\nsample:\n  id: 1\n')
    const earlier = await compile(cwd, clash.cache)
    expect(earlier.result.reused.map((event) => event.name)).toEqual(['Order Placed'])
    expect(reported(earlier.result)).toEqual(reported((await compile(cwd, emptyCompileCache('s'))).result))
    expect(earlier.result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message.split(':')[0]}`)).toContain(
      'events/e-contact-created.yaml:1 duplicate event name "Contact Created"',
    )
  })

  it('compiles a file whose entry is malformed, and drops the entries of files that are gone', async () => {
    const cwd = project()
    const cold = await compile(cwd, emptyCompileCache('s'))
    const file = 'events/a-order-placed.yaml'
    const entry = cold.cache.entries[file]!
    const breakages: Array<(entry: Record<string, unknown>) => void> = [
      (e) => delete e.hash,
      (e) => (e.names = null),
      (e) => (e.names = { ...(e.names as object), previousNames: 'Order Made' }),
      (e) => (e.names = { ...(e.names as object), locations: { '/name': { line: 0, column: 1 } } }),
      (e) => (e.checkable = 'no'),
      (e) => (e.parsed = {}),
      (e) => (e.compiled = [{ ...(e.compiled as object[])[0], message: 3 }]),
      (e) => (e.compiled = [{ ...(e.compiled as object[])[0], file: 'events/other.yaml' }]),
      (e) => (e.compiled = [{ ...(e.compiled as object[])[0], severity: 'info' }]),
      (e) => (e.event = { fileName: 'order-placed', key: 7 }),
      (e) => (e.hash = 'another text'),
    ]
    for (const breakage of breakages) {
      const broken = structuredClone(entry) as unknown as Record<string, unknown>
      breakage(broken)
      const warm = await compile(cwd, { ...cold.cache, entries: { ...cold.cache.entries, [file]: broken as never } })
      expect(warm.result.events.map((event) => event.definition.name)).toEqual(['Order Placed'])
      expect(reported(warm.result)).toEqual(reported(cold.result))
      expect(warm.cache).toEqual(cold.cache)
    }
    rmSync(join(cwd, 'events/e-contact-created.yaml'))
    const fewer = await compile(cwd, cold.cache)
    expect(fewer.changed).toBe(true)
    expect(Object.keys(fewer.cache.entries)).not.toContain('events/e-contact-created.yaml')
  })

  it('uses a cache only of the same format and salt; anything malformed is none', () => {
    const cache = { format: COMPILE_CACHE_FORMAT, salt: 's', entries: {} }
    expect(usableCompileCache(cache, 's')).toBe(cache)
    for (const other of [usableCompileCache(cache, 'newer'), usableCompileCache({ ...cache, format: 0 }, 's')]) {
      expect(other).toEqual(emptyCompileCache(other.salt))
    }
    for (const broken of [null, 'text', [], { ...cache, entries: null }, { ...cache, entries: [] }]) {
      expect(usableCompileCache(broken, 's')).toEqual(emptyCompileCache('s'))
    }
  })

  it('is refused by a compile that keeps positions (a reused file has none to keep)', async () => {
    const cwd = project()
    const config = await loadConfig({ cwd })
    const run = new CompileCacheRun(emptyCompileCache('s'), { eventKey: () => 'k', reusable: () => true })
    await expect(compileProject(config, { cwd, cache: run })).rejects.toThrow(/keepPositions false/)
  })

  it('salts with every folder of code a compile runs', () => {
    // compile-project.ts and every module it imports, followed through relative imports.
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
    const seen = new Set<string>()
    const pending = [join(src, 'compile/compile-project.ts')]
    while (pending.length > 0) {
      const file = pending.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
        pending.push(join(dirname(file), `${match[1]}.ts`))
      }
    }
    const folders = new Set([...seen].map((file) => dirname(relative(src, file)).replace(/^\.$/, '')))
    expect(seen.size).toBeGreaterThan(30)
    expect([...folders].filter((folder) => !(COMPILE_CODE_FOLDERS as readonly string[]).includes(folder))).toEqual([])
  })
})

describe('compileCacheSalt', () => {
  it('changes with every setting compile reads, and with the salt of the recorded event keys', async () => {
    const config = await loadConfig({ cwd: project({}) })
    const salt = compileCacheSalt(config, 'keys')
    expect(compileCacheSalt(config, 'keys')).toBe(salt)
    expect(compileCacheSalt(config, 'other keys')).not.toBe(salt)
    expect(compileCacheSalt({ ...config, inference: { ...config.inference, closedObjects: true } }, 'keys')).not.toBe(salt)
    expect(compileCacheSalt({ ...config, inference: { ...config.inference, formats: ['email'] } }, 'keys')).not.toBe(salt)
    expect(compileCacheSalt({ ...config, sync: { ...config.sync, expandRenames: false } }, 'keys')).not.toBe(salt)
    expect(compileCacheSalt({ ...config, maxFileBytes: 1024 }, 'keys')).not.toBe(salt)
  })
})
