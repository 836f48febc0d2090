/**
 * Loads every event definition of a project: finds the files, reads them within the
 * size bound, parses and checks each, then checks names across files. Every problem of
 * the run is collected; a file with errors is left out of the result.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { DEFAULT_MAX_FILE_BYTES } from '../config/define-config.js'
import type { Diagnostic, EventDefinition } from '../types.js'
import { findEventFiles } from './find-event-files.js'
import { checkNameCollisions, type NamedDefinition } from './name-collisions.js'
import { parseEventFile } from './parse-event-file.js'
import { displayPath } from '../diagnostics.js'

export interface LoadDefinitionsOptions<R extends ReusedFile = ReusedFile, Kept extends NamedDefinition = EventDefinition> {
  /** Absolute path of the events folder (`ResolvedConfig.eventsDir`). */
  eventsDir: string
  /** Paths in diagnostics and definitions are shown relative to this folder. */
  cwd: string
  /** Largest file accepted, in bytes (`ResolvedConfig.maxFileBytes`). Default 5 MB. */
  maxFileBytes?: number
  /**
   * What the loader keeps of each parsed definition, and returns in its place (default: the
   * definition). Called as soon as the definition's file has parsed (a file with errors: its
   * checkable parts), before the next file is read and before the cross-file name checks, which
   * read only what {@link NamedDefinition} names: lets a caller finish with a definition file by
   * file (compile it, keep the result) instead of holding every definition of the project.
   */
  keep?: (definition: EventDefinition, source: ParsedSource) => Kept | Promise<Kept>
  /**
   * Asked with each file's text before it is parsed: what an earlier run recorded of the same
   * file with the same text (see compile/compile-cache.ts). A file answered for is not parsed
   * and not passed to `keep`; its recorded names take part in the cross-file checks.
   */
  reuse?: (source: EventSource) => R | undefined
}

/** One event file as read. */
export interface EventSource {
  /** The path shown in diagnostics (relative to `cwd`). */
  file: string
  text: string
}

/** One event file as parsed, with what parsing said of it. */
export interface ParsedSource extends EventSource {
  /** Parsing's errors and warnings for this file. */
  diagnostics: Diagnostic[]
  /** The file has errors: its definition holds only the parts that passed (see {@link LoadResult.checkable}). */
  checkable: boolean
}

/** A file an earlier run parsed, as `reuse` answers for it. */
export interface ReusedFile {
  /** What the cross-file name checks read of its definition. */
  names: NamedDefinition
  /** What parsing said of it then (and would say again: the text is the same). */
  diagnostics: Diagnostic[]
  checkable: boolean
}

export interface LoadResult<R extends ReusedFile = ReusedFile, Kept = EventDefinition> {
  /** Definitions without errors (what `keep` kept of each), in file order. */
  definitions: Kept[]
  /** Every error and warning of the run. */
  diagnostics: Diagnostic[]
  /** Every event file found (shown paths), including those with errors. */
  files: string[]
  /**
   * Files with errors whose name and sample are sound, as the parts that passed: later
   * stages check them so that one run reports every problem. Never compiled into events.
   */
  checkable: Kept[]
  /** Files `reuse` answered for that the cross-file name checks accept (with or without errors), in file order. */
  reused: R[]
}

/** Load and check every `*.yaml` / `*.yml` under the events folder. */
export async function loadDefinitions<R extends ReusedFile = ReusedFile, Kept extends NamedDefinition = EventDefinition>(
  options: LoadDefinitionsOptions<R, Kept>,
): Promise<LoadResult<R, Kept>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  // Without `keep`, Kept is its default, EventDefinition.
  const keep = options.keep ?? ((definition: EventDefinition) => definition as unknown as Kept)
  const paths = await findEventFiles(options.eventsDir, displayPath(options.eventsDir, options.cwd))
  // In file order: the cross-file checks let the first file of a clash keep its name.
  const loaded: NamedDefinition[] = []
  const parsedDefinitions: Kept[] = []
  const checkable = new Set<Kept>()
  const reused: R[] = []
  const diagnostics: Diagnostic[] = []
  const files: string[] = []
  for (const path of paths) {
    const file = displayPath(path, options.cwd)
    files.push(file)
    const text = readEventFile(path, file, maxFileBytes, diagnostics)
    if (text === undefined) continue
    const earlier = options.reuse?.({ file, text })
    if (earlier !== undefined) {
      diagnostics.push(...earlier.diagnostics)
      loaded.push(earlier.names)
      reused.push(earlier)
      continue
    }
    const parsed = await parseEventFile(text, file)
    diagnostics.push(...parsed.diagnostics)
    const definition = parsed.definition ?? parsed.checkable
    if (definition === undefined) continue
    const kept = await keep(definition, { file, text, diagnostics: parsed.diagnostics, checkable: parsed.definition === undefined })
    loaded.push(kept)
    parsedDefinitions.push(kept)
    if (parsed.definition === undefined) checkable.add(kept)
  }
  // Files with errors take part so their names and previous names are checked in this run too.
  const names = checkNameCollisions(loaded)
  diagnostics.push(...names.diagnostics)
  const accepted = new Set(names.accepted)
  return {
    definitions: parsedDefinitions.filter((definition) => accepted.has(definition) && !checkable.has(definition)),
    diagnostics,
    files,
    checkable: parsedDefinitions.filter((definition) => accepted.has(definition) && checkable.has(definition)),
    reused: reused.filter((file) => accepted.has(file.names)),
  }
}

/**
 * The text of an event file, or undefined after recording why it cannot be used.
 *
 * Synchronous on purpose: a file is parsed as soon as it is read, so nothing could run while
 * waiting, and four round trips through the thread pool per file (stat, open, read, close)
 * cost more main-thread CPU than the reads themselves (1,000 files: ~100 ms against ~15 ms).
 */
function readEventFile(path: string, file: string, maxFileBytes: number, diagnostics: Diagnostic[]): string | undefined {
  const fail = (message: string): undefined => {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', message })
    return undefined
  }
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    return fail(cannotRead(error))
  }
  try {
    // Checked before reading, so a huge file is never loaded into memory.
    const { size } = fstatSync(fd)
    if (size > maxFileBytes) {
      return fail(
        `file is ${formatBytes(size)}, over the ${formatBytes(maxFileBytes)} limit for event files; shorten its sample and examples, or raise maxFileBytes in refold.config.ts`,
      )
    }
    const bytes = readAll(fd, size, maxFileBytes)
    if (bytes === undefined) return fail(`file grew past the ${formatBytes(maxFileBytes)} limit for event files while it was read`)
    try {
      return UTF8.decode(bytes)
    } catch {
      return fail('file is not valid UTF-8 text; expected a UTF-8 encoded YAML file')
    }
  } catch (error) {
    return fail(cannotRead(error))
  } finally {
    closeSync(fd)
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Every byte of the open file `fd`, whose size was `size` when it was opened: read on to the
 * end (it may have grown since), or undefined once it holds more than `maxBytes`.
 */
function readAll(fd: number, size: number, maxBytes: number): Uint8Array | undefined {
  // One byte more than the size, so the read that finds the end needs no larger buffer.
  let buffer = Buffer.allocUnsafe(size + 1)
  let length = 0
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) return undefined
      const larger = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1))
      buffer.copy(larger, 0, 0, length)
      buffer = larger
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null)
    if (read === 0) break
    length += read
  }
  return length > maxBytes ? undefined : buffer.subarray(0, length)
}

function cannotRead(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return `cannot read file${code === undefined ? '' : ` (${code})`}`
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KB`
  return `${bytes} bytes`
}
