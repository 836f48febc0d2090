import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyWarnings, resolveTarget } from '../../src/cli/resolve-target.js'
import { resolveConfig } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/emulator/index.js'
import { ApiKey } from '../../src/remote/api-key.js'

const config = resolveConfig(
  {
    environments: {
      staging: { baseUrl: 'https://staging.refold.example', apiKeyEnv: 'STAGING_KEY' },
      production: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'PROD_KEY' },
      insecure: { baseUrl: 'http://refold.example', apiKeyEnv: 'K' },
    },
  },
  '/tmp/project',
  null,
)

describe('resolveTarget', () => {
  it('--env picks a configured environment and its key variable', async () => {
    const target = await resolveTarget({
      config,
      envName: 'staging',
      env: { STAGING_KEY: 'tk_abc', REFOLD_BASE_URL: 'https://ignored' },
      cwd: '/tmp',
    })
    expect(target).toMatchObject({ name: 'staging', baseUrl: 'https://staging.refold.example', emulator: null, warnings: [] })
    expect(target.apiKey.reveal()).toBe('tk_abc')
  })

  it('says what is wrong: unknown name (with a suggestion), unset key variable, plain http', async () => {
    await expect(resolveTarget({ config, envName: 'stagin', env: {}, cwd: '/tmp' })).rejects.toThrow(
      'unknown environment "stagin" (did you mean "staging"?); known: local, staging, production, insecure',
    )
    await expect(resolveTarget({ config, envName: 'production', env: {}, cwd: '/tmp' })).rejects.toThrow(
      'environment "production" reads its API key from $PROD_KEY, which is not set',
    )
    await expect(resolveTarget({ config, envName: 'insecure', env: { K: 'pk_x' }, cwd: '/tmp' })).rejects.toThrow(
      /Refusing to send the Refold API key over plain http to refold\.example/,
    )
    await expect(resolveTarget({ config, env: { REFOLD_BASE_URL: 'https://x.example' }, cwd: '/tmp' })).rejects.toThrow(
      'REFOLD_BASE_URL is set but REFOLD_API_KEY is not',
    )
  })

  it('without --env uses REFOLD_BASE_URL with REFOLD_API_KEY', async () => {
    const target = await resolveTarget({
      config,
      env: { REFOLD_BASE_URL: 'https://eu.refold.example/', REFOLD_API_KEY: 'pk_1' },
      cwd: '/tmp',
    })
    expect(target).toMatchObject({ name: 'REFOLD_BASE_URL', baseUrl: 'https://eu.refold.example' })
  })

  it('the local environment, when a running emulator holds its state, names the state and how to target that emulator', async () => {
    const root = await mkdtemp(join(tmpdir(), 'refold-local-in-use-'))
    const running = await startEmulator({ host: '127.0.0.1', port: 0, stateFile: join(root, 'state.json'), cwd: root })
    try {
      const local = resolveConfig({ emulator: { state: 'state.json' } }, root, null)
      // The URL comes from the running emulator's lock, never a guessed port.
      await expect(resolveTarget({ config: local, env: {}, cwd: root })).rejects.toThrow(
        `the local environment's state state.json is in use by a running emulator at ${running.url}: stop it, or target it with ` +
          `REFOLD_BASE_URL=${running.url} and REFOLD_API_KEY set to its key`,
      )
    } finally {
      await running.close()
      await rm(root, { recursive: true, force: true })
    }
  })

  it('a lock that records no URL (an older emulator) suggests no URL', async () => {
    const root = await mkdtemp(join(tmpdir(), 'refold-local-in-use-'))
    const running = await startEmulator({ host: '127.0.0.1', port: 0, stateFile: join(root, 'state.json'), cwd: root })
    try {
      await writeFile(join(root, 'state.json.lock'), String(process.pid))
      const local = resolveConfig({ emulator: { state: 'state.json' } }, root, null)
      const refused = await resolveTarget({ config: local, env: {}, cwd: root }).catch((error: unknown) => error as Error)
      expect((refused as Error).message).toBe(
        "the local environment's state state.json is in use by a running emulator: stop it, or target it with " +
          'REFOLD_BASE_URL set to its URL and REFOLD_API_KEY set to its key',
      )
    } finally {
      await running.close()
      await rm(root, { recursive: true, force: true })
    }
  })

  it('the local environment with an unreadable state advises what this command reads (emulator.state), not --state', async () => {
    const root = await mkdtemp(join(tmpdir(), 'refold-local-corrupt-'))
    try {
      await writeFile(join(root, 'state.json'), '{not json')
      const local = resolveConfig({ emulator: { state: 'state.json' } }, root, null)
      const refused = (await resolveTarget({ config: local, env: {}, cwd: root }).catch((error: unknown) => error)) as Error
      expect(refused.message).toMatch(
        /^the local environment's state state\.json is not valid JSON \(.*\); move it away to start from an empty state, or set emulator\.state in refold\.config\.ts to use another file$/,
      )
      expect(refused.message).not.toContain('--state')
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('warns about a test key aimed at production and a production key aimed elsewhere', () => {
    expect(keyWarnings('production', new ApiKey('tk_1'))).toEqual([
      'a test key (tk...) targets environment "production", which is named like production',
    ])
    expect(keyWarnings('prod-eu', new ApiKey('pk_1'))).toEqual([])
    expect(keyWarnings('staging', new ApiKey('pk_1'))).toEqual([
      'a production key (pk...) targets environment "staging", which is not named like production',
    ])
    expect(keyWarnings('staging', new ApiKey('tk_1'))).toEqual([])
  })
})
