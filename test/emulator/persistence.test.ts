import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { startEmulator } from '../../src/emulator/start-emulator.js'
import { call, createEvent, fire, KEY, start, tempDir } from './helpers.js'
import { EmulatorStartError } from '../../src/errors.js'

describe('persistence', () => {
  it('serves after a restart what was there before, ids included', async () => {
    const dir = tempDir()
    const first = await startEmulator({
      port: 0,
      apiKey: KEY,
      cwd: dir,
      stateFile: 'state/emulator.json',
      workflows: [{ id: 'w', name: 'W', app: 'a', event: 'E', steps: [{ name: 's', text: '{{event.x}}' }] }],
    })
    const id = await createEvent(first, 'E', { x: 1 }, { type: 'object' })
    await createEvent(first, 'F', { y: { z: 'a' } })
    await fire(first, 'E', { x: 2 })
    const before = (await call(first, 'GET', '/api/v2/public/application/event')).json
    const fires = first.state.fires()
    const runs = first.state.runs()
    await first.close()

    const file = join(dir, 'state/emulator.json')
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    expect(saved).toMatchObject({ format: 'refold-events-emulator-state', version: 1 })
    expect(readFileSync(file, 'utf8')).not.toContain(KEY)
    expect(existsSync(`${file}.lock`)).toBe(false)

    const second = await start({ cwd: dir, stateFile: 'state/emulator.json' })
    expect((await call(second, 'GET', '/api/v2/public/application/event')).json).toEqual(before)
    expect((await call(second, 'GET', `/api/v2/public/application/event/${id}`)).json.json_schema).toEqual({ type: 'object' })
    expect(second.state.fires()).toEqual(fires)
    expect(second.state.runs()).toEqual(runs)
    expect((await call(second, 'POST', '/api/v2/public/application/event', { body: { name: 'E', response: '{}' } })).status).toBe(400)
  })

  it('has every answered write on disk when the answer arrives', async () => {
    const dir = tempDir()
    const emulator = await start({ cwd: dir, stateFile: 'emulator.json' })
    await Promise.all(Array.from({ length: 40 }, (_, i) => createEvent(emulator, `E${i}`, { i })))
    // Read the file while the emulator still runs: nothing waits for close().
    const saved = JSON.parse(readFileSync(join(dir, 'emulator.json'), 'utf8'))
    expect(saved.events.map((e: { name: string }) => e.name).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `E${i}`).sort())
  })

  it('keeps concurrent updates of one event in the order they were answered', async () => {
    const dir = tempDir()
    const emulator = await start({ cwd: dir, stateFile: 'emulator.json' })
    const id = await createEvent(emulator, 'E', { v: 0 })
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(emulator, 'PUT', `/api/v2/public/application/event/${id}`, { body: { name: 'E', response: JSON.stringify({ v: i + 1 }) } }),
      ),
    )
    await emulator.state.flushed()
    const inMemory = emulator.state.events()[0]!.raw_response
    const onDisk = JSON.parse(readFileSync(join(dir, 'emulator.json'), 'utf8')).events[0].raw_response
    expect(onDisk).toBe(inMemory)
    expect(answers.map((a) => a.json[0].raw_response)).toContain(inMemory)
  })

  it('refuses a state file another running emulator holds, and takes over a stale lock', async () => {
    const dir = tempDir()
    const holder = await start({ cwd: dir, stateFile: 'emulator.json' })
    const refused = await startEmulator({ port: 0, cwd: dir, stateFile: 'emulator.json' }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(EmulatorStartError)
    expect((refused as EmulatorStartError).problem).toBe('state-in-use')
    // The holder's URL, from its lock file, so the refused side can reach it instead.
    expect((refused as Error).message).toBe(
      `emulator state emulator.json is in use by another emulator in this process at ${holder.url}; stop it, or pass --state FILE to use another state`,
    )

    const other = tempDir()
    // A lock left by a process that no longer exists (pid far beyond any pid_max).
    writeFileSync(join(other, 'emulator.json.lock'), '2147483646')
    writeFileSync(join(other, '.emulator.json.2147483646.deadbeef.tmp'), '{"torn":')
    const taken = await start({ cwd: other, stateFile: 'emulator.json' })
    await createEvent(taken, 'E', {})
    expect(readdirSync(other).sort()).toEqual(['emulator.json', 'emulator.json.lock'])
  })

  it('refuses to start on a state file it cannot read, naming the file and the way out', async () => {
    const dir = tempDir()
    const cases: Array<[string, RegExp]> = [
      [
        '{"format":',
        /^emulator state bad\.json is not valid JSON \(.+\); move it away \(or pass --state FILE\) to start from an empty state$/,
      ],
      ['{"hello":1}', /is not an emulator state file/],
      [
        '{"format":"refold-events-emulator-state","version":99,"events":[],"fires":[],"runs":[],"deliveries":[]}',
        /has format version 99, this emulator reads version 1/,
      ],
      [
        '{"format":"refold-events-emulator-state","version":1,"events":[{"_id":"a","name":"x","raw_response":"{"}],"fires":[],"runs":[],"deliveries":[]}',
        /malformed event at events\[0\]/,
      ],
    ]
    for (const [contents, message] of cases) {
      writeFileSync(join(dir, 'bad.json'), contents)
      const error = await startEmulator({ port: 0, cwd: dir, stateFile: 'bad.json' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(EmulatorStartError)
      expect((error as EmulatorStartError).problem).toBe('state-unusable')
      expect((error as Error).message).toMatch(message)
      expect(readFileSync(join(dir, 'bad.json'), 'utf8')).toBe(contents) // never overwritten
      expect(existsSync(join(dir, 'bad.json.lock'))).toBe(false)
    }
  })

  it('says why it cannot use a state path', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'plain-file'), 'x')
    const error = await startEmulator({ port: 0, cwd: dir, stateFile: 'plain-file/state.json' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EmulatorStartError)
    expect((error as Error).message).toMatch(/^cannot use the emulator state plain-file\/state\.json: E[A-Z]+/)
  })

  it('names a port that is taken', async () => {
    const first = await start()
    const error = await startEmulator({ port: first.port }).catch((e: unknown) => e)
    expect((error as EmulatorStartError).problem).toBe('cannot-listen')
    expect((error as Error).message).toBe(
      `emulator: cannot listen on 127.0.0.1:${first.port}: the address is already in use; pick another with --port (0 for any free port)`,
    )
  })

  it('keeps the key out of util.inspect of the running emulator', async () => {
    const { inspect } = await import('node:util')
    const hook = 'http://127.0.0.1:9/hooks'
    const emulator = await start({ webhookUrl: hook, stateFile: 'state.json', cwd: tempDir() })
    expect(inspect(emulator, { depth: 20, showHidden: true })).not.toContain(KEY)
  })

  it('keeps state in memory only when no state file is given', async () => {
    const dir = tempDir()
    const emulator = await start({ cwd: dir })
    await createEvent(emulator, 'E', {})
    await emulator.close()
    expect(readdirSync(dir)).toEqual([])
  })
})
