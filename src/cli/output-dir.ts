/**
 * The file-system side of `generate`: reads what the output folder holds (only the places
 * generated files go: the folder itself and its `schemas/`), and carries out an
 * {@link OutputPlan} with atomic writes. Everything it decides comes from planOutput.
 */
import { lstat, open, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { BANNER_PROBE_BYTES, carriesBanner } from '../codegen/banner.js'
import type { ExistingFile, OutputPlan } from '../codegen/output-plan.js'
import { writeFileAtomic } from '../util/atomic-write.js'

/** Sub-folders of the output folder that generated files live in ('' is the folder itself). */
const GENERATED_FOLDERS = ['', 'schemas']

/**
 * The regular files in the generated folders of `outDir`, each marked with whether it
 * carries the banner; the full text is read for `wanted` paths only.
 */
export async function readOutputDir(outDir: string, wanted: ReadonlySet<string>): Promise<ExistingFile[]> {
  const found: ExistingFile[] = []
  for (const folder of GENERATED_FOLDERS) {
    let names: string[]
    try {
      names = await readdir(join(outDir, folder))
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) continue
      throw error
    }
    for (const name of names.sort()) {
      const path = folder === '' ? name : `${folder}/${name}`
      const absolute = join(outDir, path)
      // Symlinks and folders are never ours: we only ever write regular files.
      const stats = await lstat(absolute)
      if (!stats.isFile()) continue
      if (wanted.has(path)) {
        const contents = await readFile(absolute, 'utf8')
        found.push({ path, generated: carriesBanner(path, contents.slice(0, BANNER_PROBE_BYTES)), contents })
      } else {
        found.push({ path, generated: carriesBanner(path, await readHead(absolute)) })
      }
    }
  }
  return found
}

/** Carry out `plan` in `outDir`: atomic writes (temp file, fsync, rename), then deletes. */
export async function applyOutputPlan(outDir: string, plan: OutputPlan): Promise<void> {
  for (const change of plan.changes) {
    const absolute = join(outDir, change.path)
    if (change.kind === 'delete') await rm(absolute, { force: true })
    else await writeFileAtomic(absolute, change.contents ?? '')
  }
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(BANNER_PROBE_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, BANNER_PROBE_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
