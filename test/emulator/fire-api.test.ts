import { describe, expect, it } from 'vitest'
import type { RequestLogEntry } from '../../src/emulator/request-pipeline.js'
import type { WorkflowDefinition } from '../../src/emulator/types.js'
import { call, createEvent, fire, KEY, start } from './helpers.js'

const WORKFLOWS: WorkflowDefinition[] = [
  {
    id: 'wf-hubspot',
    name: 'Sync contact to HubSpot',
    app: 'hubspot',
    event: 'New Contact Created',
    steps: [{ name: 'Upsert', text: 'Create {{event.first_name}} <{{ event.email }}>' }],
  },
  {
    id: 'wf-sf',
    name: 'Sync contact to Salesforce',
    app: 'salesforce',
    event: 'New Contact Created',
    steps: [{ name: 'Lead', text: 'Lead from {{event.company.name}}' }],
  },
  { id: 'wf-draft', name: 'Draft', app: 'hubspot', event: 'New Contact Created', published: false, steps: [] },
  { id: 'wf-other', name: 'Other event', app: 'hubspot', event: 'Deal Won', steps: [] },
]

describe('fire', () => {
  it("answers the curl from Refold's docs: 404 INVALID_EVENT before the event exists, 200 after", async () => {
    const emulator = await start()
    const body = { event: 'New Contact Created', payload: { first_name: 'Jane', email: 'jane@example.com' } }
    const headers = { linked_account_id: 'acct-1' }
    const before = await call(emulator, 'POST', '/api/v2/public/event/hubspot', { body, headers })
    expect(before.status).toBe(404)
    expect(before.text).toBe('{"status_code":404,"http_error_type":"NOT_FOUND","error_code":"INVALID_EVENT","message":"Trigger not found"}')
    await createEvent(emulator, 'New Contact Created', { first_name: 'Jane', email: 'jane@example.com' })
    const after = await call(emulator, 'POST', '/api/v2/public/event/hubspot', { body, headers })
    expect(after.status).toBe(200)
    expect(after.text).toBe('{"message":"Webhook Fired Success"}')
  })

  it('matches event names exactly and case-sensitively', async () => {
    const emulator = await start()
    await createEvent(emulator, 'New Contact Created', {})
    expect((await fire(emulator, 'new contact created', {})).status).toBe(404)
    expect((await fire(emulator, 'New Contact Created ', {})).status).toBe(404)
    expect((await fire(emulator, 'New Contact Created', {})).status).toBe(200)
  })

  it('takes the name from "trigger" too, and the slug from the path, the slug header or nowhere', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    await call(emulator, 'POST', '/api/v2/public/event/pipedrive', {
      body: { trigger: 'E', payload: {} },
      headers: { linked_account_id: 'a' },
    })
    await call(emulator, 'POST', '/api/v2/public/event/trigger', {
      body: { event: 'E' },
      headers: { linked_account_id: 'a', slug: 'hubspot' },
    })
    await call(emulator, 'POST', '/api/v2/public/event/trigger', { body: { event: 'E' }, headers: { linked_account_id: 'a' } })
    await call(emulator, 'POST', '/api/v2/public/event', { body: { event: 'E' }, headers: { linked_account_id: 'a' } })
    expect(emulator.state.fires().map((f) => f.slug)).toEqual(['pipedrive', 'hubspot', null, null])
    expect(emulator.state.fires().map((f) => f.payload)).toEqual([{}, {}, {}, {}])
  })

  it('records the fire with its headers, never the API key', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    await fire(
      emulator,
      'E',
      { a: 1 },
      { headers: { config_id: 'cfg-9', instance_tag: 'tag-1', authorization: 'Bearer secret-session', 'x-trace': `has ${KEY} inside` } },
    )
    const [record] = emulator.state.fires()
    expect(record).toMatchObject({
      event: 'E',
      linked_account_id: 'acct-1',
      config_id: 'cfg-9',
      instance_tag: 'tag-1',
      payload: { a: 1 },
      schema_errors: [],
      run_ids: [],
    })
    expect(record!.headers.linked_account_id).toBe('acct-1')
    expect(record!.headers['x-api-key']).toBeUndefined()
    expect(record!.headers.authorization).toBeUndefined()
    expect(JSON.stringify(emulator.state.fires())).not.toContain(KEY)
    const listed = await call(emulator, 'GET', '/_emulator/fires')
    expect(listed.text).not.toContain(KEY)
    expect(listed.json).toEqual(emulator.state.fires())
  })

  it("runs every published workflow of the event, or only the slug's, and errors runs missing a variable", async () => {
    const emulator = await start({ workflows: WORKFLOWS })
    await createEvent(emulator, 'New Contact Created', { first_name: 'x', email: 'x', company: { name: 'x' } })
    await fire(emulator, 'New Contact Created', { first_name: 'Jane', email: 'jane@example.com' })
    const runs = emulator.state.runs()
    expect(runs.map((r) => [r.workflow_id, r.status])).toEqual([
      ['wf-hubspot', 'COMPLETED'],
      ['wf-sf', 'ERRORED'],
    ])
    expect(runs[0]!.steps).toEqual([
      { name: 'Upsert', status: 'COMPLETED', output: 'Create Jane <jane@example.com>', missing_variables: [] },
    ])
    expect(runs[1]!.missing_variables).toEqual(['company.name'])
    expect(runs[1]!.steps[0]!.output).toBe('Lead from {{event.company.name}}')
    expect(runs[0]!.config_id).toBe('acct-1') // Refold: config_id defaults to the linked account
    expect(emulator.state.fires()[0]!.run_ids).toEqual(runs.map((r) => r.id))

    await fire(emulator, 'New Contact Created', { first_name: 'Bob', email: 'b@x.io' }, { path: '/api/v2/public/event/salesforce' })
    const slugRuns = emulator.state.runs().slice(2)
    expect(slugRuns.map((r) => r.workflow_id)).toEqual(['wf-sf'])
    const byApi = await call(emulator, 'GET', '/_emulator/runs?workflow_id=wf-sf&status=ERRORED')
    expect(byApi.json.map((r: { id: string }) => r.id)).toEqual([runs[1]!.id, slugRuns[0]!.id])
    expect((await call(emulator, 'GET', `/_emulator/runs/${runs[0]!.id}`)).json).toEqual(runs[0])
  })

  it('says in the request log what a fire caused, and why a request failed', async () => {
    const log: RequestLogEntry[] = []
    const emulator = await start({ workflows: WORKFLOWS, log: (entry) => log.push(entry) })
    await createEvent(emulator, 'New Contact Created', {}, { type: 'object', required: ['email'] })
    await fire(emulator, 'New Contact Created', { first_name: 'Jane' })
    await fire(emulator, 'Nope', {})
    await fire(emulator, 'New Contact Created', { email: 'x' }, { path: '/api/v2/public/event/pipedrive' })
    expect(log.slice(1).map((entry) => [entry.status, entry.note])).toEqual([
      [
        200,
        '"New Contact Created" for acct-1: 2 runs, 2 errored (Sync contact to HubSpot: email; Sync contact to Salesforce: company.name), 1 schema mismatch',
      ],
      [404, 'Trigger not found'],
      // Not "no workflow attached": the event has workflows, for other apps.
      [
        200,
        '"New Contact Created" for acct-1: 0 runs (no workflow for app "pipedrive"; this event\'s workflows are for hubspot, salesforce)',
      ],
    ])
  })

  it('records payload mismatches against the event json_schema without refusing the fire', async () => {
    const emulator = await start()
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/e.json',
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, age: { type: 'integer' } },
      required: ['email'],
      additionalProperties: false,
    }
    await createEvent(emulator, 'Checked', { email: 'a@b.co' }, schema)
    expect((await fire(emulator, 'Checked', { email: 'a@b.co', age: 3 })).status).toBe(200)
    expect((await fire(emulator, 'Checked', { email: 'nope', age: 'x', extra: true })).status).toBe(200)
    const [good, bad] = emulator.state.fires()
    expect(good!.schema_errors).toEqual([])
    expect(bad!.schema_errors).toEqual(
      expect.arrayContaining([
        { path: '', message: 'must NOT have additional properties: "extra"' },
        { path: '/email', message: 'must match format "email"' },
        { path: '/age', message: 'must be integer' },
      ]),
    )
    // A changed schema with the same $id is compiled afresh.
    const id = emulator.state.events()[0]!._id
    await call(emulator, 'PUT', `/api/v2/public/application/event/${id}`, {
      body: { name: 'Checked', response: '{}', json_schema: { ...schema, required: ['age'] } },
    })
    await fire(emulator, 'Checked', { email: 'a@b.co' })
    expect(emulator.state.fires()[2]!.schema_errors).toEqual([{ path: '', message: "must have required property 'age'" }])
  })

  it('records an uncompilable json_schema as a mismatch instead of failing', async () => {
    const emulator = await start()
    await createEvent(emulator, 'Broken', {}, { type: 'object', properties: { a: { type: 'no-such-type' } } })
    expect((await fire(emulator, 'Broken', { a: 1 })).status).toBe(200)
    expect(emulator.state.fires()[0]!.schema_errors[0]!.message).toMatch(/could not be compiled/)
  })

  it('answers 400 without linked_account_id, and 400 for a body that is not a fire', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    const noAccount = await call(emulator, 'POST', '/api/v2/public/event/hubspot', { body: { event: 'E', payload: {} } })
    expect(noAccount.status).toBe(400)
    expect(noAccount.json).toEqual({
      status_code: 400,
      http_error_type: 'BAD_REQUEST',
      error_code: 'LINKED_ACCOUNT_ID_REQUIRED',
      message: 'linked_account_id header is required: the linked account the event fires for',
    })
    for (const [body, message] of [
      [undefined, 'Request body must be a JSON object'],
      [{ payload: {} }, 'event is required'],
      [{ event: 5 }, 'event must be a string'],
      [{ event: 'E', payload: [1] }, 'payload must be a JSON object'],
      [{ event: 'E', payload: null }, 'payload must be a JSON object'],
    ] as const) {
      const answer = await call(emulator, 'POST', '/api/v2/public/event', { body, headers: { linked_account_id: 'a' } })
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual({
        status_code: 400,
        http_error_type: 'BAD_REQUEST',
        error_code: 'INVALID_REQUEST_BODY',
        message: expect.stringContaining(message),
      })
    }
    expect(emulator.state.fires()).toEqual([])
  })

  it('filters and limits the fires inspection route', async () => {
    const emulator = await start()
    await createEvent(emulator, 'A', {})
    await createEvent(emulator, 'B', {})
    for (const name of ['A', 'B', 'A', 'A']) await fire(emulator, name, {})
    expect((await call(emulator, 'GET', '/_emulator/fires?event=A')).json).toHaveLength(3)
    const lastTwo = (await call(emulator, 'GET', '/_emulator/fires?limit=2')).json
    expect(lastTwo.map((f: { event: string }) => f.event)).toEqual(['A', 'A'])
    const one = emulator.state.fires()[1]!
    expect((await call(emulator, 'GET', `/_emulator/fires/${one.id}`)).json).toEqual(one)
    expect((await call(emulator, 'GET', '/_emulator/fires/nope')).status).toBe(404)
    expect((await call(emulator, 'GET', '/_emulator/fires?limit=x')).status).toBe(400)
  })

  it('keeps only the newest history entries', async () => {
    const emulator = await start({ historyLimit: 3 })
    await createEvent(emulator, 'E', {})
    for (let i = 0; i < 5; i++) await fire(emulator, 'E', { i })
    expect(emulator.state.fires().map((f) => f.payload.i)).toEqual([2, 3, 4])
  })

  it('resets history or everything', async () => {
    const emulator = await start()
    await createEvent(emulator, 'E', {})
    await fire(emulator, 'E', {})
    expect((await call(emulator, 'POST', '/_emulator/reset?scope=history')).json).toEqual({
      message: 'Emulator state reset',
      scope: 'history',
    })
    expect(emulator.state.fires()).toEqual([])
    expect(emulator.state.events()).toHaveLength(1)
    expect((await call(emulator, 'POST', '/_emulator/reset?scope=bogus')).status).toBe(400)
    await call(emulator, 'POST', '/_emulator/reset')
    expect(emulator.state.events()).toEqual([])
  })
})
