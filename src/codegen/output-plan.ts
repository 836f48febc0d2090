/**
 * What `generate` must do to make the output folder match the generated files: a pure
 * comparison, so `--check` and a real run share it and differ only in whether the plan
 * is carried out.
 */
import type { GeneratedFile } from './generate.js'

/** A file found in the output folder (where generated files live). */
export interface ExistingFile {
  /** Relative to the output folder, `/`-separated. */
  path: string
  /** Whether it starts with the generated-file banner (see banner.ts). */
  generated: boolean
  /** Its text, read only for the paths `generate` produces. */
  contents?: string
  /** Size in bytes and modification time, when the listing recorded them (the generate cache compares them). */
  size?: number
  mtimeMs?: number
}

export type FileChangeKind = 'create' | 'update' | 'delete'

/** One step of a plan. `contents` is set for `create` and `update`. */
export interface FileChange {
  kind: FileChangeKind
  path: string
  contents?: string
}

export interface OutputPlan {
  /** Creates and updates in path order, then deletes of stale generated files. */
  changes: FileChange[]
  /** Paths already up to date. */
  unchanged: string[]
  /**
   * Paths `generate` would write that hold a file without the banner: someone else's
   * file. Nothing is written while there is one.
   */
  conflicts: string[]
}

/**
 * Compare `files` with what the output folder holds. Only files carrying the banner are
 * ever updated or deleted; a generated file no longer produced (its event was removed or
 * renamed) is deleted.
 */
export function planOutput(files: readonly GeneratedFile[], existing: readonly ExistingFile[]): OutputPlan {
  const found = new Map(existing.map((file) => [file.path, file]))
  const wanted = new Set(files.map((file) => file.path))
  const plan: OutputPlan = { changes: [], unchanged: [], conflicts: [] }
  for (const file of files) {
    const current = found.get(file.path)
    if (current === undefined) plan.changes.push({ kind: 'create', path: file.path, contents: file.contents })
    else if (!current.generated) plan.conflicts.push(file.path)
    else if (current.contents === file.contents) plan.unchanged.push(file.path)
    else plan.changes.push({ kind: 'update', path: file.path, contents: file.contents })
  }
  const stale = existing.filter((file) => file.generated && !wanted.has(file.path)).map((file) => file.path)
  for (const path of stale.sort()) plan.changes.push({ kind: 'delete', path })
  return plan
}

/** Which wanted paths hold someone else's file, and which generated files are no longer wanted. */
export interface PathPlan {
  /** Wanted paths holding a file without the banner: nothing may be written while there is one. */
  conflicts: string[]
  /** Generated files (with the banner) that no wanted path names, sorted: their events are gone. */
  stale: string[]
}

/**
 * The part of {@link planOutput} that needs only paths, known before any file is
 * generated: so `generate` can refuse before writing anything, then write one event at a time.
 */
export function planPaths(wanted: readonly string[], existing: readonly ExistingFile[]): PathPlan {
  const wantedSet = new Set(wanted)
  const conflicts = existing
    .filter((file) => wantedSet.has(file.path) && !file.generated)
    .map((file) => file.path)
    .sort()
  const stale = existing
    .filter((file) => file.generated && !wantedSet.has(file.path))
    .map((file) => file.path)
    .sort()
  return { conflicts, stale }
}
