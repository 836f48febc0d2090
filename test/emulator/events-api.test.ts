import { describe, expect, it } from 'vitest'
import { call, createEvent, start } from './helpers.js'

const EVENTS = '/api/v2/public/application/event'

describe('events API', () => {
  it('lists nothing at first, then what was created, with Refold trigger variables', async () => {
    const emulator = await start()
    expect((await call(emulator, 'GET', EVENTS)).json).toEqual([])
    const raw = JSON.stringify({
      first_name: 'John',
      prospect: { email: 'j@x.io', address: { city: 'Oslo' } },
      tags: ['a'],
      age: 3,
      vip: false,
      company: null,
    })
    const created = await call(emulator, 'POST', EVENTS, { body: { name: 'Add Contact', response: raw } })
    expect(created.status).toBe(200)
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(created.json).toEqual([
      {
        _id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'Add Contact',
        response: [
          { key: 'first_name', type: 'text' },
          { key: 'prospect', type: 'object' },
          { key: 'prospect.email', type: 'text' },
          { key: 'prospect.address', type: 'object' },
          { key: 'prospect.address.city', type: 'text' },
          { key: 'tags', type: 'object' },
          { key: 'age', type: 'text' },
          { key: 'vip', type: 'text' },
          { key: 'company', type: 'text' },
        ],
        raw_response: raw,
      },
    ])
    expect((await call(emulator, 'GET', EVENTS)).json).toEqual(created.json)
  })

  it('keeps raw_response byte for byte, in both documented sample forms', async () => {
    const emulator = await start()
    const payloadForm = '{ "jobid" : "123",\n  "email": "jane@example.com" }'
    const envelopeForm = JSON.stringify({ event: 'candidate_created', payload: { jobid: '123', email: 'jane@example.com' } })
    await call(emulator, 'POST', EVENTS, { body: { name: 'payload form', response: payloadForm } })
    const list = await call(emulator, 'POST', EVENTS, { body: { name: 'candidate_created', response: envelopeForm } })
    const [first, second] = list.json
    expect(first.raw_response).toBe(payloadForm)
    expect(second.raw_response).toBe(envelopeForm)
    // Refold derives the variables from the sample as given (its docs show the envelope's keys).
    expect(second.response).toEqual([
      { key: 'event', type: 'text' },
      { key: 'payload', type: 'object' },
      { key: 'payload.jobid', type: 'text' },
      { key: 'payload.email', type: 'text' },
    ])
  })

  it('accepts response as an object (older docs) and stores it as its JSON string', async () => {
    const emulator = await start()
    const list = await call(emulator, 'POST', EVENTS, { body: { name: 'Delete Contact', response: { contact_id: 'x1' } } })
    expect(list.json[0].raw_response).toBe('{"contact_id":"x1"}')
  })

  it('stores json_schema and answers it on list and get', async () => {
    const emulator = await start()
    const schema = { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] }
    const id = await createEvent(emulator, 'With Schema', { email: 'a@b.co' }, schema)
    const got = await call(emulator, 'GET', `${EVENTS}/${id}`)
    expect(got.status).toBe(200)
    expect(got.json).toEqual({
      _id: id,
      name: 'With Schema',
      response: [{ key: 'email', type: 'text' }],
      raw_response: '{"email":"a@b.co"}',
      json_schema: schema,
    })
  })

  it('updates an event and answers with the whole array; an absent json_schema removes it', async () => {
    const emulator = await start()
    const first = await createEvent(emulator, 'One', { a: 1 }, { type: 'object' })
    await createEvent(emulator, 'Two', { b: 1 })
    const updated = await call(emulator, 'PUT', `${EVENTS}/${first}`, { body: { name: 'One renamed', response: '{"a":1,"c":{"d":"x"}}' } })
    expect(updated.status).toBe(200)
    expect(updated.json.map((e: { name: string }) => e.name)).toEqual(['One renamed', 'Two'])
    expect(updated.json[0]).toEqual({
      _id: first,
      name: 'One renamed',
      response: [
        { key: 'a', type: 'text' },
        { key: 'c', type: 'object' },
        { key: 'c.d', type: 'text' },
      ],
      raw_response: '{"a":1,"c":{"d":"x"}}',
    })
    // The old name is free again; the new one is taken.
    expect((await call(emulator, 'POST', EVENTS, { body: { name: 'One', response: '{}' } })).status).toBe(200)
    expect((await call(emulator, 'POST', EVENTS, { body: { name: 'One renamed', response: '{}' } })).status).toBe(400)
  })

  it('keeps the name when an update does not change it', async () => {
    const emulator = await start()
    const id = await createEvent(emulator, 'Same', { a: 1 })
    const updated = await call(emulator, 'PUT', `${EVENTS}/${id}`, { body: { name: 'Same', response: '{"a":2}' } })
    expect(updated.status).toBe(200)
    expect(updated.json[0].raw_response).toBe('{"a":2}')
  })

  it('deletes an event and answers with the remaining array', async () => {
    const emulator = await start()
    const one = await createEvent(emulator, 'One', { a: 1 })
    const two = await createEvent(emulator, 'Two', { b: 1 })
    const deleted = await call(emulator, 'DELETE', `${EVENTS}/${one}`)
    expect(deleted.status).toBe(200)
    expect(deleted.json.map((e: { _id: string }) => e._id)).toEqual([two])
    expect((await call(emulator, 'GET', `${EVENTS}/${one}`)).status).toBe(404)
  })

  it('refuses a taken name with 400 INVALID_EVENT_ID, matching names case-sensitively', async () => {
    const emulator = await start()
    await createEvent(emulator, 'New Contact Created', { a: 1 })
    const taken = await call(emulator, 'POST', EVENTS, { body: { name: 'New Contact Created', response: '{}' } })
    expect(taken.status).toBe(400)
    expect(taken.json).toEqual({
      status_code: 400,
      http_error_type: 'BAD_REQUEST',
      error: 'INVALID_EVENT_ID',
      message: 'Trigger with name New Contact Created already exists',
    })
    expect((await call(emulator, 'POST', EVENTS, { body: { name: 'new contact created', response: '{}' } })).status).toBe(200)
    // Renaming onto a taken name is refused the same way.
    const other = await createEvent(emulator, 'Other', {})
    const rename = await call(emulator, 'PUT', `${EVENTS}/${other}`, { body: { name: 'New Contact Created', response: '{}' } })
    expect(rename.status).toBe(400)
    expect(rename.json.error).toBe('INVALID_EVENT_ID')
  })

  it('answers 404 RESOURCE_NOT_FOUND for an unknown id on get, update and delete', async () => {
    const emulator = await start()
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { name: 'x', response: '{}' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await call(emulator, method, `${EVENTS}/000000000000000000000000`, { body })
      expect(answer.status).toBe(404)
      expect(answer.json).toEqual({
        status_code: 404,
        http_error_type: 'NOT_FOUND',
        error: 'RESOURCE_NOT_FOUND',
        message: 'Event with id 000000000000000000000000 not found',
      })
    }
  })

  it.each([
    ['no body', undefined, 'Request body must be a JSON object'],
    ['an array body', [], 'Request body must be a JSON object'],
    ['a missing name', { response: '{}' }, 'name is required'],
    ['an empty name', { name: ' ', response: '{}' }, 'name must be a non-empty string'],
    ['a non-string name', { name: 7, response: '{}' }, 'name must be a non-empty string'],
    ['a missing response', { name: 'x' }, 'response is required'],
    ['a response that is not JSON', { name: 'x', response: '{"a":' }, 'response is not valid JSON'],
    ['a response that is a JSON array', { name: 'x', response: '[1]' }, 'response must be a JSON object'],
    ['a response that is a number', { name: 'x', response: 5 }, 'response must be a JSON object'],
    [
      'a json_schema that is not an object',
      { name: 'x', response: '{}', json_schema: 'string' },
      'json_schema must be a JSON Schema object',
    ],
  ])('answers 400 with the envelope for %s', async (_case, body, message) => {
    const emulator = await start()
    for (const [method, path] of [
      ['POST', EVENTS],
      ['PUT', `${EVENTS}/${await createEvent(emulator, `e${Math.random()}`, {})}`],
    ] as const) {
      const answer = await call(emulator, method, path, { body })
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual({
        status_code: 400,
        http_error_type: 'BAD_REQUEST',
        error: 'INVALID_REQUEST_BODY',
        message: expect.stringContaining(message),
      })
    }
  })
})
