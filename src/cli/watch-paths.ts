/**
 * File watching for `--watch` commands: one debounced callback for changes under folders
 * (recursively) and to single files. Watching is chokidar's: Node's own recursive `fs.watch`
 * on Linux loses a file after an editor replaces it (sed -i, vim, JetBrains "safe write", git
 * checkout write a new file and rename it over the old one), after which later edits and even
 * deleting it went unnoticed. chokidar follows replaced files, new subfolders and deletions.
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, relative, resolve, sep } from 'node:path'

export interface WatchTargets {
  /** Folders watched with everything below them (hidden files and folders excepted). */
  folders: string[]
  /** Single files. */
  files: string[]
}

export interface Watcher {
  close(): Promise<void>
}

/**
 * Call `onChange` once things have been quiet for `debounceMs` after a change. Resolves once
 * the initial scan is done, so nothing that happens afterwards is missed. A folder that does
 * not exist (yet) is watched for its creation.
 */
export async function watchPaths(targets: WatchTargets, onChange: () => void, debounceMs = 100): Promise<Watcher> {
  let timer: NodeJS.Timeout | undefined
  const changed = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      reattach()
      // What this run reads: the one-second check below starts another only for a change after it.
      seen = treeStamp(targets.folders)
      onChange()
    }, debounceMs)
  }
  // Loaded only by --watch: a plain `generate` does not pay for it.
  const { watch } = await import('chokidar')
  const watcher = watch([...targets.folders, ...targets.files], {
    ignoreInitial: true,
    // Editors' swap and backup files (.name.swp, .#name) and hidden folders: the loader skips them too.
    ignored: (path) => targets.folders.some((folder) => isHiddenBelow(folder, path)),
  })
  watcher.on('all', changed)
  // A watcher error (a folder removed under it) must not crash the process; the next run reports it.
  watcher.on('error', changed)

  // A watched folder or file itself removed: `git checkout` removes a folder it empties and makes
  // it again, `rm -r` and a rename over the folder do the same. chokidar then drops it, or keeps
  // its handle on the removed folder, and with nothing left to watch the process ended on its own
  // (exit 13, an unsettled top-level await). So after every change, and every second, each root
  // is looked at: a missing one is watched for its creation (chokidar watches its parent); a
  // folder that is back, or is another folder than the one watched (another inode), is watched
  // afresh and read. The interval also keeps the command running until it is interrupted.
  const identity = (path: string): string | undefined => {
    const stats = statSync(path, { throwIfNoEntry: false })
    if (stats === undefined) return undefined
    // A file's inode changes on every "safe write", which chokidar follows: only its existence counts.
    return stats.isDirectory() ? `${stats.dev}:${stats.ino}` : 'file'
  }
  const roots = new Map([...targets.folders, ...targets.files].map((path) => [resolve(path), identity(path)]))
  // chokidar also reports a root as removed, and drops it, when it is not: a `git checkout` that
  // empties events/ and fills it again keeps the same folder. Such a root is watched afresh too.
  const dropped = (path: string): void => {
    if (roots.has(resolve(path))) roots.set(resolve(path), 'dropped')
  }
  watcher.on('unlinkDir', dropped)
  watcher.on('unlink', dropped)
  const reattach = (): void => {
    if (watcher.closed) return
    for (const [root, was] of roots) {
      const now = identity(root)
      if (now === was) continue
      roots.set(root, now)
      watcher.unwatch(root)
      watcher.add(root)
      if (now !== undefined) changed()
    }
  }
  // chokidar can also miss an edit in a folder made a moment before (seen once in CI: a file written
  // into a new subfolder, then edited). So the same check compares the size and mtime of every file
  // below the folders with what it saw last, and starts a run when they differ.
  let seen = treeStamp(targets.folders)
  const guard = setInterval(() => {
    reattach()
    const now = treeStamp(targets.folders)
    if (now !== seen) {
      seen = now
      changed()
    }
  }, 1000)

  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    close: async () => {
      clearInterval(guard)
      if (timer !== undefined) clearTimeout(timer)
      await watcher.close()
    },
  }
}

/** Size and mtime of every file below the folders (hidden ones skipped), as one string; '' for what cannot be read. */
function treeStamp(folders: readonly string[]): string {
  const parts: string[] = []
  const walk = (folder: string): void => {
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(folder, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = `${folder}${sep}${entry.name}`
      if (entry.isDirectory()) walk(path)
      else {
        const stats = statSync(path, { throwIfNoEntry: false })
        if (stats !== undefined) parts.push(`${path}:${stats.size}:${stats.mtimeMs}`)
      }
    }
  }
  for (const folder of folders) walk(folder)
  return parts.sort().join('\n')
}

/** Whether `path` lies below `folder` through a name starting with `.`. */
function isHiddenBelow(folder: string, path: string): boolean {
  const inside = relative(folder, path)
  if (inside === '' || inside.startsWith('..')) return false
  return inside.split(sep).some((part) => part.startsWith('.')) || basename(path).startsWith('.')
}
