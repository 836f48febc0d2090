/**
 * Where Refold's documents disagree or offer two forms, the emulator speaks both: events in
 * the endpoint pages' shape or the OpenAPI reference's (`compat.eventShape`), and fires as
 * JSON or as multipart/form-data (issue 12 item 6).
 */
import { describe, expect, it } from 'vitest'
import { call, createEvent, KEY, start } from './helpers.js'

const EVENTS = '/api/v2/public/application/event'

describe('event shapes', () => {
  it('answers the endpoint pages\' shape by default: response as trigger variables, the sample in raw_response', async () => {
    const emulator = await start()
    const id = await createEvent(emulator, 'Deal Won', { deal: { id: 7 } })
    const listed = (await call(emulator, 'GET', EVENTS)).json
    expect(listed).toEqual([{ _id: id, name: 'Deal Won', response: [{ key: 'deal', type: 'object' }, { key: 'deal.id', type: 'text' }], raw_response: '{"deal":{"id":7}}' }])
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
    const answer = await fetch(`${emulator.url}/api/v2/public/event/hubspot`, { method: 'POST', headers: { 'x-api-key': KEY, linked_account_id: 'acct-9' }, body: form })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ message: 'Webhook Fired Success' })
    const [fired] = emulator.state.fires()
    expect(fired!.event).toBe('Document Uploaded')
    expect(fired!.slug).toBe('hubspot')
    expect(fired!.payload).toEqual({
      title: 'Q3 report',
      document: { filename: 'q3.pdf', content_type: 'application/pdf', size: 14, content_base64: Buffer.from('%PDF-1.7 hello').toString('base64') },
    })
  })

  it('answers 400 for a payload field that is not JSON, and 415 for multipart outside fires', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    const form = new FormData()
    form.append('event', 'E')
    form.append('payload', '{not json')
    const bad = await fetch(`${emulator.url}/api/v2/public/event`, { method: 'POST', headers: { 'x-api-key': KEY, linked_account_id: 'a' }, body: form })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toContain('payload must be a JSON string in a multipart fire')
    const create = new FormData()
    create.append('name', 'F')
    const refused = await fetch(`${emulator.url}${EVENTS}`, { method: 'POST', headers: { 'x-api-key': KEY }, body: create })
    expect(refused.status).toBe(415)
  })
})
