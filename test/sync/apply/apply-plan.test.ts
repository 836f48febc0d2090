import { describe, expect, it } from 'vitest'
import { applyPlan, type EventStore } from '../../../src/sync/apply/apply-plan.js'
import { planSync } from '../../../src/sync/plan/plan-sync.js'
import type { EventBody, RemoteEventSnapshot } from '../../../src/sync/sync-types.js'
import { type EventListing, listingOf } from '../../../src/sync/apply/remote-view.js'
import { decodeSample } from '../../../src/wire/event-body.js'
import { ProgressLine } from '../../../src/cli/progress-line.js'
import { compiled, input, obj, remoteOf, str } from '../fixtures.js'

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
  /** Run after each write, before its answer is made (someone else editing Refold meanwhile). */
  afterWrite: (id: string) => void = () => {}
  list() {
    return this.step('list', () => [...this.events.values()])
  }
  listing() {
    return this.step('list', () => listingOf([...this.events.values()]))
  }
  private answer(keepList: boolean | undefined): EventListing | null {
    return keepList === true ? listingOf([...this.events.values()]) : null
  }
  create(body: EventBody) {
    return this.step(`create ${body.name}`, () => {
      const id = `new-${body.name}`
      this.events.set(id, {
        id,
        name: body.name,
        sample: decodeSample(body.response, body.name),
        jsonSchema: body.json_schema,
        variables: [],
      })
      return { id }
    })
  }
  update(id: string, body: EventBody, keepList?: boolean, _sameName?: boolean) {
    return this.step(`update ${id}${keepList === true ? ' (keep list)' : ''}`, () => {
      this.events.set(id, {
        id,
        name: body.name,
        sample: decodeSample(body.response, body.name),
        jsonSchema: body.json_schema,
        variables: [],
      })
      this.afterWrite(id)
      return this.answer(keepList)
    })
  }
  delete(id: string, keepList?: boolean) {
    return this.step(`delete ${id}${keepList === true ? ' (keep list)' : ''}`, () => {
      this.events.delete(id)
      this.afterWrite(id)
      return this.answer(keepList)
    })
  }
}

const event = (name: string, value: string) => compiled(name, { v: value }, obj({ v: str() }))

function scenario() {
  const remote = [remoteOf(event('Updated', 'old'), 'u1'), remoteOf(event('Deleted', 'x'), 'd1'), remoteOf(event('Same', 's'), 's1')]
  const local = [
    event('Updated', 'new'),
    event('Created', 'c'),
    event('Same', 's'),
    ...Array.from({ length: 8 }, (_, i) => event(`Bulk ${i}`, 'b')),
  ]
  const plan = planSync(input({ local, remote, options: { prune: true, strict: false, allowBreaking: true } }))
  return { plan, store: new MemoryStore(new Map(remote.map((r) => [r.id, r]))) }
}

describe('applyPlan', () => {
  it('writes creates and updates before deletes, checking updates and deletes against one list read, within the concurrency bound', async () => {
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
    const lastCreate = Math.max(...store.calls.map((c, i) => (c.startsWith('create') ? i : -1)))
    expect(store.calls.findIndex((c) => c.startsWith('delete d1'))).toBeGreaterThan(lastCreate)
    expect(store.calls.indexOf('list')).toBeLessThan(store.calls.findIndex((c) => c.startsWith('update u1')))
    // One request per change, plus the one list read the first check needed.
    expect(store.calls.filter((c) => c === 'list')).toHaveLength(1)
    expect(store.calls).toHaveLength(12)
    expect(store.calls.filter((c) => c.includes('s1'))).toEqual([])
    expect(store.mostInFlight).toBeLessThanOrEqual(3)
    expect(progress.at(-1)).toBe('11/11')
  })

  it('skips an event that changed since the plan and counts one already as planned as done', async () => {
    const { plan, store } = scenario()
    store.events.set('u1', { ...store.events.get('u1')!, sample: { v: 'someone else' } })
    store.events.delete('d1')
    const result = await applyPlan(plan, store, { concurrency: 2 })
    expect(result.notApplied).toEqual([
      { name: 'Updated', action: 'update', detail: 'changed on Refold since the plan was made; not updated (run sync again to re-plan)' },
    ])
    expect(result.applied.find((o) => o.name === 'Deleted')!.detail).toBe('already deleted')
    expect(store.events.get('u1')!.sample).toEqual({ v: 'someone else' })
  })

  it('checks later events against the lists writes answer with, never reading per event', async () => {
    const remote = Array.from({ length: 6 }, (_, i) => remoteOf(event(`E${i}`, 'old'), `e${i}`))
    const plan = planSync(input({ local: remote.map((_, i) => event(`E${i}`, 'new')), remote }))
    const store = new MemoryStore(new Map(remote.map((r) => [r.id, r])))
    let clock = 0
    // Each write takes 60 ms of the clock; someone edits E4 on Refold during E1's write.
    store.afterWrite = (id) => {
      clock += 60
      if (id === 'e1') store.events.set('e4', { ...store.events.get('e4')!, sample: { v: 'edited in the Console' } })
    }
    const result = await applyPlan(plan, store, { concurrency: 1, snapshotMaxAgeMs: 100, now: () => clock })
    expect(store.calls.filter((c) => c === 'list')).toHaveLength(1)
    expect(store.calls.filter((c) => c.startsWith('get'))).toEqual([])
    expect(store.calls.filter((c) => c.endsWith('(keep list)')).length).toBeGreaterThan(1)
    expect(result.notApplied).toEqual([
      { name: 'E4', action: 'update', detail: 'changed on Refold since the plan was made; not updated (run sync again to re-plan)' },
    ])
    expect(store.events.get('e4')!.sample).toEqual({ v: 'edited in the Console' })
    expect(result.applied).toHaveLength(5)
  })

  it('reads the list again when no write answer is fresh enough', async () => {
    const remote = Array.from({ length: 3 }, (_, i) => remoteOf(event(`E${i}`, 'old'), `e${i}`))
    const plan = planSync(input({ local: remote.map((_, i) => event(`E${i}`, 'new')), remote }))
    const store = new MemoryStore(new Map(remote.map((r) => [r.id, r])))
    let clock = 0
    // A slow Refold: every write takes longer than the freshness bound, and keeps no answer in time.
    store.afterWrite = (id) => {
      clock += 1_000
      if (id === 'e0') store.events.delete('e2')
    }
    const result = await applyPlan(plan, store, { concurrency: 1, snapshotMaxAgeMs: 100, now: () => clock })
    expect(result.notApplied).toEqual([
      { name: 'E2', action: 'update', detail: 'deleted on Refold since the plan was made; not updated (run sync again to re-plan)' },
    ])
    expect(store.calls.filter((c) => c === 'list').length).toBeGreaterThan(1)
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
    return {
      out,
      io: {
        stdout: () => {},
        stderr: (t: string) => void out.push(t),
        cwd: '/',
        env: {},
        isTTY,
        waitForInterrupt: () => new Promise<void>(() => {}),
      },
    }
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
