import { describe, expect, it } from 'vitest'
import { applyPlan, type EventStore } from '../../src/sync/apply-plan.js'
import { planSync } from '../../src/sync/plan-sync.js'
import type { EventBody, RemoteEventSnapshot } from '../../src/sync/sync-types.js'
import { decodeSample } from '../../src/sync/event-body.js'
import { ProgressLine } from '../../src/cli/progress-line.js'
import { compiled, input, obj, remoteOf, str } from './fixtures.js'

/** Refold's events in memory, recording every call. */
class MemoryStore implements EventStore {
  readonly calls: string[] = []
  inFlight = 0
  mostInFlight = 0
  constructor(readonly events: Map<string, RemoteEventSnapshot>) {}
  private async step<T>(label: string, work: () => T): Promise<T> {
    this.calls.push(label)
    this.inFlight++
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight)
    await new Promise((resolve) => setTimeout(resolve, 1))
    this.inFlight--
    return work()
  }
  get(id: string) {
    return this.step(`get ${id}`, () => this.events.get(id) ?? null)
  }
  create(body: EventBody) {
    return this.step(`create ${body.name}`, () => {
      const id = `new-${body.name}`
      this.events.set(id, { id, name: body.name, sample: decodeSample(body.response, body.name), jsonSchema: body.json_schema, variables: [] })
      return { id }
    })
  }
  update(id: string, body: EventBody) {
    return this.step(`update ${id}`, () => void this.events.set(id, { id, name: body.name, sample: decodeSample(body.response, body.name), jsonSchema: body.json_schema, variables: [] }))
  }
  delete(id: string) {
    return this.step(`delete ${id}`, () => void this.events.delete(id))
  }
}

const event = (name: string, value: string) => compiled(name, { v: value }, obj({ v: str() }))

function scenario() {
  const remote = [remoteOf(event('Updated', 'old'), 'u1'), remoteOf(event('Deleted', 'x'), 'd1'), remoteOf(event('Same', 's'), 's1')]
  const local = [event('Updated', 'new'), event('Created', 'c'), event('Same', 's'), ...Array.from({ length: 8 }, (_, i) => event(`Bulk ${i}`, 'b'))]
  const plan = planSync(input({ local, remote, options: { prune: true, strict: false, allowBreaking: true } }))
  return { plan, store: new MemoryStore(new Map(remote.map((r) => [r.id, r]))) }
}

describe('applyPlan', () => {
  it('writes creates and updates before deletes, re-reads before each update and delete, within the concurrency bound', async () => {
    const { plan, store } = scenario()
    const progress: string[] = []
    const result = await applyPlan(plan, store, { concurrency: 3, onProgress: (done, total) => progress.push(`${done}/${total}`) })
    expect(result.notApplied).toEqual([])
    expect(result.applied.map((o) => `${o.action} ${o.name}`)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `create Bulk ${i}`),
      'create Created',
      'delete Deleted',
      'update Updated',
    ])
    expect(store.calls.indexOf('get d1')).toBeGreaterThan(Math.max(...store.calls.map((c, i) => (c.startsWith('create') ? i : -1))))
    expect(store.calls.indexOf('get u1')).toBeLessThan(store.calls.indexOf('update u1'))
    expect(store.calls.filter((c) => c.includes('s1'))).toEqual([])
    expect(store.mostInFlight).toBeLessThanOrEqual(3)
    expect(progress.at(-1)).toBe('11/11')
  })

  it('skips an event that changed since the plan and counts one already as planned as done', async () => {
    const { plan, store } = scenario()
    store.events.set('u1', { ...store.events.get('u1')!, sample: { v: 'someone else' } })
    store.events.delete('d1')
    const result = await applyPlan(plan, store, { concurrency: 2 })
    expect(result.notApplied).toEqual([{ name: 'Updated', action: 'update', detail: 'changed on Refold since the plan was made; not updated (run sync again to re-plan)' }])
    expect(result.applied.find((o) => o.name === 'Deleted')!.detail).toBe('already deleted')
    expect(store.events.get('u1')!.sample).toEqual({ v: 'someone else' })
  })

  it('after an interrupt starts nothing new and reports the rest as not applied', async () => {
    const { plan, store } = scenario()
    const stop = new AbortController()
    const result = await applyPlan(plan, store, { concurrency: 1, signal: stop.signal, onProgress: (done) => done === 2 && stop.abort() })
    expect(result.applied).toHaveLength(2)
    expect(result.notApplied).toHaveLength(9)
    expect(result.notApplied.every((o) => o.detail === 'interrupted before it started')).toBe(true)
  })
})

describe('ProgressLine', () => {
  const io = (isTTY: boolean) => {
    const out: string[] = []
    return { out, io: { stdout: () => {}, stderr: (t: string) => void out.push(t), cwd: '/', env: {}, isTTY, waitForInterrupt: () => new Promise<void>(() => {}) } }
  }

  it('draws on a terminal and erases itself; prints nothing elsewhere', () => {
    const tty = io(true)
    const line = new ProgressLine(tty.io, 'Applying')
    line.update(1, 3)
    line.update(3, 3)
    line.clear()
    expect(tty.out.join('')).toContain('Applying 3/3')
    expect(tty.out.at(-1)).toBe('\r\u001b[2K')
    const pipe = io(false)
    const quiet = new ProgressLine(pipe.io, 'Applying')
    quiet.update(3, 3)
    quiet.clear()
    expect(pipe.out).toEqual([])
  })
})
