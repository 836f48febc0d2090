/**
 * What the relay does after a failed attempt: the runtime's typed errors in, retry / pause /
 * dead letter out (pure).
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_RELAY_RETRY, decideAfterFailure, failureOf, isRateLimited } from '../../src/outbox/delivery-decision.js'
import {
  AuthenticationError,
  InvalidEventError,
  NetworkError,
  RateLimitError,
  RefoldHttpError,
  RefoldServerError,
  TimeoutError,
} from '../../src/runtime/errors.js'

const options = DEFAULT_RELAY_RETRY
const half = (): number => 0.5

describe('decideAfterFailure', () => {
  it('parks what Refold will answer the same way again as a dead letter at once', () => {
    const permanent = [
      new InvalidEventError('no such event', 'Invoice Paid', { status: 404, errorCode: 'INVALID_EVENT' }),
      new RefoldHttpError('bad request', { status: 400 }),
      new AuthenticationError('bad key', { status: 401 }),
      new AuthenticationError('forbidden', { status: 403, errorCode: 'FORBIDDEN' }),
      new RefoldServerError('not implemented', undefined, { status: 501 }),
    ]
    for (const error of permanent)
      expect(decideAfterFailure(error, 1, options, half), error.message).toEqual({ action: 'dead', reason: 'permanent' })
  })

  it('retries what the runtime counts as retryable, with backoff, never sooner than Retry-After', () => {
    const retryable = [
      new RefoldServerError('down', undefined, { status: 500 }),
      new RefoldServerError('bad gateway', undefined, { status: 502 }),
      new TimeoutError('slow', 10_000, {}),
      new NetworkError('reset', true, 'ECONNRESET', {}),
      new NetworkError('refused', false, 'ECONNREFUSED', {}),
    ]
    for (const error of retryable) {
      const decision = decideAfterFailure(error, 3, options, half)
      expect(decision, error.message).toMatchObject({ action: 'retry', countAttempt: true, pauseAllMs: undefined })
      expect(decision.action === 'retry' && decision.delayMs).toBe(2_000) // 0.5 x 1 s x 2^2
    }
    const unavailable = new RefoldServerError('unavailable', 30_000, { status: 503 })
    expect(decideAfterFailure(unavailable, 1, options, half)).toMatchObject({ action: 'retry', delayMs: 30_000 })
    const shortRetryAfter = new RefoldServerError('unavailable', 1_000, { status: 503 })
    expect(decideAfterFailure(shortRetryAfter, 8, options, half)).toMatchObject({ action: 'retry', delayMs: 64_000 })
  })

  it('gives up after maxAttempts with a dead letter', () => {
    const error = new RefoldServerError('down', undefined, { status: 500 })
    expect(decideAfterFailure(error, options.maxAttempts, options, half)).toEqual({ action: 'dead', reason: 'too_many_attempts' })
    expect(decideAfterFailure(new Error('a bug of ours'), options.maxAttempts - 1, options, half).action).toBe('retry')
  })

  it('treats a 429 and a rate-limit 403 as pacing: wait Retry-After, pause every relay, attempt not counted', () => {
    const limited = new RateLimitError('slow down', 2_500, { status: 429 })
    expect(decideAfterFailure(limited, 40, options, half)).toEqual({
      action: 'retry',
      delayMs: 2_500,
      countAttempt: false,
      pauseAllMs: 2_500,
    })
    const forbidden = new AuthenticationError('rate', { status: 403, errorCode: 'RATE_LIMIT_EXCEEDED', serverMessage: 'Too many requests' })
    expect(isRateLimited(forbidden)).toBe(true)
    expect(decideAfterFailure(forbidden, 2, options, half)).toMatchObject({ action: 'retry', countAttempt: false })
    expect(isRateLimited(new AuthenticationError('nope', { status: 403, errorCode: 'FORBIDDEN' }))).toBe(false)
  })
})

describe('failureOf', () => {
  it('keeps what Refold said, never more', () => {
    const error = new InvalidEventError('Refold has no event named "X"', 'X', {
      status: 404,
      errorCode: 'INVALID_EVENT',
      requestId: 'req-1',
    })
    expect(failureOf(error)).toEqual({
      name: 'InvalidEventError',
      message: 'Refold has no event named "X"',
      status: 404,
      errorCode: 'INVALID_EVENT',
      requestId: 'req-1',
    })
    expect(failureOf(new TypeError('oops'), 'gave up after 25 attempts')).toEqual({
      name: 'TypeError',
      message: 'gave up after 25 attempts: oops',
    })
  })
})
