/**
 * Where the generate cache lives and how it is read and written:
 * `<project root>/.refold/generate-cache.json` (the project root is the config file's
 * folder, or the current one). `.refold/` is local state, never committed (it also holds
 * the emulator's state). A missing, unreadable or foreign cache is no cache.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { usableCache, type GenerateCache } from '../codegen/generate-cache.js'
import { writeFileAtomic } from '../util/atomic-write.js'

/** Path of the cache file for a project rooted at `root`. */
export function generateCachePath(root: string): string {
  return join(root, '.refold', 'generate-cache.json')
}

/** The cache at `path` if it describes `outDir` for this version (`salt`), else an empty one. */
export async function readGenerateCache(path: string, outDir: string, salt: string): Promise<GenerateCache> {
  try {
    return usableCache(JSON.parse(await readFile(path, 'utf8')), outDir, salt)
  } catch {
    return usableCache(undefined, outDir, salt)
  }
}

/** Write the cache (atomically: a crash leaves the old cache or the new one). */
export async function writeGenerateCache(path: string, cache: GenerateCache): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(cache)}\n`)
}
