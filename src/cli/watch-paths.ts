/**
 * File watching for `--watch` commands: one debounced callback for changes under folders
 * (recursively) and to single files. Watching is chokidar's: Node's own recursive `fs.watch`
 * on Linux loses a file after an editor replaces it (sed -i, vim, JetBrains "safe write", git
 * checkout write a new file and rename it over the old one), after which later edits and even
 * deleting it went unnoticed. chokidar follows replaced files, new subfolders and deletions.
 */
import { basename, relative, sep } from 'node:path'

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
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    close: async () => {
      if (timer !== undefined) clearTimeout(timer)
      await watcher.close()
    },
  }
}

/** Whether `path` lies below `folder` through a name starting with `.`. */
function isHiddenBelow(folder: string, path: string): boolean {
  const inside = relative(folder, path)
  if (inside === '' || inside.startsWith('..')) return false
  return inside.split(sep).some((part) => part.startsWith('.')) || basename(path).startsWith('.')
}
