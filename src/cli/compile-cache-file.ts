/**
 * Where the compile cache lives and how it is read and written:
 * `<project root>/.refold/compile-cache.json`, beside the generate cache (local state, never
 * committed). A missing, unreadable or foreign cache is no cache.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { usableCompileCache, type CompileCache } from '../compile/compile-cache.js'
import type { ResolvedConfig } from '../config/define-config.js'
import { EVENT_FILE_SCHEMA_URL } from '../definitions/validate-event-file.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { codeSalt } from './code-salt.js'

/**
 * The folders of the code a file's compile runs (compile-project.ts and what it imports; a
 * test keeps this list complete). `''`: the modules at the code root (diagnostics, errors).
 */
export const COMPILE_CODE_FOLDERS = ['', 'compile', 'config', 'definitions', 'infer', 'util', 'wire'] as const

/** Path of the compile cache for a project rooted at `root`. */
export function compileCachePath(root: string): string {
  return join(root, '.refold', 'compile-cache.json')
}

/**
 * Everything a file's compile depends on besides its text and shown path: refold-events'
 * version and compile code, the file format's schema, the project's settings compile reads,
 * and `eventKeySalt`, the salt of the keys recorded with compiled events (the generate cache's).
 */
export function compileCacheSalt(config: ResolvedConfig, eventKeySalt: string): string {
  const code = codeSalt(COMPILE_CODE_FOLDERS, [EVENT_FILE_SCHEMA_URL])
  return JSON.stringify([code, eventKeySalt, config.inference, config.sync.expandRenames, config.maxFileBytes])
}

/** The cache at `path` if it was made with `salt`, else an empty one. */
export async function readCompileCache(path: string, salt: string): Promise<CompileCache> {
  try {
    return usableCompileCache(JSON.parse(await readFile(path, 'utf8')), salt)
  } catch {
    return usableCompileCache(undefined, salt)
  }
}

/** Write the cache (atomically: a crash leaves the old cache or the new one). */
export async function writeCompileCache(path: string, cache: CompileCache): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(cache)}\n`)
}
