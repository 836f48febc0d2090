/**
 * Where Refold's documents disagree or offer two forms, the emulator speaks both: events in
 * the endpoint pages' shape or the OpenAPI reference's (`compat.eventShape`), and fires as
 * JSON or as multipart/form-data (issue 12 item 6).
 */
import { describe, expect, it } from 'vitest'
import { call, createEvent, KEY, start, tempDir } from './helpers.js'

const EVENTS = '/api/v2/public/application/event'

describe('event shapes', () => {
  it("answers the endpoint pages' shape by default: response as trigger variables, the sample in raw_response", async () => {
    const emulator = await start()
    const id = await createEvent(emulator, 'Deal Won', { deal: { id: 7 } })
    const listed = (await call(emulator, 'GET', EVENTS)).json
    expect(listed).toEqual([
      {
        _id: id,
        name: 'Deal Won',
        response: [
          { key: 'deal', type: 'object' },
          { key: 'deal.id', type: 'text' },
        ],
        raw_response: '{"deal":{"id":7}}',
      },
    ])
  })

  it('answers the OpenAPI CustomTrigger shape behind compat.eventShape: response is the sample as a JSON string', async () => {
    const emulator = await start({ compat: { eventShape: 'openapi' } })
    const schema = { type: 'object' }
    const id = await createEvent(emulator, 'Deal Won', { deal: { id: 7 } }, schema)
    const expected = { _id: id, name: 'Deal Won', response: '{"deal":{"id":7}}', json_schema: schema }
    expect((await call(emulator, 'GET', EVENTS)).json).toEqual([expected])
    expect((await call(emulator, 'GET', `${EVENTS}/${id}`)).json).toEqual(expected)
    const updated = await call(emulator, 'PUT', `${EVENTS}/${id}`, { body: { name: 'Deal Won', response: '{"deal":{"id":8}}' } })
    expect(updated.json).toEqual([{ _id: id, name: 'Deal Won', response: '{"deal":{"id":8}}' }])
  })

  it('refuses an unknown shape when starting', async () => {
    await expect(start({ compat: { eventShape: 'xml' as never } })).rejects.toThrow('compat.eventShape must be "endpoint" or "openapi"')
  })
})

describe('multipart fires', () => {
  it('takes event, payload as a JSON string, and merges file fields into the payload', async () => {
    const emulator = await start()
    await createEvent(emulator, 'Document Uploaded', { title: 'x' })
    const form = new FormData()
    form.append('event', 'Document Uploaded')
    form.append('payload', JSON.stringify({ title: 'Q3 report' }))
    form.append('document', new Blob(['%PDF-1.7 hello'], { type: 'application/pdf' }), 'q3.pdf')
    const answer = await fetch(`${emulator.url}/api/v2/public/event/hubspot`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, linked_account_id: 'acct-9' },
      body: form,
    })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ message: 'Webhook Fired Success' })
    const [fired] = emulator.state.fires()
    expect(fired!.event).toBe('Document Uploaded')
    expect(fired!.slug).toBe('hubspot')
    expect(fired!.payload).toEqual({
      title: 'Q3 report',
      document: {
        filename: 'q3.pdf',
        content_type: 'application/pdf',
        size: 14,
        content_base64: Buffer.from('%PDF-1.7 hello').toString('base64'),
      },
    })
  })

  it('answers 400 for a payload field that is not JSON, and 415 for multipart outside fires', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    const form = new FormData()
    form.append('event', 'E')
    form.append('payload', '{not json')
    const bad = await fetch(`${emulator.url}/api/v2/public/event`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, linked_account_id: 'a' },
      body: form,
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toContain('payload must be a JSON string in a multipart fire')
    const create = new FormData()
    create.append('name', 'F')
    const refused = await fetch(`${emulator.url}${EVENTS}`, { method: 'POST', headers: { 'x-api-key': KEY }, body: create })
    expect(refused.status).toBe(415)
  })
})

describe('event ids, as Refold binds them', () => {
  it('serves GET, PUT and DELETE of one event on both path families; POST on /event/{slug} still fires', async () => {
    const emulator = await start()
    const id = await createEvent(emulator, 'E', { a: 1 })
    for (const base of ['/api/v2/public/application/event', '/api/v2/public/event']) {
      expect((await call(emulator, 'GET', `${base}/${id}`)).json).toMatchObject({ _id: id, name: 'E' })
    }
    const put = await call(emulator, 'PUT', `/api/v2/public/event/${id}`, { body: { name: 'E', response: '{"a":2}' } })
    expect(put.status).toBe(200)
    expect(put.json[0].raw_response).toBe('{"a":2}')
    const fired = await call(emulator, 'POST', '/api/v2/public/event/hubspot', {
      body: { event: 'E', payload: { a: 3 } },
      headers: { linked_account_id: 'x' },
    })
    expect(fired.status).toBe(200)
    expect((await call(emulator, 'DELETE', `/api/v2/public/event/${id}`)).json).toEqual([])
    expect((await call(emulator, 'PATCH', `/api/v2/public/event/${id}`)).status).toBe(405)
  })

  it('keeps workflows attached to a renamed event, across restarts', async () => {
    const dir = tempDir()
    const workflows = [
      { id: 'wf1', name: 'Welcome', app: 'hubspot', event: 'Contact Created', steps: [{ name: 'Mail', text: 'Hi {{event.first_name}}' }] },
    ]
    const first = await start({ stateFile: `${dir}/state.json`, workflows })
    const id = await createEvent(first, 'Contact Created', { first_name: 'Jane' })
    await call(first, 'PUT', `/api/v2/public/application/event/${id}`, {
      body: { name: 'Contact Added', response: '{"first_name":"Jane"}' },
    })
    await first.close()
    const second = await start({ stateFile: `${dir}/state.json`, workflows })
    const fired = await call(second, 'POST', '/api/v2/public/event/trigger', {
      body: { event: 'Contact Added', payload: { first_name: 'Jo' } },
      headers: { linked_account_id: 'x' },
    })
    expect(fired.status).toBe(200)
    expect(second.state.runs().map((r) => [r.workflow_name, r.status])).toEqual([['Welcome', 'COMPLETED']])
    const document = (await call(second, 'GET', '/api/v2/public/workflow/wf1')).json
    expect(document.nodes[0].triggers[0]).toEqual({ application: 'Custom App', event: 'Contact Added', event_id: id })
  })

  it('reproduces Refold before v3.5.35 behind compat.unchangedNamePutError: a PUT keeping the name is refused, one without it is not', async () => {
    const emulator = await start({ compat: { unchangedNamePutError: true } })
    const id = await createEvent(emulator, 'E', { a: 1 })
    const refused = await call(emulator, 'PUT', `/api/v2/public/application/event/${id}`, { body: { name: 'E', response: '{"a":2}' } })
    expect(refused.status).toBe(400)
    expect(refused.json).toMatchObject({ error: 'INVALID_EVENT_ID', message: 'Trigger with name E already exists' })
    const accepted = await call(emulator, 'PUT', `/api/v2/public/application/event/${id}`, { body: { response: '{"a":2}' } })
    expect(accepted.status).toBe(200)
    expect(accepted.json[0]).toMatchObject({ name: 'E', raw_response: '{"a":2}' })
  })
})
