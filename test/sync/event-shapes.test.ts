/**
 * Refold documents two shapes of an event: the endpoint pages' `response: [{key, type}]` +
 * `raw_response`, and the OpenAPI reference's `response` as the sample's JSON string. sync
 * and pull must read both: against the OpenAPI form every remote event used to plan as
 * changed. Both run end to end against the emulator answering in each form (issue 12 item 6).
 */
import { describe, expect, it } from 'vitest'
import type { EventShape } from '../../src/emulator/index.js'
import { API_KEY, emulator, eventYaml, project, remoteState } from './harness.js'

const contact = eventYaml('New Contact Created', 'first_name: Jane\nemail: jane@example.com\nbody:\n  title: readme')

describe.each<EventShape>(['endpoint', 'openapi'])('events answered in the %s shape', (eventShape) => {
  it('sync then sync is a no-op; pull then sync is a no-op, for pushed and Console-made events', async () => {
    const refold = await emulator([], { compat: { eventShape } })
    const p = await project({ 'events/contact.yaml': contact })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    const again = await p.cli(['sync', '--detailed-exitcode'], refold)
    expect(again.stdout).toContain('1 event unchanged')
    expect(again.code).toBe(0)

    // An event made in the Console: a sample and no json_schema.
    const console = await fetch(`${refold.url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Deal Won', response: JSON.stringify({ deal_id: 'd_1', amount: 1200 }) }),
    })
    expect(console.status).toBe(200)

    const adopter = await project({})
    const pulled = await adopter.cli(['pull'], refold)
    expect(pulled.stderr).toBe('')
    expect(pulled.stdout).toContain('Pulled 2 events')
    expect(await adopter.read('events/deal-won.yaml')).toContain('sample:\n  deal_id: d_1\n  amount: 1200\n')
    const after = await adopter.cli(['sync', '--detailed-exitcode'], refold)
    expect(after.stdout).toContain('2 events unchanged')
    expect(after.code).toBe(0)
    expect(remoteState(refold).map((e) => e.name)).toEqual(['Deal Won', 'New Contact Created'])
  })
})

describe('Refold before v3.5.35 (a PUT keeping the name was refused)', () => {
  it('sync updates the event anyway, resending the PUT without the name', async () => {
    const refold = await emulator([], { compat: { unchangedNamePutError: true } })
    const p = await project({ 'events/contact.yaml': contact })
    expect((await p.cli(['sync'], refold)).code).toBe(0)
    await p.write(
      'events/contact.yaml',
      eventYaml('New Contact Created', 'first_name: Jane\nemail: jane@example.com\nbody:\n  title: readme\nsource: web'),
    )
    const updated = await p.cli(['sync'], refold)
    expect(updated.stdout).toContain('Applied to REFOLD_BASE_URL: 0 created, 1 updated, 0 deleted.')
    expect(updated.code).toBe(0)
    expect(remoteState(refold)[0]!.sample).toMatchObject({ source: 'web' })
  })
})
