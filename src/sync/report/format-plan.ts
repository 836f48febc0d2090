/**
 * One entry point for every output format of a plan, so the CLI picks a format by name.
 */
import { formatGithub } from './format-github.js'
import { formatHuman } from './format-human.js'
import { formatMarkdown } from './format-markdown.js'
import type { SyncPlan } from '../sync-types.js'

/** The output formats of `sync --format`. */
export const PLAN_FORMATS = ['human', 'json', 'github', 'markdown'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/** The plan rendered in `format`; `color` applies to `human` only. */
export function formatPlan(plan: SyncPlan, format: PlanFormat, options: { color: boolean } = { color: false }): string {
  switch (format) {
    case 'human':
      return formatHuman(plan, options)
    case 'json':
      return `${JSON.stringify(plan, null, 2)}\n`
    case 'github':
      return formatGithub(plan)
    case 'markdown':
      return formatMarkdown(plan)
  }
}
