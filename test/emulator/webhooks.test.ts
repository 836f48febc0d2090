import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { call, createEvent, fire, KEY, start } from './helpers.js'

interface Received {
  headers: IncomingHttpHeaders
  raw: Buffer
}

const receivers: Server[] = []
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A webhook receiver answering with `statuses` in turn (200 once they run out). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks) })
      response.statusCode = statuses.shift() ?? 200
      response.end('ok')
    })
  })
  receivers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received }
}

/** Verify the way a Refold customer would, with nothing but node:crypto. */
function verified(delivery: Received, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(delivery.raw).digest()
  const given = Buffer.from(String(delivery.headers['x-cobalt-signature']), 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

const WORKFLOWS = [
  { id: 'w-ok', name: 'Welcome', app: 'hubspot', event: 'E', steps: [{ name: 's', text: 'Hi {{event.name}}' }] },
  { id: 'w-bad', name: 'Needs city', app: 'hubspot', event: 'E', steps: [{ name: 's', text: '{{event.address.city}}' }] },
]

describe('webhooks', () => {
  it("sends signed Workflow Completed and Workflow Errored webhooks in Refold's shape", async () => {
    const hook = await receiver()
    const emulator = await start({ webhookUrl: hook.url, workflows: WORKFLOWS })
    await createEvent(emulator, 'E', { name: 'x' })
    expect((await fire(emulator, 'E', { name: 'Jane' }, { headers: { config_id: 'cfg-1' } })).status).toBe(200)
    await emulator.state.webhooksSettled()
    expect(hook.received).toHaveLength(2)
    const [runOk, runBad] = emulator.state.runs()
    const bodies = hook.received.map((delivery) => JSON.parse(delivery.raw.toString('utf8')))
    expect(bodies).toEqual(
      expect.arrayContaining([
        {
          linked_account_id: 'acct-1',
          instance_id: runOk!.id,
          workflow_id: 'w-ok',
          config_id: 'cfg-1',
          event: 'Workflow Completed',
          workflow_name: 'Welcome',
          status: 'COMPLETED',
          environment: 'test',
        },
        {
          linked_account_id: 'acct-1',
          instance_id: runBad!.id,
          workflow_id: 'w-bad',
          config_id: 'cfg-1',
          event: 'Workflow Errored',
          workflow_name: 'Needs city',
          status: 'ERRORED',
          environment: 'test',
        },
      ]),
    )
    for (const delivery of hook.received) {
      expect(delivery.headers['content-type']).toBe('application/json')
      expect(delivery.headers['x-cobalt-signature']).toMatch(/^[0-9a-f]{64}$/)
      expect(verified(delivery, KEY)).toBe(true)
      expect(verified(delivery, 'some other key')).toBe(false)
      expect(JSON.stringify(delivery.headers)).not.toContain(KEY)
    }
    expect(emulator.state.deliveries().map((d) => d.state)).toEqual(['delivered', 'delivered'])
  })

  it('sends credentials of the webhook URL as Basic auth, and keeps them out of records', async () => {
    const hook = await receiver()
    const url = hook.url.replace('http://', 'http://hook-user:s3cret@')
    const emulator = await start({ webhookUrl: url, workflows: [WORKFLOWS[0]!] })
    await createEvent(emulator, 'E', {})
    await fire(emulator, 'E', { name: 'a' })
    await emulator.state.webhooksSettled()
    expect(hook.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:s3cret').toString('base64')}`)
    expect(emulator.state.deliveries()[0]!.state).toBe('delivered')
    expect(JSON.stringify(emulator.state.deliveries())).not.toContain('s3cret')
  })

  it('retries up to 3 times with backoff, then gives up, recording every attempt', async () => {
    const hook = await receiver([500, 503, 500, 200, 500, 500, 500, 500])
    const emulator = await start({ webhookUrl: hook.url, workflows: [WORKFLOWS[0]!], webhookBackoffMs: 10 })
    await createEvent(emulator, 'E', {})
    await fire(emulator, 'E', { name: 'a' })
    await emulator.state.webhooksSettled()
    await fire(emulator, 'E', { name: 'b' })
    await emulator.state.webhooksSettled()
    const [first, second] = emulator.state.deliveries()
    expect(first!.state).toBe('delivered')
    expect(first!.attempts.map((a) => a.status)).toEqual([500, 503, 500, 200])
    expect(second!.state).toBe('failed')
    expect(second!.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500])
    // Each retry carries the same body and signature.
    expect(new Set(hook.received.map((d) => d.raw.toString())).size).toBe(2)
    expect(hook.received.every((d) => verified(d, KEY))).toBe(true)
  })

  it('records an unreachable receiver as failed attempts, and the fire is answered regardless', async () => {
    const hook = await receiver()
    const url = hook.url
    await new Promise((resolve) => receivers.pop()!.close(resolve)) // nothing listens there now
    const emulator = await start({ webhookUrl: url, workflows: [WORKFLOWS[0]!], webhookBackoffMs: 5 })
    await createEvent(emulator, 'E', {})
    expect((await fire(emulator, 'E', { name: 'a' })).status).toBe(200)
    await emulator.state.webhooksSettled()
    const [delivery] = emulator.state.deliveries()
    expect(delivery!.state).toBe('failed')
    expect(delivery!.attempts).toHaveLength(4)
    expect(delivery!.attempts.every((a) => a.status === null && a.error !== null)).toBe(true)
  })

  it('does not hold the fire answer while the receiver is slow', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const server = createServer((request, response) => {
      request.resume()
      void gate.then(() => response.end('ok'))
    })
    receivers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const emulator = await start({ webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, workflows: [WORKFLOWS[0]!] })
    await createEvent(emulator, 'E', {})
    expect((await fire(emulator, 'E', { name: 'a' })).status).toBe(200)
    expect(emulator.state.deliveries()[0]!.state).toBe('pending')
    release()
    await emulator.state.webhooksSettled()
    expect(emulator.state.deliveries()[0]!.state).toBe('delivered')
  })

  it('lists deliveries on the inspection route, filtered by state', async () => {
    const hook = await receiver([500, 500, 500, 500])
    const emulator = await start({ webhookUrl: hook.url, workflows: [WORKFLOWS[1]!], webhookBackoffMs: 5 })
    await createEvent(emulator, 'E', {})
    await fire(emulator, 'E', { name: 'a' })
    await emulator.state.webhooksSettled()
    const failed = await call(emulator, 'GET', '/_emulator/webhooks?state=failed')
    expect(failed.json).toHaveLength(1)
    expect(failed.json[0]).toMatchObject({ url: hook.url, state: 'failed', attempts: expect.any(Array) })
    expect(failed.text).not.toContain(KEY)
    expect((await call(emulator, 'GET', '/_emulator/webhooks?state=delivered')).json).toEqual([])
  })
})
