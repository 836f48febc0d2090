import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, spawnEmulatorCli } from '../support/cli.js'
import { call, tempDir } from './helpers.js'

describe('refold-events emulator (CLI)', () => {
  it('prints the base URL first, serves, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir()
    const emulator = await spawnEmulatorCli(['--port', '0', '--state', 'state.json'], { cwd: dir })
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const created = await call(emulator.url, 'POST', '/api/v2/public/application/event', {
      key: 'tk_emulator',
      body: { name: 'E', response: '{"a":1}' },
    })
    expect(created.status).toBe(200)
    emulator.child.kill('SIGTERM')
    expect(await emulator.exited).toBe(0)
    expect(emulator.stdout()).toMatch(/api key: the development key "tk_emulator"/)
    expect(emulator.stdout()).toMatch(/POST \/api\/v2\/public\/application\/event 200 /)
    expect(emulator.stdout()).toMatch(/stopped\n$/)
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).events[0].name).toBe('E')
  })

  it('finishes a request in progress when interrupted', async () => {
    const dir = tempDir()
    const emulator = await spawnEmulatorCli(['--port', '0', '--no-state', '--latency', '1500', '--faults', 'events', '--quiet'], {
      cwd: dir,
    })
    const pending = call(emulator.url, 'GET', '/api/v2/public/application/event', { key: 'tk_emulator' })
    await new Promise((resolve) => setTimeout(resolve, 300)) // the request is waiting out its latency
    emulator.child.kill('SIGINT')
    expect((await pending).status).toBe(200)
    expect(await emulator.exited).toBe(0)
  })

  it('takes the key from REFOLD_API_KEY or --api-key and never prints it', async () => {
    const key = 'tk_canary_5f2c9d'
    const fromEnv = await spawnEmulatorCli(['--port', '0', '--no-state'], { cwd: tempDir(), env: { REFOLD_API_KEY: key } })
    expect((await call(fromEnv.url, 'GET', '/api/v2/public/workflow', { key })).status).toBe(200)
    expect((await call(fromEnv.url, 'GET', '/api/v2/public/workflow', { key: 'tk_emulator' })).status).toBe(401)
    fromEnv.child.kill('SIGTERM')
    await fromEnv.exited
    const fromFlag = await spawnEmulatorCli(['--port', '0', '--no-state', '--api-key', key], { cwd: tempDir() })
    expect((await call(fromFlag.url, 'GET', '/api/v2/public/workflow', { key })).status).toBe(200)
    fromFlag.child.kill('SIGTERM')
    await fromFlag.exited
    for (const output of [fromEnv.stdout(), fromEnv.stderr(), fromFlag.stdout(), fromFlag.stderr()]) expect(output).not.toContain(key)
    expect(fromEnv.stdout()).toContain('api key: from REFOLD_API_KEY')
    expect(fromFlag.stdout()).toContain('api key: from --api-key')
  })

  it('reads workflows and state defaults from refold.config.ts and describes the faults', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'refold.config.ts'), "export default { emulator: { state: 'data/emu.json', workflows: 'flows.yaml' } }\n")
    writeFileSync(join(dir, 'flows.yaml'), 'workflows:\n  - { name: W, app: hubspot, event: E, steps: [] }\n')
    const emulator = await spawnEmulatorCli(
      ['--port', '0', '--fail-rate', '0.1', '--rate-limit', '20', '--seed', '9', '--faults', 'fire'],
      {
        cwd: dir,
      },
    )
    expect(
      (await call(emulator.url, 'POST', '/api/v2/public/application/event', { key: 'tk_emulator', body: { name: 'E', response: '{}' } }))
        .status,
    ).toBe(200)
    emulator.child.kill('SIGTERM')
    expect(await emulator.exited).toBe(0)
    expect(emulator.stdout()).toContain('workflows: 1 from flows.yaml')
    expect(emulator.stdout()).toContain('state: data/emu.json (0 events)')
    expect(emulator.stdout()).toContain('faults: 10% 500/503, rate limit 20/s, burst 5 on fire (seed 9)')
    expect(JSON.parse(readFileSync(join(dir, 'data/emu.json'), 'utf8')).events).toHaveLength(1)
  })

  it.each([
    [['--fail-rate', '2'], 'error: --fail-rate must be a probability from 0 to 1 (e.g. 0.2), got "2"'],
    [['--port', 'http'], 'error: --port must be a whole number from 0 to 65535, got "http"'],
    [['--latency', '50-10'], 'error: --latency must be milliseconds (20) or a range (10-50), got "50-10"'],
    [
      ['--faults', 'events,fires'],
      'error: --faults: unknown route class "fires" (did you mean "fire"?); expected a list of events, fire, workflows',
    ],
    [['--fail-status', '500,404'], 'error: --fail-status must be a list of 500, 502, 503, 504, got "500,404"'],
    [['--max-body', 'huge'], 'error: --max-body must be a size in bytes (1048576, 512kb, 5mb), got "huge"'],
    [['--fail-rate', '0.7', '--drop-rate', '0.5'], 'error: emulator: fail rate and drop rate together must not exceed 1'],
    [['--webhook-url', 'ftp://x'], 'error: emulator: webhook URL must be an http(s) URL, got "ftp://x"'],
    [['--workflows', 'missing.yaml'], 'missing.yaml:1:1: error: workflows file: file not found'],
  ])('refuses %j with a one-line error and exit 1', (args, message) => {
    const result = spawnSync(process.execPath, [CLI, 'emulator', '--port', '0', '--no-state', ...args], {
      cwd: tempDir(),
      encoding: 'utf8',
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(message)
    expect(result.stdout).toBe('')
  })

  it('documents every option in --help', () => {
    const help = spawnSync(process.execPath, [CLI, 'emulator', '--help'], { encoding: 'utf8' }).stdout
    for (const flag of [
      '--host',
      '--port',
      '--state',
      '--no-state',
      '--api-key',
      '--workflows',
      '--webhook-url',
      '--latency',
      '--fail-rate',
      '--fail-status',
      '--drop-rate',
      '--rate-limit',
      '--burst',
      '--faults',
      '--seed',
      '--max-body',
      '--history',
      '--quiet',
    ]) {
      expect(help).toContain(flag)
    }
  })
})
