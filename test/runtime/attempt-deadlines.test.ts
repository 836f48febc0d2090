/**
 * Attempt deadlines shared per time slice (src/runtime/attempt-deadlines.ts): attempts that
 * start together share one deadline, a deadline never expires before `timeoutMs`, expiry
 * carries the reason undici rejects with, and the longest timeout Node allows does not
 * overflow into an immediate one.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { type AttemptDeadline, AttemptDeadlines } from '../../src/runtime/attempt-deadlines.js'

const REASON = { reason: 'test timeout' }

/** Resolves with the deadline's reason when it aborts. */
function aborted(deadline: AttemptDeadline): Promise<unknown> {
  return new Promise((resolve) => deadline.once('abort', () => resolve(deadline.reason)))
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
    const reason = aborted(deadline).then((value) => {
      expired = true
      return value
    })
    await sleep(30)
    expect(expired).toBe(false)
    expect(await reason).toBe(REASON)
    expect(deadline.reason).toBe(REASON)
  })

  it('takes any number of attempts without a max-listeners warning', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const deadline = new AttemptDeadlines(1000, REASON).current()
      const listeners = Array.from({ length: 50 }, () => () => {})
      for (const listener of listeners) deadline.on('abort', listener)
      for (const listener of listeners) deadline.off('abort', listener)
      await sleep(0)
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  })

  it('does not turn the longest timeout Node allows into an immediate one', async () => {
    const deadline = new AttemptDeadlines(2 ** 31 - 1, REASON).current()
    let expired = false
    deadline.once('abort', () => (expired = true))
    await sleep(30)
    expect(expired).toBe(false)
  })
})
