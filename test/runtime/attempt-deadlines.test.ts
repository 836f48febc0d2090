/**
 * Attempt deadlines shared per time slice (src/runtime/attempt-deadlines.ts): attempts that
 * start together share one deadline, a deadline never expires before `timeoutMs`, expiry
 * reaches exactly the attempts still in flight with the reason undici rejects with, and the
 * longest timeout Node allows does not overflow into an immediate one.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { type AttemptDeadline, AttemptDeadlines, type Expirable } from '../../src/runtime/attempt-deadlines.js'

const REASON = { reason: 'test timeout' }

/** An attempt that records what it was expired with. */
function attempt(): Expirable & { reasons: unknown[] } {
  const reasons: unknown[] = []
  return { reasons, expire: (reason) => void reasons.push(reason) }
}

/** Resolves with the reason the first time `deadline` expires an attempt joined to it. */
function expiry(deadline: AttemptDeadline): Promise<unknown> {
  return new Promise((resolve) => deadline.join({ expire: resolve }))
}

describe('attempt deadlines', () => {
  it('hands the attempts of one time slice the same deadline, and a later attempt a new one', async () => {
    const deadlines = new AttemptDeadlines(100, REASON)
    const first = deadlines.current()
    expect(deadlines.current()).toBe(first)
    await sleep(5) // the slice of a 100 ms timeout is 1 ms
    expect(deadlines.current()).not.toBe(first)
  })

  it('expires no earlier than timeoutMs, with the reason', async () => {
    const deadlines = new AttemptDeadlines(60, REASON)
    const deadline = deadlines.current()
    let expired = false
    const reason = expiry(deadline).then((value) => {
      expired = true
      return value
    })
    await sleep(30)
    expect(expired).toBe(false)
    expect(await reason).toBe(REASON)
    expect(deadline.reason).toBe(REASON)
  })

  it('expires every attempt still in flight once, and none that left', async () => {
    const deadline = new AttemptDeadlines(40, REASON).current()
    const attempts = Array.from({ length: 50 }, attempt)
    for (const one of attempts) deadline.join(one)
    for (const one of attempts.slice(0, 20)) deadline.leave(one)
    expect(deadline.size).toBe(30)
    await expiry(deadline)
    expect(attempts.slice(0, 20).map((one) => one.reasons)).toEqual(Array.from({ length: 20 }, () => []))
    expect(attempts.slice(20).map((one) => one.reasons)).toEqual(Array.from({ length: 30 }, () => [REASON]))
    expect(deadline.size).toBe(0)
  })

  it('expires an attempt that joins after the deadline passed at once', () => {
    const deadline = new AttemptDeadlines(1000, REASON).current()
    deadline.expire(REASON)
    const late = attempt()
    deadline.join(late)
    expect(late.reasons).toEqual([REASON])
    expect(deadline.size).toBe(0)
  })

  it('does not turn the longest timeout Node allows into an immediate one', async () => {
    const deadline = new AttemptDeadlines(2 ** 31 - 1, REASON).current()
    const waiting = attempt()
    deadline.join(waiting)
    await sleep(30)
    expect(waiting.reasons).toEqual([])
    deadline.leave(waiting)
  })
})
