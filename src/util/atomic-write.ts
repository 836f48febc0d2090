/**
 * Crash-safe file writes: a reader (or a process restarted after kill -9) sees the old
 * contents or the new, never a torn file.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'

export interface AtomicWriteOptions {
  /** The folder is known to exist: skip creating it. */
  folderExists?: boolean
  /**
   * Leave making the rename durable to the caller, who calls {@link syncFolder} once after
   * many writes into the folder (a crash before then leaves old or new files, never torn ones).
   */
  deferFolderSync?: boolean
}

/** Write `contents` to `path` through a temp file in the same folder, fsync, then rename. */
export async function writeFileAtomic(path: string, contents: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path)
  if (options.folderExists !== true) await mkdir(dir, { recursive: true })
  const temp = tempPath(path)
  const handle = await open(temp, 'w', 0o644)
  try {
    await handle.writeFile(contents)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  if (options.deferFolderSync !== true) await syncFolder(dir)
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
}

/** Make the renames into folder `dir` durable (fsync the folder), where the file system supports it. */
export async function syncFolder(dir: string): Promise<void> {
  // Makes the rename itself durable; not supported everywhere (e.g. some CI filesystems), so best effort.
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // ignore: durability of the directory entry is an optimisation, atomicity is kept by rename
  }
}
