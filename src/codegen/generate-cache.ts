/**
 * What `generate` remembers between runs so that an unchanged event costs nothing: per
 * event, a hash of everything its files are made from, the summary the index needs, and
 * the size and modification time of each file it wrote. An event whose hash matches and
 * whose files are still exactly as written (same size and mtime) is neither regenerated
 * nor re-read; anything else (no cache, another version of refold-events, an edited or
 * deleted output file) is generated again, so the cache can only save work, never change
 * the output. Pure: the CLI reads and writes the cache file (`.refold/generate-cache.json`).
 */
import { createHash } from 'node:crypto'
import type { CompiledEvent } from '../types.js'
import type { EventSummary } from './emit-index.js'

/** Bumped whenever the shape of the cache or of the generated files changes. */
export const CACHE_FORMAT = 1

/** One file as `generate` left it. */
export interface CachedFile {
  path: string
  size: number
  mtimeMs: number
}

/** One event's entry: the hash of its input, what the index needs, the files it wrote. */
export interface CacheEntry {
  key: string
  summary: EventSummary
  files: CachedFile[]
}

/** The cache of one output folder. */
export interface GenerateCache {
  format: number
  /** What else the output depends on: refold-events' version. A different one drops every entry. */
  salt: string
  /** The output folder the entries describe (absolute). */
  outDir: string
  /** By event file name (kebab-case, unique per project). */
  entries: Record<string, CacheEntry>
}

/** An empty cache for `outDir`. */
export function emptyCache(outDir: string, salt: string): GenerateCache {
  return { format: CACHE_FORMAT, salt, outDir, entries: {} }
}

/**
 * `cache` when it is one this run can use (same format, version and output folder), else an
 * empty one. Anything malformed counts as no cache.
 */
export function usableCache(cache: unknown, outDir: string, salt: string): GenerateCache {
  if (typeof cache !== 'object' || cache === null) return emptyCache(outDir, salt)
  const c = cache as Partial<GenerateCache>
  if (c.format !== CACHE_FORMAT || c.salt !== salt || c.outDir !== outDir || typeof c.entries !== 'object' || c.entries === null) {
    return emptyCache(outDir, salt)
  }
  return c as GenerateCache
}

/**
 * The hash of everything an event's generated files are made from: its name, identifier,
 * file name, description, apps, samples (the `@example`s), final schema, and what the helper
 * passes to the runtime (`idempotencyKey`, `previousNames`), plus `salt`.
 * The file the event came from is left out: moving a YAML file changes no output.
 */
export function eventCacheKey(event: CompiledEvent, salt: string): string {
  const { definition } = event
  const input = [
    CACHE_FORMAT,
    salt,
    definition.name,
    definition.identifier,
    event.fileName,
    definition.description ?? null,
    definition.apps ?? null,
    definition.sample,
    definition.examples,
    event.schema,
    event.renameCopies ?? [],
    definition.idempotencyKey ?? null,
    definition.previousNames ?? null,
  ]
  return createHash('sha256').update(JSON.stringify(input)).digest('hex')
}

/** The entry of the event whose files are named `fileName`, when its key matches (the files still have to be checked on disk). */
export function cachedEntry(cache: GenerateCache, fileName: string, key: string): CacheEntry | undefined {
  const entry = Object.hasOwn(cache.entries, fileName) ? cache.entries[fileName] : undefined
  const wellFormed = entry !== undefined && typeof entry.summary === 'object' && entry.summary !== null && Array.isArray(entry.files)
  return wellFormed && entry.key === key ? entry : undefined
}
