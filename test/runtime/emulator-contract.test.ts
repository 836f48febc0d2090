/**
 * The runtime against the project's Refold emulator (a second, independent reading of
 * Refold's docs): the documented fire request is accepted, errors map to the typed classes,
 * and the webhooks the emulator signs parse with `parseWebhook`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import {
  AuthenticationError,
  createClient,
  InvalidEventError,
  parseWebhook,
  RefoldHttpError,
  WEBHOOK_SIGNATURE_HEADER,
  type RefoldClient,
  type RefoldWebhook,
} from '../../src/runtime/index.js'
import { TEST_KEY } from './support/fake-clock.js'
import { startServer, waitFor, type TestServer } from './support/http-server.js'

let emulator: RunningEmulator
let receiver: TestServer
let client: RefoldClient
const webhooks: RefoldWebhook[] = []

beforeAll(async () => {
  receiver = await startServer((request, res) => {
    webhooks.push(parseWebhook(request.body, request.headers[WEBHOOK_SIGNATURE_HEADER], TEST_KEY))
    res.writeHead(200)
    res.end()
  })
  emulator = await startEmulator({
    port: 0,
    stateFile: null,
    apiKey: TEST_KEY,
    webhookUrl: `${receiver.url}/refold-webhooks`,
    workflows: [
      { name: 'Export contact', app: 'hubspot', event: 'New Contact Created', steps: [{ name: 'create', text: 'Create {{event.email}}' }] },
    ],
  })
  client = createClient({ apiKey: TEST_KEY, baseUrl: emulator.url })
})

afterAll(async () => {
  await client?.close()
  await emulator?.close()
  await receiver?.close()
})

const fireContact = (c: RefoldClient = client) =>
  c.fire({
    event: 'New Contact Created',
    linkedAccountId: 'acct_1',
    slug: 'hubspot',
    payload: { first_name: 'Jane', email: 'jane@example.com' },
  })

describe('runtime ↔ emulator', () => {
  it('an unknown event is an InvalidEventError', async () => {
    const error = await fireContact().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidEventError)
    expect(error).toMatchObject({ status: 404, errorCode: 'INVALID_EVENT', serverMessage: 'Trigger not found' })
  })

  it('once the event exists, the documented request is accepted and runs its workflow', async () => {
    const created = await fetch(`${emulator.url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'New Contact Created', response: JSON.stringify({ first_name: 'Jane', email: 'jane@example.com' }) }),
    })
    expect(created.status).toBe(200)
    const result = await fireContact()
    expect(result).toMatchObject({ status: 200, message: 'Webhook Fired Success', attempts: 1 })
    const fires = emulator.state.fires()
    expect(fires.at(-1)).toMatchObject({ event: 'New Contact Created', linked_account_id: 'acct_1' })
  })

  it('the emulator’s signed "Workflow Completed" webhook parses', async () => {
    await waitFor(() => webhooks.length > 0, 'a webhook delivery')
    expect(webhooks[0]).toMatchObject({
      event: 'Workflow Completed',
      status: 'COMPLETED',
      linked_account_id: 'acct_1',
      workflow_name: 'Export contact',
    })
  })

  it('a wrong key is an AuthenticationError', async () => {
    const wrong = createClient({ apiKey: 'tk_wrong', baseUrl: emulator.url })
    await expect(fireContact(wrong)).rejects.toBeInstanceOf(AuthenticationError)
    await wrong.close()
  })

  it('a missing linked_account_id (sent by another client) is a 400 the runtime would map to RefoldHttpError', async () => {
    const transportClient = createClient({
      apiKey: TEST_KEY,
      baseUrl: emulator.url,
      transport: async (request) => {
        const headers = { ...request.headers } as Record<string, string>
        delete headers.linked_account_id
        const answer = await fetch(request.url, { method: 'POST', headers, body: request.body, signal: request.signal })
        return { status: answer.status, headers: Object.fromEntries(answer.headers), body: await answer.text() }
      },
    })
    const error = await fireContact(transportClient).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefoldHttpError)
    expect(error).toMatchObject({ status: 400 })
  })
})
