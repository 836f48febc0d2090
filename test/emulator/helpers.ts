/**
 * Shared helpers of the emulator tests: start an emulator on a free loopback port and
 * call it over real HTTP.
 */
import { request } from 'undici'
import type { RunningEmulator } from '../../src/emulator/start-emulator.js'
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js'
import { startTestEmulator } from '../support/emulator.js'
import { tempDir as supportTempDir } from '../support/temp-dir.js'

export const KEY = 'tk_test_key_123'

/** Start an emulator on port 0 with the test key; closed after each test. */
export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startTestEmulator({ apiKey: KEY, ...options })
}

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  return supportTempDir('emulator')
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

/** Call `path` on `base`; a non-string body is sent as JSON with the JSON content type; the key is sent unless `key: null`. */
export async function call(
  base: string | RunningEmulator,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
): Promise<Answer> {
  const url = typeof base === 'string' ? base : base.url
  const headers: Record<string, string> = {}
  if (options.key !== null) headers['x-api-key'] = options.key ?? KEY
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    if (typeof options.body !== 'string') headers['content-type'] = 'application/json'
  }
  Object.assign(headers, options.headers)
  const response = await request(url + path, { method: method as 'GET', headers, body })
  const text = await response.body.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.statusCode, headers: response.headers, text, json }
}

/** Create an event through the API and return its id. */
export async function createEvent(emulator: RunningEmulator, name: string, sample: object, jsonSchema?: object): Promise<string> {
  const answer = await call(emulator, 'POST', '/api/v2/public/application/event', {
    body: { name, response: JSON.stringify(sample), ...(jsonSchema === undefined ? {} : { json_schema: jsonSchema }) },
  })
  if (answer.status !== 200) throw new Error(`create failed: ${answer.status} ${answer.text}`)
  const created = (answer.json as Array<{ _id: string; name: string }>).find((event) => event.name === name)
  return created!._id
}

/** Fire `event` for `linkedAccountId` through `path` (default: the slug-less route). */
export function fire(
  emulator: RunningEmulator,
  event: string,
  payload: unknown,
  options: { path?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return call(emulator, 'POST', options.path ?? '/api/v2/public/event', {
    body: { event, payload },
    headers: { linked_account_id: 'acct-1', ...options.headers },
  })
}
