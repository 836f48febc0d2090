/**
 * The runtime's fallback to an event's previous names, against the real emulator over loopback,
 * counted request by request: the 404 for a name Refold does not know is paid once per switch
 * (the client keeps the name that answered), in both directions of a rename, and the default
 * report is one process warning per pair of names. Other errors never fall back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import type { RequestLogEntry } from '../../src/emulator/request-pipeline.js'
import { AuthenticationError, createClient, withEvent, type RefoldClient } from '../../src/runtime/index.js'
import { warningsDuring } from '../support/warnings.js'
import { TEST_KEY } from './support/fake-clock.js'

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  while (running.length > 0) await running.pop()!.close()
})

async function emulatorWith(name: string, log: RequestLogEntry[]): Promise<{ emulator: RunningEmulator; id: string }> {
  const emulator = await startEmulator({ port: 0, stateFile: null, apiKey: TEST_KEY, log: (entry) => log.push(entry) })
  running.push(emulator)
  const answer = await api(emulator, 'POST', '/api/v2/public/application/event', { name, response: '{"id":"c_1"}' })
  return { emulator, id: (answer as Array<{ _id: string }>)[0]!._id }
}

async function api(emulator: RunningEmulator, method: string, path: string, body: unknown): Promise<unknown> {
  const answer = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(answer.status).toBe(200)
  return answer.json()
}

function client(emulator: RunningEmulator, key = TEST_KEY): RefoldClient {
  const made = createClient({ apiKey: key, baseUrl: emulator.url })
  running.push(made)
  return made
}

/** `200 Old`, `404 New`: each fire request's status and the event name it carried, in order. */
function fireLog(log: readonly RequestLogEntry[], emulator: RunningEmulator): string[] {
  const names = emulator.state.fires().map((fire) => fire.event)
  let accepted = 0
  return log
    .filter((entry) => entry.routeClass === 'fire')
    .map((entry) => (entry.status === 200 ? `200 ${names[accepted++]}` : String(entry.status)))
}

const fire = (refold: RefoldClient) =>
  refold.fire(withEvent({ linkedAccountId: 'acct', payload: { id: 'c_1' } }, 'Contact Added', undefined, ['Contact Created']))

describe('firing a renamed event under its previous names', () => {
  it('pays the 404 once per switch, before and after the rename, and warns once', async () => {
    const log: RequestLogEntry[] = []
    const { emulator, id } = await emulatorWith('Contact Created', log)
    const refold = client(emulator)
    const warnings = await warningsDuring(async () => {
      expect((await fire(refold)).firedAs).toBe('Contact Created')
      expect((await fire(refold)).firedAs).toBe('Contact Created')
      expect((await fire(refold)).firedAs).toBe('Contact Created')
    })
    expect(warnings.map((w) => w.code)).toEqual(['REFOLD_FIRED_UNDER_PREVIOUS_NAME'])
    expect(warnings[0]!.message).toContain('fired it under its previous name "Contact Created"')
    expect(fireLog(log, emulator)).toEqual(['404', '200 Contact Created', '200 Contact Created', '200 Contact Created'])

    await api(emulator, 'PUT', `/api/v2/public/application/event/${id}`, { name: 'Contact Added', response: '{"id":"c_1"}' })
    expect((await fire(refold)).firedAs).toBeUndefined()
    expect((await fire(refold)).firedAs).toBeUndefined()
    expect(fireLog(log, emulator).slice(4)).toEqual(['404', '200 Contact Added', '200 Contact Added'])
  })

  it('a throwing onPreviousName hook cannot turn an accepted fire into a rejection a caller would resend', async () => {
    const { emulator } = await emulatorWith('Contact Created', [])
    const refold = createClient({
      apiKey: TEST_KEY,
      baseUrl: emulator.url,
      onPreviousName: () => {
        throw new Error('logger down')
      },
    })
    running.push(refold)
    expect((await fire(refold)).firedAs).toBe('Contact Created')
    expect(emulator.state.fires()).toHaveLength(1)
  })

  it('does not fall back on anything but 404 INVALID_EVENT', async () => {
    const log: RequestLogEntry[] = []
    const { emulator } = await emulatorWith('Contact Created', log)
    const error = await fire(client(emulator, 'tk_wrong')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(log.filter((entry) => entry.routeClass === 'fire')).toHaveLength(1)
  })

  it('refuses previousNames that are not a list of names before sending', async () => {
    const log: RequestLogEntry[] = []
    const { emulator } = await emulatorWith('Contact Created', log)
    const refold = client(emulator)
    for (const previousNames of ['Contact Created', [''], [7]]) {
      const error = await refold
        .fire({ event: 'Contact Added', linkedAccountId: 'a', payload: {}, previousNames: previousNames as never })
        .catch((e: unknown) => e)
      expect((error as Error).message).toBe('previousNames must be a list of non-empty event names, or left out')
    }
    expect(log.filter((entry) => entry.routeClass === 'fire')).toEqual([])
  })
})
