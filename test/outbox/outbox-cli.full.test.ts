/**
 * The `relay` and `outbox` commands as users run them (the built CLI, child processes) on an
 * embedded outbox and the real emulator: a fire for an event Refold does not know becomes a
 * dead letter; `outbox status` shows it (human and JSON); once the definition exists on Refold,
 * `outbox retry` re-queues it and the next relay run delivers it; replay and prune.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import type { OutboxStatus } from '../../src/outbox/outbox-types.js'
import { defineEvent, KEY, runCli, startRecordingEmulator, tempDir } from './support.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

it('a permanently invalid fire lands in dead letters, and outbox retry delivers it after the definition is fixed', {
  timeout: 120_000,
}, async () => {
  const target = await startRecordingEmulator(['Order Placed'])
  cleanups.push(() => target.close())
  const cwd = tempDir()
  const file = join(cwd, '.refold/outbox.db')
  const store = await openSqliteStore({ file })
  const outbox = createOutbox(store)
  await outbox.fire('Order Placed', { linkedAccountId: 'acct-1', payload: { seq: 1 } })
  const invalid = await outbox.fire('Invoice Paid', { linkedAccountId: 'acct-1', payload: { seq: 2 } })
  await store.close()
  const env = { REFOLD_BASE_URL: target.emulator.url, REFOLD_API_KEY: KEY }

  const first = await runCli(['relay', '--once'], { cwd, env })
  expect(first.code, first.stderr).toBe(0)
  expect(first.stderr).toContain(`dead letter: #${invalid.id} "Invoice Paid" for acct-1: Refold has no event named "Invoice Paid"`)
  expect(first.stdout).toBe('relay: 1 delivered, 0 retries scheduled, 1 dead letters\n')

  const json = await runCli(['outbox', 'status', '--format', 'json'], { cwd })
  expect(json.code, json.stderr).toBe(0)
  const status = JSON.parse(json.stdout) as OutboxStatus
  expect(status.total).toEqual({ pending: 0, inFlight: 0, delivered: 1, dead: 1, oldestAgeMs: null })
  expect(status.events.map((e) => [e.event, e.delivered, e.dead])).toEqual([
    ['Invoice Paid', 0, 1],
    ['Order Placed', 1, 0],
  ])
  const human = await runCli(['outbox', 'status'], { cwd })
  expect(human.stdout).toMatch(
    /^EVENT +PENDING +IN FLIGHT +DELIVERED +DEAD +OLDEST\nInvoice Paid +0 +0 +0 +1 +-\nOrder Placed +0 +0 +1 +0 +-\n\(total\) +0 +0 +1 +1 +-\n/,
  )
  expect(human.stdout).toContain(`#${invalid.id} "Invoice Paid" for acct-1, 1 attempt: Refold has no event named "Invoice Paid"`)

  await defineEvent(target.emulator, 'Invoice Paid')
  const retry = await runCli(['outbox', 'retry', '--event', 'Invoice Paid'], { cwd })
  expect(retry.stdout).toBe('Re-queued 1 dead letter; a running relay sends it with the same idempotency key.\n')
  const second = await runCli(['relay', '--once'], { cwd, env })
  expect(second.stdout).toBe('relay: 1 delivered, 0 retries scheduled, 0 dead letters\n')
  expect(target.emulator.state.fires().map((f) => [f.event, f.headers['idempotency-key']])).toEqual([
    ['Order Placed', expect.stringMatching(/^rfo_/)],
    ['Invoice Paid', invalid.idempotencyKey],
  ])

  const replay = await runCli(['outbox', 'replay', '--since', '1h', '--event', 'Order Placed'], { cwd })
  expect(replay.stdout).toMatch(/^Re-queued 1 delivered fire since .*; each is sent again with a new idempotency key\.\n$/)
  await runCli(['relay', '--once'], { cwd, env })
  const keys = target.acceptedKeys()
  expect(keys).toHaveLength(3)
  expect(keys[2]).toBe(`${keys[0]}:replay-1`)

  const prune = await runCli(['outbox', 'prune', '--older-than', '0s'], { cwd })
  expect(prune.stdout).toBe('Deleted 2 delivered fires older than 0s.\n')
  const after = JSON.parse((await runCli(['outbox', 'status', '--format', 'json'], { cwd })).stdout) as OutboxStatus
  expect(after.total).toEqual({ pending: 0, inFlight: 0, delivered: 0, dead: 0, oldestAgeMs: null })
})

it('relay sends a fire of a renamed event under the previous name its event file lists while Refold does not know the new one', {
  timeout: 60_000,
}, async () => {
  const target = await startRecordingEmulator(['Order Created'])
  cleanups.push(() => target.close())
  const cwd = tempDir()
  mkdirSync(join(cwd, 'events'))
  writeFileSync(join(cwd, 'events/order.yaml'), 'name: Order Placed\nsample:\n  seq: 1\npreviousNames: [Order Created]\n')
  const store = await openSqliteStore({ file: join(cwd, '.refold/outbox.db') })
  const fired = await createOutbox(store).fire('Order Placed', { linkedAccountId: 'acct-1', payload: { seq: 1 } })
  await store.close()

  const run = await runCli(['relay', '--once'], { cwd, env: { REFOLD_BASE_URL: target.emulator.url, REFOLD_API_KEY: KEY } })
  expect(run.code, run.stderr).toBe(0)
  expect(run.stdout).toBe('relay: 1 delivered, 0 retries scheduled, 0 dead letters\n')
  expect(run.stderr).toContain(
    'warning: REFOLD_BASE_URL does not know "Order Placed" yet: its fires go out under the previous name "Order Created" until `refold-events sync` renames it',
  )
  expect(target.emulator.state.fires().map((f) => [f.event, f.headers['idempotency-key']])).toEqual([
    ['Order Created', fired.idempotencyKey],
  ])
})
