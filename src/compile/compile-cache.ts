/**
 * What `generate` remembers of each event file's compile between runs, so that a file whose
 * text is unchanged is neither parsed nor compiled again: per file (by the path shown in
 * diagnostics), a hash of its text, its names and their positions (the cross-file name checks
 * still run over every file), the diagnostics parsing and compiling it gave, and its compiled
 * event as the caller keyed it (generate: the event's generate-cache key and file name).
 *
 * A file is compiled from the same text and shown path, by the same code, under the same
 * project settings (all in the cache's salt) to the same result, so a recorded result can stand
 * for it; anything unusable (another salt, a malformed entry, an event whose output the caller
 * cannot reuse) is compiled again. The cache can only save work, never change output or
 * diagnostics. Pure: the CLI reads and writes the file (`.refold/compile-cache.json`).
 */
import { createHash } from 'node:crypto'
import type { EventSource, ParsedSource, ReusedFile } from '../definitions/load-definitions.js'
import { namePositions, type NamedDefinition } from '../definitions/name-collisions.js'
import type { CompiledEvent, Diagnostic } from '../types.js'
import type { CompiledDefinition } from './compile-project.js'

/** Bumped whenever the shape of the cache changes. */
export const COMPILE_CACHE_FORMAT = 1

/** A compiled event as later runs use it without compiling it again. */
export interface RecordedEvent {
  /** Base name of its generated files (`CompiledEvent.fileName`). */
  fileName: string
  /** What the caller keyed the compiled event by (generate: its generate-cache key). */
  key: string
}

/** One event file's entry. */
export interface CompiledFileEntry {
  /** SHA-256 of the file's text. */
  hash: string
  /** What the cross-file name checks read (the file is the entry's key). */
  names: Omit<NamedDefinition, 'file'>
  /** Parsing found errors: only the sound parts were compiled, and no event is recorded. */
  checkable: boolean
  /** Parsing's diagnostics, in its order. */
  parsed: Diagnostic[]
  /** Compiling's diagnostics, in its order. */
  compiled: Diagnostic[]
  /** The event, when the file compiled without errors. */
  event?: RecordedEvent
}

/** The compile cache of one project. */
export interface CompileCache {
  format: number
  /**
   * What else compiling depends on: refold-events' version and code, the project's inference
   * policy, `sync.expandRenames`, `maxFileBytes`. A different one drops every entry.
   */
  salt: string
  /** By event file, as shown in diagnostics (relative to the current folder). */
  entries: Record<string, CompiledFileEntry>
}

/** A file reused from the cache: what loading and compiling it gave the earlier run. */
export interface ReusedCompile extends ReusedFile {
  /** Compiling's diagnostics. */
  compiled: Diagnostic[]
  event?: ReusedEvent
}

/** An event of a reused file. */
export interface ReusedEvent extends RecordedEvent {
  /** The event's name. */
  name: string
}

/** An empty cache. */
export function emptyCompileCache(salt: string): CompileCache {
  return { format: COMPILE_CACHE_FORMAT, salt, entries: {} }
}

/**
 * `cache` when this run can use it (same format and salt), else an empty one. Entries are
 * checked one by one as they are used (a malformed one is compiled again).
 */
export function usableCompileCache(cache: unknown, salt: string): CompileCache {
  if (typeof cache !== 'object' || cache === null) return emptyCompileCache(salt)
  const c = cache as Partial<CompileCache>
  if (
    c.format !== COMPILE_CACHE_FORMAT ||
    c.salt !== salt ||
    typeof c.entries !== 'object' ||
    c.entries === null ||
    Array.isArray(c.entries)
  ) {
    return emptyCompileCache(salt)
  }
  return c as CompileCache
}

/** What a run needs to know to record and reuse events. */
export interface CompileCacheOptions {
  /** The key recorded with a compiled event (generate: its generate-cache key). */
  eventKey: (event: CompiledEvent) => string
  /** Whether a recorded event can be used as it is (generate: its files are in place); if not, its file is compiled again. */
  reusable: (event: RecordedEvent) => boolean
}

/**
 * One compile's use of a cache: answers for unchanged files ({@link reuse}), records the
 * others ({@link record}), and holds the cache for the next run ({@link next}): the entries
 * of this run's files, reused or recorded.
 */
export class CompileCacheRun {
  /** The cache after this run. */
  readonly next: CompileCache
  private reused = 0
  private recorded = 0

  constructor(
    private readonly previous: CompileCache,
    private readonly options: CompileCacheOptions,
  ) {
    this.next = emptyCompileCache(previous.salt)
  }

  /** The earlier result for `source`, when its text is the one recorded and everything recorded is usable. */
  reuse(source: EventSource): ReusedCompile | undefined {
    const entry = Object.hasOwn(this.previous.entries, source.file) ? (this.previous.entries[source.file] as unknown) : undefined
    if (!isEntry(entry, source.file) || entry.hash !== textHash(source.text)) return undefined
    if (entry.event !== undefined && !this.options.reusable(entry.event)) return undefined
    this.next.entries[source.file] = entry
    this.reused++
    const names: NamedDefinition = { ...entry.names, file: source.file }
    return {
      names,
      diagnostics: entry.parsed,
      checkable: entry.checkable,
      compiled: entry.compiled,
      ...(entry.event === undefined ? {} : { event: { name: entry.names.name, ...entry.event } }),
    }
  }

  /** Record what parsing and compiling `source` gave (its definition's names, then compile's `result`). */
  record(source: ParsedSource, definition: NamedDefinition, result: CompiledDefinition): void {
    const entry: CompiledFileEntry = {
      hash: textHash(source.text),
      names: {
        name: definition.name,
        identifier: definition.identifier,
        locations: namePositions(definition.locations),
        ...(definition.previousNames === undefined ? {} : { previousNames: definition.previousNames }),
      },
      checkable: source.checkable,
      parsed: source.diagnostics,
      compiled: result.diagnostics,
    }
    // A file with errors is never compiled into an event (see LoadResult.checkable).
    if (result.event !== undefined && !source.checkable) {
      entry.event = { fileName: result.event.fileName, key: this.options.eventKey(result.event) }
    }
    this.next.entries[source.file] = entry
    this.recorded++
  }

  /** Whether {@link next} differs from the cache the run started from (it need not be written otherwise). */
  get changed(): boolean {
    return this.recorded > 0 || this.reused !== Object.keys(this.previous.entries).length
  }
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Whether `entry` is a well-formed entry for `file` (a cache file is input like any other). */
function isEntry(entry: unknown, file: string): entry is CompiledFileEntry {
  if (!isObject(entry)) return false
  const { hash, names, checkable, parsed, compiled, event } = entry
  return (
    typeof hash === 'string' &&
    isNames(names) &&
    typeof checkable === 'boolean' &&
    isDiagnostics(parsed, file) &&
    isDiagnostics(compiled, file) &&
    (event === undefined || (isObject(event) && typeof event.fileName === 'string' && typeof event.key === 'string' && !checkable))
  )
}

function isNames(names: unknown): names is CompiledFileEntry['names'] {
  if (!isObject(names)) return false
  const { name, identifier, previousNames, locations } = names
  return (
    typeof name === 'string' &&
    typeof identifier === 'string' &&
    (previousNames === undefined || (Array.isArray(previousNames) && previousNames.every((p) => typeof p === 'string'))) &&
    isObject(locations) &&
    Object.values(locations).every((at) => isObject(at) && isLineNumber(at.line) && isLineNumber(at.column))
  )
}

function isDiagnostics(diagnostics: unknown, file: string): diagnostics is Diagnostic[] {
  return (
    Array.isArray(diagnostics) &&
    diagnostics.every(
      (d) =>
        isObject(d) &&
        d.file === file &&
        isLineNumber(d.line) &&
        isLineNumber(d.column) &&
        (d.severity === 'error' || d.severity === 'warning') &&
        typeof d.message === 'string',
    )
  )
}

function isLineNumber(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
