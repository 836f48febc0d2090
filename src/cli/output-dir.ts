/**
 * The file-system side of `generate`: lists what the output folder holds (only the places
 * generated files go, see output-layout.ts), compares and writes one generated file at a
 * time with atomic writes, deletes stale generated files, and stats what it wrote for the
 * generate cache. What to refuse and delete is decided by output-plan.ts (planPaths).
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { mkdir, readFile, rm, stat } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { BANNER_PROBE_BYTES, carriesBanner } from '../codegen/banner.js'
import type { CachedFile } from '../codegen/generate-cache.js'
import type { GeneratedFile } from '../codegen/generate.js'
import type { ExistingFile, FileChangeKind } from '../codegen/output-plan.js'
import { GENERATED_FOLDERS } from '../codegen/output-layout.js'
import { syncFolder, writeFileAtomic } from '../util/atomic-write.js'

/**
 * The regular files in the generated folders of `outDir`, each marked with whether it
 * carries the banner, with its size and modification time. A file `trusted` says is
 * unchanged since generate wrote it (the cache's size and mtime match) is known to carry
 * the banner and is not opened; any other is probed for the banner (its first bytes).
 *
 * Synchronous on purpose: at thousands of files one async round trip per file through the
 * thread pool costs seconds of waiting, the listing a few milliseconds.
 */
export function readOutputDir(
  outDir: string,
  trusted: (path: string, size: number, mtimeMs: number) => boolean = () => false,
): ExistingFile[] {
  const found: ExistingFile[] = []
  for (const folder of GENERATED_FOLDERS) {
    let names: string[]
    try {
      names = readdirSync(join(outDir, folder))
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) continue
      throw error
    }
    for (const name of names.sort()) {
      const path = folder === '' ? name : `${folder}/${name}`
      const absolute = join(outDir, path)
      // Symlinks and folders are never ours: we only ever write regular files.
      const stats = lstatSync(absolute)
      if (!stats.isFile()) continue
      const { size, mtimeMs } = stats
      found.push({ path, generated: trusted(path, size, mtimeMs) || carriesBanner(path, readHead(absolute)), size, mtimeMs })
    }
  }
  return found
}

/**
 * The first path generate must write into as a folder that exists as something else (a file
 * named like `outDir`, or like one of its generated folders, or a file on the way to it inside
 * `root`); undefined when nothing is in the way. Without this check the write fails deep in
 * the file system with ENOTDIR or EEXIST, which names no setting.
 */
export function obstructedFolder(outDir: string, root: string): string | undefined {
  const ancestors: string[] = []
  for (
    let dir = dirname(outDir);
    relative(root, dir) !== '' && !relative(root, dir).startsWith('..') && dir !== dirname(dir);
    dir = dirname(dir)
  ) {
    ancestors.unshift(dir)
  }
  for (const path of [...ancestors, ...GENERATED_FOLDERS.map((folder) => join(outDir, folder))]) {
    let stats: ReturnType<typeof lstatSync>
    try {
      stats = lstatSync(path)
    } catch {
      continue
    }
    // A symlink to a folder is the user's choice of where output goes; stat follows it.
    if (!stats.isDirectory() && !(stats.isSymbolicLink() && isFolder(path))) return path
  }
  return undefined
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * Brings files of `outDir` in line with generated ones, each written atomically. A run
 * writing thousands of files creates each folder once and makes the renames durable once
 * per folder ({@link OutputWriter.finish}) instead of once per file (a folder fsync each).
 */
export class OutputWriter {
  private readonly made = new Map<string, Promise<unknown>>()

  /** `write` false: compare only (`--check`). */
  constructor(
    private readonly outDir: string,
    private readonly write: boolean,
  ) {}

  /**
   * Bring one file in line with `file`: compare with what is there (read only when `exists`),
   * and write it when it differs (unless comparing only). Returns what was (or would be) done.
   */
  async sync(file: GeneratedFile, exists: boolean): Promise<FileChangeKind | 'unchanged'> {
    const absolute = join(this.outDir, file.path)
    if (exists) {
      const current = await readFile(absolute, 'utf8').catch((error: unknown) => {
        if (isCode(error, 'ENOENT')) return undefined
        throw error
      })
      if (current === file.contents) return 'unchanged'
      await this.writeFile(absolute, file.contents)
      return current === undefined ? 'create' : 'update'
    }
    await this.writeFile(absolute, file.contents)
    return 'create'
  }

  /** Make every rename of the run durable: one fsync per folder written into. */
  async finish(): Promise<void> {
    for (const folder of this.made.keys()) await syncFolder(folder)
  }

  private async writeFile(path: string, contents: string): Promise<void> {
    if (!this.write) return
    const folder = dirname(path)
    let made = this.made.get(folder)
    if (made === undefined) {
      made = mkdir(folder, { recursive: true })
      this.made.set(folder, made)
    }
    await made
    await writeFileAtomic(path, contents, { folderExists: true, deferFolderSync: true })
  }
}

/** Delete generated files of `outDir` (paths relative to it). */
export async function deleteGeneratedFiles(outDir: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) await rm(join(outDir, path), { force: true })
}

/** Size and modification time of a file of `outDir`, as the generate cache records it. */
export async function statGeneratedFile(outDir: string, path: string): Promise<CachedFile> {
  const stats = await stat(join(outDir, path))
  return { path, size: stats.size, mtimeMs: stats.mtimeMs }
}

/** Whether every file is still as the cache recorded it: listed in `listing` with the same size and modification time. */
export function filesUnchanged(listing: ReadonlyMap<string, ExistingFile>, files: readonly CachedFile[]): boolean {
  for (const file of files) {
    const found = listing.get(file.path)
    if (found === undefined || found.size !== file.size || found.mtimeMs !== file.mtimeMs) return false
  }
  return files.length > 0
}

function readHead(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(BANNER_PROBE_BYTES)
    const bytesRead = readSync(fd, buffer, 0, BANNER_PROBE_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
