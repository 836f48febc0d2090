/**
 * Where the built-in `local` emulator's workflows come from, in words a user can act on.
 * `emulator.workflows` has no default: a `workflows.yaml` beside the config is not read unless
 * the config names it, which is easy to miss, so `check` and `fire` say which file is in use.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/define-config.js'
import { displayPath } from '../diagnostics.js'

/** File names a user is likely to have meant as the workflows file. */
const LIKELY_NAMES = ['workflows.yaml', 'workflows.yml'] as const

/** The config file as the user names it (`refold.config.ts` when running on defaults). */
export function configShown(config: ResolvedConfig, cwd: string): string {
  if (config.configFile === null) return 'refold.config.ts'
  return displayPath(config.configFile, cwd)
}

/**
 * A workflows file in the project root that nothing reads (no `emulator.workflows`), shown
 * relative to `cwd`; undefined when the config names one or there is none.
 */
export function unreadWorkflowsFile(config: ResolvedConfig, cwd: string): string | undefined {
  if (config.emulator.workflows !== null) return undefined
  const found = LIKELY_NAMES.map((name) => join(config.root, name)).find((path) => existsSync(path))
  return found === undefined ? undefined : displayPath(found, cwd)
}

/** Where to add a workflow for the built-in `local` emulator: the file in use, or that none is configured. */
export function whereToAddWorkflow(config: ResolvedConfig, cwd: string): string {
  if (config.emulator.workflows !== null) return `add one to ${displayPath(config.emulator.workflows, cwd)}`
  const unread = unreadWorkflowsFile(config, cwd)
  const key = `emulator.workflows in ${configShown(config, cwd)}`
  if (unread !== undefined) return `no workflows file is configured, so ${unread} is not read: set ${key}`
  return `no workflows file is configured: write one and name it in ${key}`
}
