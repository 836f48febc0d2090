/**
 * File watching for `--watch` commands: one debounced callback for changes under folders
 * (recursively) and to single files. Editors save by writing a temp file and renaming it,
 * which a watch on the file itself would lose after the first save, so a file is watched
 * through its folder and matched by name.
 */
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

export interface WatchTargets {
  /** Folders watched with everything below them. */
  folders: string[]
  /** Single files. */
  files: string[]
}

export interface Watcher {
  close(): void
}

/**
 * Call `onChange` once things have been quiet for `debounceMs` after a change. Throws
 * (ENOENT) when a folder to watch does not exist.
 */
export function watchPaths(targets: WatchTargets, onChange: () => void, debounceMs = 100): Watcher {
  const watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  const changed = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      onChange()
    }, debounceMs)
  }
  const close = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    for (const watcher of watchers) watcher.close()
  }
  try {
    for (const folder of targets.folders) watchers.push(watch(folder, { recursive: true }, changed))
    const byFolder = new Map<string, Set<string>>()
    for (const file of targets.files) {
      const names = byFolder.get(dirname(file)) ?? new Set<string>()
      names.add(basename(file))
      byFolder.set(dirname(file), names)
    }
    for (const [folder, names] of byFolder) {
      watchers.push(watch(folder, (_event, name) => {
        if (name === null || names.has(name.toString())) changed()
      }))
    }
  } catch (error) {
    close()
    throw error
  }
  // A watcher error (the folder was removed) must not crash the process; the next run reports it.
  for (const watcher of watchers) watcher.on('error', changed)
  return { close }
}
