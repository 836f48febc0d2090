/**
 * What a fire does to workflows: Refold runs, for the linked account, every published
 * workflow attached to the event, only the slug's workflows when the fire names an app
 * (docs.refold.ai "Trigger an event": "If not provided, all workflows associated with
 * the event will be triggered"). A run errors when a step references a trigger variable
 * the payload lacks. Refold runs workflows asynchronously; the emulator runs them while
 * accepting the fire, so a test can inspect the runs as soon as the fire is answered.
 */
import { newObjectId } from './object-id.js'
import { renderText } from '../wire/trigger-variables.js'
import type { FireRecord, RunRecord, RunStep, Workflow } from './types.js'

/**
 * The workflows a fire of the event with id `eventId` (for app `slug`, or any app when null)
 * runs. `boundTo` says which event a workflow's event name is attached to: by id, as on
 * Refold, so workflows stay with an event across renames.
 */
export function attachedWorkflows(
  workflows: readonly Workflow[],
  eventId: string,
  slug: string | null,
  boundTo: (name: string) => string | undefined,
): Workflow[] {
  return workflows.filter(
    (workflow) => workflow.published && boundTo(workflow.event) === eventId && (slug === null || workflow.app === slug),
  )
}

/** Run each workflow on the fire's payload. */
export function runWorkflows(workflows: readonly Workflow[], fire: FireRecord): RunRecord[] {
  return workflows.map((workflow) => {
    const startedAt = new Date().toISOString()
    const missing = new Set<string>()
    const steps = workflow.steps.map((step): RunStep => {
      const { output, missing: stepMissing } = renderText(step.text, fire.payload)
      for (const variable of stepMissing) missing.add(variable)
      return { name: step.name, status: stepMissing.length === 0 ? 'COMPLETED' : 'ERRORED', output, missing_variables: stepMissing }
    })
    return {
      id: newObjectId(),
      fire_id: fire.id,
      workflow_id: workflow.id,
      workflow_name: workflow.name,
      slug: workflow.app,
      event: fire.event,
      linked_account_id: fire.linked_account_id,
      // Refold: "If [config_id is] not provided, linked_account_id is considered by default."
      config_id: fire.config_id ?? fire.linked_account_id,
      instance_tag: fire.instance_tag,
      status: missing.size === 0 ? 'COMPLETED' : 'ERRORED',
      missing_variables: [...missing],
      steps,
      started_at: startedAt,
      finished_at: new Date().toISOString(),
    }
  })
}
