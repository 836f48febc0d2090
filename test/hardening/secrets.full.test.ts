/**
 * The API key never leaks. One test runs every command (init, check, generate, fire, sync,
 * pull, emulator) with a canary key, in every output format, through success and the error
 * paths (bad key, unknown event, network down, invalid payload, breaking change, plain http),
 * then searches every stdout and stderr, every file under the project (`.refold/` included),
 * every webhook the emulator sent, and every error object the runtime gave (message, stack,
 * `util.inspect` with hidden fields, JSON) for the canary.
 *
 * The key is also refused over plain http to a host that is not loopback, before any
 * connection is attempted (watched through Node's and undici's diagnostics channels;
 * 192.0.2.1 is TEST-NET-1, so nothing could leave the machine anyway).
 */
import { randomBytes } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../src/emulator/index.js'
import { createClient } from '../../src/runtime/index.js'
import { cli, filesContaining, listFiles, onCleanup, tempDir, writeFiles, type CliResult } from './support.js'

const CANARY = `tk_CANARY_${randomBytes(16).toString('hex')}`
const OTHER_KEY = 'tk_some_other_key'
const INSECURE = 'http://192.0.2.1'

const EVENT_FILES = {
  'events/contact.yaml':
    'name: Contact Created\nsample:\n  email: jane@example.com\n  first_name: Jane\nschema:\n  properties:\n    email: {format: email}\n',
  'events/order.yaml': 'name: Order Placed\nsample:\n  order_id: ord_1\n  total: 9.5\n',
}
const WORKFLOWS = `workflows:
  - name: Welcome
    app: hubspot
    event: Contact Created
    steps:
      - name: Send
        text: "Hello {{event.first_name}} <{{event.email}}>"
`

/** A loopback server recording every request (the webhook receiver), or never answering under /hang. */
async function recorder(): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${Buffer.concat(chunks).toString('utf8')}`)
      if (!req.url?.startsWith('/hang')) res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise((resolve) => probe.close(resolve))
  return url
}

/** Everything an error object could show: message, stack, inspect with hidden fields and getters, JSON, causes. */
function errorText(error: unknown): string {
  const parts = [inspect(error, { depth: Infinity, showHidden: true, getters: true }), JSON.stringify(error) ?? '', String(error)]
  let current: unknown = error
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? '')
    for (const name of Object.getOwnPropertyNames(current))
      parts.push(inspect((current as unknown as Record<string, unknown>)[name], { depth: Infinity, showHidden: true }))
    current = current.cause
  }
  return parts.join('\n')
}

describe('the API key', () => {
  it('appears in no output, file, webhook or error object of any command, format or failure', { timeout: 180_000 }, async () => {
    const savedEnvKey = process.env.REFOLD_API_KEY
    // Anything that reads process.env directly sees the canary too.
    process.env.REFOLD_API_KEY = CANARY
    onCleanup(() => {
      if (savedEnvKey === undefined) delete process.env.REFOLD_API_KEY
      else process.env.REFOLD_API_KEY = savedEnvKey
    })

    const dir = tempDir('secrets')
    const hooks = await recorder()
    const wrongKeyEmulator = await startEmulator({ port: 0, apiKey: OTHER_KEY, stateFile: null })
    onCleanup(() => wrongKeyEmulator.close())
    const downUrl = await closedPortUrl()
    writeFiles(dir, { ...EVENT_FILES, 'workflows.yaml': WORKFLOWS, 'payload.json': '{"email": "bob@example.com", "first_name": "Bob"}' })

    const runs: Array<{ argv: string[]; result: CliResult }> = []
    const base = { REFOLD_API_KEY: CANARY, STAGING_KEY: CANARY }
    const run = async (argv: string[], env: Record<string, string> = base, expectCode?: number, isTTY = false): Promise<CliResult> => {
      const result = await cli(argv, dir, { env, isTTY })
      runs.push({ argv, result })
      if (expectCode !== undefined) expect(result.code, `${argv.join(' ')}:\n${result.stdout}${result.stderr}`).toBe(expectCode)
      return result
    }

    // The emulator command, keyed by $REFOLD_API_KEY (the canary), persisting to .refold/, sending signed webhooks.
    let stopEmulator!: () => void
    const interrupt = new Promise<void>((resolve) => (stopEmulator = resolve))
    let emulatorOut = ''
    let announce!: (url: string) => void
    const announced = new Promise<string>((resolve) => (announce = resolve))
    const emulatorDone = cli(
      [
        'emulator',
        '--port',
        '0',
        '--state',
        '.refold/emulator.json',
        '--workflows',
        'workflows.yaml',
        '--webhook-url',
        `${hooks.url}/hooks`,
      ],
      dir,
      {
        env: { REFOLD_API_KEY: CANARY },
        interrupt,
        onStdout: (text) => {
          emulatorOut += text
          const url = /^http:\/\/127\.0\.0\.1:\d+/m.exec(emulatorOut)?.[0]
          if (url !== undefined) announce(url)
        },
      },
    )
    const url = await announced
    writeFiles(dir, {
      'refold.config.mjs': `export default {
  emulator: { workflows: 'workflows.yaml' },
  environments: {
    staging: { baseUrl: ${JSON.stringify(url)}, apiKeyEnv: 'STAGING_KEY' },
    wrongkey: { baseUrl: ${JSON.stringify(wrongKeyEmulator.url)}, apiKeyEnv: 'STAGING_KEY' },
    down: { baseUrl: ${JSON.stringify(downUrl)}, apiKeyEnv: 'STAGING_KEY' },
    insecure: { baseUrl: ${JSON.stringify(INSECURE)}, apiKeyEnv: 'STAGING_KEY' },
  },
}
`,
    })
    const remote = { ...base, REFOLD_BASE_URL: url }

    // init, check and generate (the key is in the environment; they must not care).
    const fresh = join(dir, 'fresh')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(fresh)
    runs.push({ argv: ['init'], result: await cli(['init'], fresh, { env: base }) })
    for (const format of ['human', 'json', 'github']) await run(['check', '--format', format], base, 0)
    await run(['check'], base, 0, true)
    await run(['generate'], base, 0)
    await run(['generate', '--check'], base, 0)

    // sync: every format, dry run, saved plan, apply; then the same against the named environment.
    for (const format of ['human', 'json', 'github', 'markdown']) await run(['sync', '--dry-run', '--format', format], remote, 0)
    await run(['sync', '--out', '.refold/plan.json'], remote, 0)
    await run(['sync', '--plan', '.refold/plan.json'], remote, 0)
    await run(['sync', '--env', 'staging', '--dry-run', '--detailed-exitcode'], base, 0)
    await run(['sync'], remote, 0, true)

    // pull: an event that exists only remotely gets a file.
    const created = await fetch(`${url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': CANARY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Remote Only', response: JSON.stringify({ id: 1 }) }),
    })
    expect(created.status).toBe(200)
    await run(['pull'], remote, 0)
    await run(['pull', '--env', 'staging'], base, 0)
    expect(listFiles(join(dir, 'events'))).toContain('remote-only.yaml')

    // fire: success through both targets, a payload file, an idempotency key.
    await run(['fire', 'Contact Created', '--account', 'acct_1', '--slug', 'hubspot'], remote, 0)
    await run(['fire', 'Contact Created', '--account', 'acct_1', '--payload', '@payload.json', '--idempotency-key', 'idem-1'], remote, 0)
    await run(['fire', 'Order Placed', '--account', 'acct_1', '--env', 'staging'], base, 0)

    // Error paths.
    await run(['fire', 'Contact Createdd', '--account', 'a'], remote, 1) // unknown event (local)
    writeFiles(dir, { 'events/unsynced.yaml': 'name: Not Synced Yet\nsample:\n  id: 1\n' })
    await run(['fire', 'Not Synced Yet', '--account', 'a'], remote, 1) // 404 INVALID_EVENT
    await run(['fire', 'Contact Created', '--account', 'a', '--payload', '{"email": 5}'], remote, 1) // invalid payload
    await run(['fire', 'Contact Created', '--account', 'a', '--payload', '{not json'], remote, 1)
    for (const command of [['fire', 'Order Placed', '--account', 'a'], ['sync'], ['pull']]) {
      await run([...command, '--env', 'wrongkey'], base, 1) // bad key: 401
      await run([...command, '--env', 'down'], base, 1) // network down
      // (sync and pull retry a refused connection with backoff for seconds; --debug once is enough.)
      if (command[0] === 'fire') await run([...command, '--env', 'down', '--debug'], base, 1)
      await run([...command, '--env', 'wrongkey', '--debug'], base, 1)
    }
    await run(['sync', '--env', 'staging'], { REFOLD_API_KEY: CANARY }, 1) // STAGING_KEY unset
    // A breaking change (a field a workflow reads, removed), refused in every format.
    writeFiles(dir, { 'events/contact.yaml': 'name: Contact Created\nsample:\n  first_name: Jane\n' })
    for (const format of ['human', 'json', 'github', 'markdown']) await run(['sync', '--format', format], remote, 2)
    await run(['sync', '--out', '.refold/breaking-plan.json'], remote, 2)
    await run(['check', '--format', 'json'], base, 0)
    writeFiles(dir, { 'events/broken.yaml': 'name: Broken\nsample: [1\n' })
    for (const format of ['human', 'json', 'github']) await run(['check', '--format', format], base, 1)
    await run(['generate'], base, 1)
    await run(['sync'], remote, 1)

    const { rmSync } = await import('node:fs')
    rmSync(join(dir, 'events/broken.yaml'))

    // Plain http to a host that is not loopback: refused before any connection is attempted.
    const attempts: string[] = []
    const onSocket = (message: unknown): void => {
      const socket = (message as { socket?: { remoteAddress?: string; _host?: string } }).socket
      attempts.push(`net ${String(socket?._host ?? socket?.remoteAddress)}`)
    }
    const onConnect = (message: unknown): void => {
      attempts.push(`undici ${String((message as { connectParams?: { host?: string } }).connectParams?.host)}`)
    }
    subscribe('net.client.socket', onSocket)
    subscribe('undici:client:beforeConnect', onConnect)
    try {
      for (const command of [['fire', 'Order Placed', '--account', 'a'], ['sync'], ['pull']]) {
        const viaEnv = await run(command, { ...base, REFOLD_BASE_URL: INSECURE }, 1)
        const viaConfig = await run([...command, '--env', 'insecure'], base, 1)
        for (const result of [viaEnv, viaConfig])
          expect(result.stderr).toMatch(/^error: refusing to send the Refold API key over plain http to 192\.0\.2\.1/m)
      }
      const client = createClient({ apiKey: CANARY, baseUrl: INSECURE })
      const refused = await client.fire({ event: 'Order Placed', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)
      expect(String(refused)).toMatch(/plain http/)
      await client.close()
      runs.push({ argv: ['(runtime) insecure'], result: { code: 1, stdout: '', stderr: errorText(refused) } })
    } finally {
      unsubscribe('net.client.socket', onSocket)
      unsubscribe('undici:client:beforeConnect', onConnect)
    }
    expect(attempts.filter((a) => a.includes('192.0.2.1'))).toEqual([])

    // Error objects of the runtime, each failure kind.
    const errors: unknown[] = []
    const failing = async (options: Parameters<typeof createClient>[0], validator?: (payload: unknown) => boolean): Promise<void> => {
      const client = createClient({ retry: false, ...options })
      const args = { event: 'Order Placed', linkedAccountId: 'a', payload: { order_id: 'x' } }
      const error = await (validator === undefined ? client.fire(args) : client.fire(args, Object.assign(validator, { errors: [] }))).then(
        () => new Error('expected a failure'),
        (e: unknown) => e,
      )
      errors.push(error, client)
      await client.close()
    }
    await failing({ apiKey: CANARY, baseUrl: wrongKeyEmulator.url }) // 401
    await failing({ apiKey: CANARY, baseUrl: downUrl }) // refused
    await failing({ apiKey: CANARY, baseUrl: `${hooks.url}/hang`, timeoutMs: 200 }) // timeout
    await failing({ apiKey: CANARY, baseUrl: url, validate: 'error' }, () => false) // invalid payload, refused
    await failing({ apiKey: `${CANARY}\nx-injected: 1`, baseUrl: url }) // a key a header cannot carry
    expect(errors.filter((_, i) => i % 2 === 0).map((e) => (e as Error).name)).toEqual([
      'AuthenticationError',
      'NetworkError',
      'TimeoutError',
      'PayloadValidationError',
      'RefoldConfigurationError',
    ])

    stopEmulator()
    const emulatorResult = await emulatorDone
    runs.push({ argv: ['emulator'], result: emulatorResult })
    expect(emulatorResult.code).toBe(0)
    expect(emulatorOut).toContain('api key: from REFOLD_API_KEY')

    // Enough happened for the search to mean something, and the search finds what is there.
    expect(runs.length).toBeGreaterThan(50)
    expect(runs.some(({ result }) => result.stdout.includes(url))).toBe(true)
    expect(filesContaining(dir, 'Contact Created')).toEqual(expect.arrayContaining(['.refold/emulator.json', 'events/contact.yaml']))
    expect(hooks.requests.some((r) => r.startsWith('POST /hooks'))).toBe(true)
    expect(listFiles(dir)).toEqual(
      expect.arrayContaining(['.refold/emulator.json', '.refold/plan.json', 'generated/index.mts', 'fresh/refold.config.ts']),
    )
    expect(readFileSync(join(dir, '.refold/emulator.json'), 'utf8')).toContain('Contact Created')

    const leaks: string[] = []
    for (const { argv, result } of runs) {
      if (`${result.stdout}\n${result.stderr}`.includes(CANARY)) leaks.push(`output of ${argv.join(' ')}`)
    }
    for (const file of filesContaining(dir, CANARY)) leaks.push(`file ${file}`)
    // (Requests under /hang stand in for Refold itself, which is meant to receive the key.)
    for (const request of hooks.requests.filter((r) => r.startsWith('POST /hooks')))
      if (request.includes(CANARY)) leaks.push(`webhook request ${request.split('\n')[0]}`)
    errors.forEach((error, i) => {
      if (errorText(error).includes(CANARY)) leaks.push(`runtime error object #${i}: ${inspect(error)}`)
    })
    expect(leaks).toEqual([])
  })
})
