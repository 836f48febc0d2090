/**
 * The warning every command gives when the events folder holds no event file. Zero events is
 * almost always a wrong `eventsDir` or a wrong working directory, and `sync --prune` would
 * read it as "delete every remote event".
 */
import type { ResolvedConfig } from '../config/define-config.js'
import { displayPath } from '../diagnostics.js'

/** The warning (without the `warning:` label) for a project with no event files. */
export function noEventsWarning(config: ResolvedConfig, cwd: string): string {
  const folder = displayPath(config.eventsDir, cwd)
  return (
    `no event files in ${folder}/: expected *.yaml or *.yml files, one event each ` +
    `(check eventsDir in refold.config.ts and the current folder; "refold-events init" creates an example)`
  )
}
