/**
 * kill -9 during writes, in a loop: the state file must always parse, hold every write
 * that was answered before the kill, hold nothing that was never sent, and a restart
 * must serve exactly it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnEmulatorCli } from '../support/cli.js'
import { call, tempDir } from './helpers.js'

const KEY = 'tk_emulator'
const EVENTS = '/api/v2/public/application/event'
const ROUNDS = 8

interface Ledger {
  /** Names whose create was answered 200 and not deleted since (as answered). */
  acknowledged: Set<string>
  /** Names whose delete was answered 200. */
  deleted: Set<string>
  /** Every name a create was sent for. */
  attempted: Set<string>
  /** Names a delete was sent for: in flight at the kill, it may or may not have been applied. */
  deleteSent: Set<string>
}

/** One writer: creates, updates and deletes its own events, and fires, until the process dies. */
async function writer(url: string, prefix: string, ledger: Ledger, stop: { killed: boolean }): Promise<void> {
  for (let i = 0; !stop.killed; i++) {
    const name = `${prefix}-${i}`
    ledger.attempted.add(name)
    try {
      const created = await call(url, 'POST', EVENTS, { key: KEY, body: { name, response: JSON.stringify({ i, nested: { at: name } }) } })
      if (created.status !== 200) throw new Error(`create answered ${created.status}: ${created.text}`)
      ledger.acknowledged.add(name)
      const id = (created.json as Array<{ _id: string; name: string }>).find((event) => event.name === name)!._id
      await call(url, 'POST', '/api/v2/public/event', {
        key: KEY,
        body: { event: name, payload: { i } },
        headers: { linked_account_id: 'a' },
      })
      await call(url, 'PUT', `${EVENTS}/${id}`, { key: KEY, body: { name, response: JSON.stringify({ i, updated: true }) } })
      if (i % 3 === 0) {
        ledger.deleteSent.add(name)
        const deleted = await call(url, 'DELETE', `${EVENTS}/${id}`, { key: KEY })
        if (deleted.status === 200) {
          ledger.acknowledged.delete(name)
          ledger.deleted.add(name)
        }
      }
    } catch (error) {
      if (stop.killed) return // the connection died with the process
      throw error
    }
  }
}

describe('crash consistency', () => {
  it(`keeps a whole, consistent state file through ${ROUNDS} SIGKILLs during writes`, async () => {
    const dir = tempDir()
    const file = join(dir, 'state.json')
    const ledger: Ledger = { acknowledged: new Set(), deleted: new Set(), attempted: new Set(), deleteSent: new Set() }
    for (let round = 0; round < ROUNDS; round++) {
      const emulator = await spawnEmulatorCli(['--port', '0', '--state', 'state.json', '--quiet', '--history', '200'], { cwd: dir })
      // A restart serves exactly what the file holds.
      if (round > 0) {
        const served = (await call(emulator.url, 'GET', EVENTS, { key: KEY })).json as Array<{ name: string }>
        const saved = JSON.parse(readFileSync(file, 'utf8')).events as Array<{ name: string }>
        expect(served.map((e) => e.name)).toEqual(saved.map((e) => e.name))
      }
      const stop = { killed: false }
      const writers = Array.from({ length: 6 }, (_, w) => writer(emulator.url, `r${round}w${w}`, ledger, stop))
      await new Promise((resolve) => setTimeout(resolve, 40 + ((round * 37) % 160)))
      stop.killed = true
      emulator.child.kill('SIGKILL')
      await Promise.all(writers)
      expect(await emulator.exited).toBe('SIGKILL')

      expect(existsSync(file)).toBe(true)
      const state = JSON.parse(readFileSync(file, 'utf8')) // must always parse
      expect(state).toMatchObject({ format: 'refold-events-emulator-state', version: 1 })
      const names = (state.events as Array<{ name: string; raw_response: string }>).map((event) => {
        JSON.parse(event.raw_response)
        return event.name
      })
      expect(new Set(names).size).toBe(names.length)
      for (const name of ledger.acknowledged) {
        if (!ledger.deleteSent.has(name)) expect(names, `answered create of ${name} lost`).toContain(name)
      }
      for (const name of names) {
        expect(ledger.attempted.has(name), `${name} was never sent`).toBe(true)
        expect(ledger.deleted.has(name), `answered delete of ${name} undone`).toBe(false)
      }
    }
    expect(ledger.acknowledged.size).toBeGreaterThan(0)
    // The next start cleans up what the killed writers left behind.
    const last = await spawnEmulatorCli(['--port', '0', '--state', 'state.json', '--quiet'], { cwd: dir })
    last.child.kill('SIGTERM')
    expect(await last.exited).toBe(0)
    expect(readdirSync(dir)).toEqual(['state.json'])
  }, 120_000)
})
