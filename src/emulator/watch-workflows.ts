/**
 * Reloads the workflows file when it changes, so editing workflows needs no restart. A
 * file with errors is reported and the previous workflows stay in force. The folder is
 * watched rather than the file, because editors save by replacing the file.
 */
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import { DefinitionError } from '../errors.js'
import type { Workflow } from './types.js'
import { loadWorkflowsFile } from './workflows-file.js'
import { formatDiagnostic } from '../diagnostics.js'

/** Coalesces the bursts of events one save produces. */
const DEBOUNCE_MS = 100

/** Watch `path`; `apply` receives each good version, `notice` a line about each reload. Returns a stop function. */
export function watchWorkflows(
  path: string,
  shown: string,
  apply: (workflows: Workflow[]) => void,
  notice: (message: string) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const reload = async (): Promise<void> => {
    try {
      const workflows = await loadWorkflowsFile(path, shown)
      if (stopped) return
      apply(workflows)
      notice(`workflows reloaded: ${workflows.length} from ${shown}`)
    } catch (error) {
      if (stopped) return
      const details =
        error instanceof DefinitionError ? error.diagnostics.map(formatDiagnostic).join('\n') : String((error as Error).message)
      notice(`workflows file has errors; keeping the previous workflows:\n${details}`)
    }
  }
  let watcher: FSWatcher
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (file !== null && file !== basename(path)) return
      clearTimeout(timer)
      timer = setTimeout(() => void reload(), DEBOUNCE_MS)
    })
  } catch (error) {
    notice(`cannot watch ${shown} for changes (${(error as Error).message}); restart to reload workflows`)
    return () => {}
  }
  watcher.on('error', () => {}) // the folder went away: keep the workflows in force
  watcher.unref()
  return () => {
    stopped = true
    clearTimeout(timer)
    watcher.close()
  }
}
