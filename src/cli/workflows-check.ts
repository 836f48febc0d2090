/**
 * The workflows file of the config (`emulator.workflows`), checked against the project's
 * events for `check` and `sync`: its own problems (as warnings: only the built-in emulator reads
 * it), and the workflow mistakes nothing else reports (an event name no event has, a
 * `{{event.x}}` field the event lacks).
 */
import type { ResolvedConfig } from '../config/define-config.js'
import { lintWorkflows } from '../emulator/workflow-lint.js'
import { loadWorkflowsFileLocated } from '../emulator/workflows-file.js'
import { DefinitionError } from '../errors.js'
import type { CompiledEvent, Diagnostic } from '../types.js'
import { displayPath } from '../diagnostics.js'
import { configShown, unreadWorkflowsFile } from './workflows-file-source.js'

/**
 * Diagnostics of the configured workflows file; when the config names none, a warning on a
 * `workflows.yaml` in the project root that is therefore not read. Without `events` (the events
 * have errors, so some are missing) only the file's own problems are reported: checked against
 * an incomplete set, every workflow of a missing event would be reported as attached to nothing.
 */
export async function checkWorkflowsFile(
  config: ResolvedConfig,
  events: readonly CompiledEvent[] | undefined,
  cwd: string,
): Promise<Diagnostic[]> {
  if (config.emulator.workflows === null) {
    const unread = unreadWorkflowsFile(config, cwd)
    if (unread === undefined) return []
    return [
      {
        file: unread,
        line: 1,
        column: 1,
        severity: 'warning',
        message: `not read: no workflows file is configured, so the local emulator runs no workflows; name this file in emulator.workflows in ${configShown(config, cwd)}`,
      },
    ]
  }
  const shown = displayPath(config.emulator.workflows, cwd)
  try {
    const workflows = await loadWorkflowsFileLocated(config.emulator.workflows, shown)
    return events === undefined ? [] : lintWorkflows(workflows, shown, events)
  } catch (error) {
    // Only the built-in emulator reads this file: its problems are warnings here, not errors of the events.
    if (error instanceof DefinitionError) {
      return error.diagnostics.map((d) => ({
        ...d,
        severity: 'warning',
        message: `${d.message} (the built-in local emulator cannot start until this is fixed)`,
      }))
    }
    throw error
  }
}
