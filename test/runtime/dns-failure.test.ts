/**
 * A host name that does not resolve (ENOTFOUND): nothing can have been sent, so the error
 * says so, and a misspelt host is not retried (issue 14.2).
 */
import { lookup } from 'node:dns/promises'
import { describe, expect, it } from 'vitest'
import { createClient, NetworkError, type Transport } from '../../src/runtime/index.js'
import { eventYaml, project } from '../sync/harness.js'
import { runCli } from '../support/cli.js'
import { InstantClock, TEST_KEY } from './support/fake-clock.js'

// `.invalid` never resolves (RFC 6761); where no DNS server answers at all the lookup fails
// with EAI_AGAIN instead, and the real-network cases below cannot show ENOTFOUND.
const UNRESOLVABLE = 'app.refold.invalid'
const dnsSaysNoSuchName = await lookup(UNRESOLVABLE).then(
  () => false,
  (error: NodeJS.ErrnoException) => error.code === 'ENOTFOUND',
)

describe('a host name that does not resolve', () => {
  it('is reported as not sent and tried once', async () => {
    let calls = 0
    const transport: Transport = async () => {
      calls++
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${UNRESOLVABLE}`), { code: 'ENOTFOUND' })
    }
    const client = createClient({ apiKey: TEST_KEY, baseUrl: `https://${UNRESOLVABLE}`, transport, clock: new InstantClock() })
    const error = (await client.fire({ event: 'E', linkedAccountId: 'a', payload: {} }).catch((e: unknown) => e)) as NetworkError
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.requestSent).toBe(false)
    expect(error.networkCode).toBe('ENOTFOUND')
    expect(error.attempts).toBe(1)
    expect(calls).toBe(1)
    expect(error.message).toContain('nothing was sent and it is not retried')
    expect(error.message).not.toContain('may or may not')
  })

  it.skipIf(!dnsSaysNoSuchName)('fire and sync say so in one line, after one attempt', async () => {
    const p = await project({ 'events/contact.yaml': eventYaml('New Contact Created', 'email: jane@example.com') })
    const env = { REFOLD_BASE_URL: `https://${UNRESOLVABLE}`, REFOLD_API_KEY: TEST_KEY }
    const fired = await runCli(['fire', 'New Contact Created', '--account', 'a'], { cwd: p.root, env, environment: 'clean' })
    expect(fired.code).toBe(1)
    expect(fired.stderr).toBe(
      `error: could not resolve the host of Refold at https://${UNRESOLVABLE} (ENOTFOUND: no such host name); nothing was sent and it is not retried. Check the base URL for a typo\n`,
    )
    const synced = await runCli(['sync', '--dry-run'], { cwd: p.root, env, environment: 'clean' })
    expect(synced.code).toBe(1)
    expect(synced.stderr).toMatch(/failed \(could not resolve the host name, nothing was sent: ENOTFOUND/)
    expect(synced.stderr).toContain('check the host name in the URL for a typo')
    expect(synced.stderr).not.toMatch(/attempts|may or may not/)
    expect(fired.stderr + synced.stderr).not.toContain(TEST_KEY)
  })
})
