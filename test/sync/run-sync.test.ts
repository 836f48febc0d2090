import { describe, expect, it } from 'vitest'
import type { EventStore, SyncPorts, WorkflowSource } from '../../src/sync/ports.js'
import { planAgainstRemote, type PlanRequest, SavedPlanError, scanWorkflows, settlePlan, verifySavedPlan } from '../../src/sync/run-sync.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { EventBody, RemoteEventSnapshot } from '../../src/sync/sync-types.js'
import { listingOf } from '../../src/sync/apply/remote-view.js'
import { decodeSample } from '../../src/wire/event-body.js'
import type { RemoteWorkflow } from '../../src/wire/workflow-document.js'
import { compiled, obj, remoteOf, str } from './fixtures.js'

/** Refold's events in memory: every write lands at once. */
class MemoryEvents implements EventStore {
  readonly writes: string[] = []
  constructor(readonly events: Map<string, RemoteEventSnapshot>) {}
  async list() {
    return [...this.events.values()]
  }
  async listing() {
    return listingOf([...this.events.values()])
  }
  async create(body: EventBody) {
    this.writes.push(`create ${body.name}`)
    const id = `new-${body.name}`
    this.events.set(id, {
      id,
      name: body.name,
      sample: decodeSample(body.response, body.name),
      jsonSchema: body.json_schema,
      variables: [],
    })
    return { id }
  }
  async update(id: string, body: EventBody) {
    this.writes.push(`update ${id}`)
    this.events.set(id, {
      id,
      name: body.name,
      sample: decodeSample(body.response, body.name),
      jsonSchema: body.json_schema,
      variables: [],
    })
    return null
  }
  async delete(id: string) {
    this.writes.push(`delete ${id}`)
    this.events.delete(id)
    return null
  }
}

/** Workflows whose documents hold these step texts; `fail` makes reading them fail. */
function workflowsOf(list: Array<{ id: string; event: string; text: string }>, fail = false): WorkflowSource {
  return {
    async workflows(): Promise<RemoteWorkflow[]> {
      if (fail) throw new Error('workflow API answered 503')
      return list.map(({ id, event, text }) => ({
        id,
        name: `Workflow ${id}`,
        app: 'hubspot',
        events: [event],
        document: { nodes: [{ input_data: { text } }] },
      }))
    },
  }
}

const contact = compiled('Contact Created', { email: 'a@example.com', name: 'Ann' }, obj({ email: str(), name: str() }))
const target = { name: 'staging', baseUrl: 'https://staging.refold.example' }

function request(local = [contact]): PlanRequest {
  return {
    local,
    target,
    options: { prune: false, strict: false, allowBreaking: false },
    responseForm: 'payload',
    inference: DEFAULT_INFER_OPTIONS,
  }
}

describe('scanWorkflows', () => {
  it('finds the {{event...}} references in each whole document', async () => {
    const scan = await scanWorkflows(
      workflowsOf([{ id: 'w1', event: 'Contact Created', text: 'Hi {{ event.name }} at {{event.email}}' }]),
      [],
    )
    expect(scan).toEqual({
      ok: true,
      workflows: [
        {
          id: 'w1',
          name: 'Workflow w1',
          app: 'hubspot',
          events: ['Contact Created'],
          references: [
            { path: 'name', text: '{{ event.name }}' },
            { path: 'email', text: '{{event.email}}' },
          ],
        },
      ],
    })
  })

  it('turns a failure into {ok: false} with its message, never a throw', async () => {
    expect(await scanWorkflows(workflowsOf([], true), [])).toEqual({ ok: false, error: 'workflow API answered 503' })
  })
})

describe('a run through the ports', () => {
  it('plans, then applies a plan with work and reports nothing to do once Refold matches', async () => {
    const events = new MemoryEvents(new Map())
    const ports: SyncPorts = { events, workflows: workflowsOf([]) }
    const plan = await planAgainstRemote(ports, request())
    expect(plan.summary.create).toBe(1)
    const applied = await settlePlan(plan, ports, { withhold: null, applyOptions: () => ({ concurrency: 2 }) })
    expect(applied).toMatchObject({ kind: 'applied', result: { notApplied: [] } })
    expect(events.writes).toEqual(['create Contact Created'])

    const again = await planAgainstRemote(ports, request())
    expect(await settlePlan(again, ports, { withhold: null, applyOptions: () => ({ concurrency: 2 }) })).toEqual({ kind: 'nothing-to-do' })
  })

  it('never applies a blocked or withheld plan, and asks for apply options only when it applies', async () => {
    const removed = compiled('Contact Created', { email: 'a@example.com' }, obj({ email: str() }))
    const events = new MemoryEvents(new Map([['e1', remoteOf(contact, 'e1')]]))
    const ports: SyncPorts = { events, workflows: workflowsOf([{ id: 'w1', event: 'Contact Created', text: '{{event.name}}' }]) }
    const noOptions = (): never => {
      throw new Error('apply options asked for a plan that is not applied')
    }
    const blocked = await planAgainstRemote(ports, request([removed]))
    expect(await settlePlan(blocked, ports, { withhold: null, applyOptions: noOptions })).toEqual({ kind: 'blocked' })

    const added = compiled(
      'Contact Created',
      { email: 'a@example.com', name: 'Ann', age: 'x' },
      obj({ email: str(), name: str(), age: str() }),
    )
    const pending = await planAgainstRemote(ports, request([added]))
    expect(await settlePlan(pending, ports, { withhold: 'dry-run', applyOptions: noOptions })).toEqual({
      kind: 'not-applied',
      reason: 'dry-run',
    })
    expect(events.writes).toEqual([])
  })
})

describe('verifySavedPlan', () => {
  const events = () => new MemoryEvents(new Map([['e1', remoteOf(contact, 'e1', { sample: { email: 'old@example.com', name: 'Ann' } })]]))
  const check = { local: [contact], responseForm: 'payload' as const, target: { ...target, addressChangesEachRun: false } }

  it('gives back the plan, at the address of today, when nothing moved', async () => {
    const ports: SyncPorts = { events: events(), workflows: workflowsOf([]) }
    const plan = await planAgainstRemote(ports, request())
    const moved = { ...check, target: { name: 'staging', baseUrl: 'http://127.0.0.1:4999', addressChangesEachRun: true } }
    expect((await verifySavedPlan(plan, ports, moved)).target).toEqual({ name: 'staging', baseUrl: 'http://127.0.0.1:4999' })
  })

  it('refuses, with the reason as data, another target, changed YAML or a changed Refold', async () => {
    const store = events()
    const ports: SyncPorts = { events: store, workflows: workflowsOf([]) }
    const plan = await planAgainstRemote(ports, request())
    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => 'held',
        (error: unknown) => (error instanceof SavedPlanError ? error.mismatch : String(error)),
      )
    expect(await reason(verifySavedPlan(plan, ports, { ...check, target: { ...check.target, name: 'production' } }))).toBe('other-target')
    const edited = compiled('Contact Created', { email: 'b@example.com', name: 'Bo' }, obj({ email: str(), name: str() }))
    expect(await reason(verifySavedPlan(plan, ports, { ...check, local: [edited] }))).toBe('local-changed')
    store.events.set('e2', remoteOf(edited, 'e2', { name: 'Someone Else' }))
    expect(await reason(verifySavedPlan(plan, ports, check))).toBe('remote-changed')
  })
})
