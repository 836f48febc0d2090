import { describe, expect, it } from 'vitest'
import { planSync } from '../../../src/sync/plan/plan-sync.js'
import type { PlannedChange, SyncPlan } from '../../../src/sync/sync-types.js'
import { arr, compiled, testInfer, input, int, nullable, num, obj, opt, remoteOf, str, workflow } from '../fixtures.js'

const contactSample = { first_name: 'Jane', email: 'jane@example.com', age: 41, address: { city: 'Lyon', zip: '69001' } }
const contactSchema = () => obj({ first_name: str(), email: str('email'), age: int(), address: obj({ city: str(), zip: str() }) })
const contact = compiled('New Contact Created', contactSample, contactSchema())

function changesOf(plan: SyncPlan, event = 'New Contact Created'): PlannedChange[] {
  return plan.events.find((e) => e.name === event)?.changes ?? []
}

/** Plan a change of the contact event against the remote copy of the original. */
function planEdit(
  sample: Record<string, unknown>,
  schema: ReturnType<typeof obj>,
  options: {
    templates?: string[]
    extra?: Parameters<typeof compiled>[3]
    strict?: boolean
    allowBreaking?: boolean
    scanFails?: boolean
  } = {},
): SyncPlan {
  const local = compiled('New Contact Created', sample as never, schema, options.extra)
  const flows = options.templates === undefined ? [] : [workflow('wf1', 'Sync contact to CRM', 'New Contact Created', options.templates)]
  return planSync(
    input({
      local: [local],
      remote: [remoteOf(contact, 'ev1')],
      workflows: options.scanFails === true ? { ok: false, error: 'HTTP 503' } : { ok: true, workflows: flows },
      options: { prune: false, strict: options.strict ?? false, allowBreaking: options.allowBreaking ?? false },
    }),
  )
}

const withoutAge = () => {
  const { age: _age, ...rest } = contactSample
  return rest
}
const schemaWithoutAge = () => obj({ first_name: str(), email: str('email'), address: obj({ city: str(), zip: str() }) })

describe('planSync: events', () => {
  it('creates every event when the remote is empty, with the body sync writes', () => {
    const plan = planSync(input({ local: [contact] }))
    expect(plan.events).toHaveLength(1)
    const [event] = plan.events
    expect(event!.action).toBe('create')
    expect(event!.body).toEqual({ name: 'New Contact Created', response: JSON.stringify(contactSample), json_schema: contactSchema() })
    expect(event!.changes.map((c) => [c.kind, c.severity])).toEqual([['event-created', 'additive']])
    expect(event!.changes[0]!.message).toBe('event "New Contact Created" created (6 trigger variables)')
    expect(plan.summary).toMatchObject({ create: 1, update: 0, delete: 0, unchanged: 0, breaking: 0 })
  })

  it('writes the {event, payload} envelope when configured', () => {
    const plan = planSync(input({ local: [contact], responseForm: 'envelope' }))
    expect(JSON.parse(plan.events[0]!.body!.response)).toEqual({ event: 'New Contact Created', payload: contactSample })
  })

  it('is unchanged when sample and schema are equal regardless of key order', () => {
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value
    const reordered = reverseKeys(contactSchema()) as never
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(contactSchema()))
    const shuffledSample = { address: { zip: '69001', city: 'Lyon' }, age: 41, email: 'jane@example.com', first_name: 'Jane' }
    const remote = remoteOf(contact, 'ev1', { sample: shuffledSample, jsonSchema: reordered })
    const plan = planSync(input({ local: [contact], remote: [remote] }))
    expect(plan.events[0]).toMatchObject({ action: 'unchanged', remoteId: 'ev1', body: null, changes: [] })
  })

  it('takes a remote event without json_schema to have the schema its sample infers to', () => {
    const plain = compiled('New Contact Created', contactSample, testInfer(contactSample))
    const plan = planSync(input({ local: [plain], remote: [remoteOf(plain, 'ev1', { jsonSchema: null })] }))
    expect(plan.events[0]!.action).toBe('unchanged')
    // ...while a local schema saying more than inference (a format) is written.
    const richer = planSync(input({ local: [contact], remote: [remoteOf(contact, 'ev1', { jsonSchema: null })] }))
    expect(richer.events[0]).toMatchObject({ action: 'update', differences: ['json_schema'] })
    expect(richer.events[0]!.changes.map((c) => [c.kind, c.severity])).toEqual([['format-changed', 'none']])
  })

  it('updates when only the sample changed, with no field change', () => {
    const local = compiled('New Contact Created', { ...contactSample, first_name: 'Bob' }, contactSchema())
    const plan = planSync(input({ local: [local], remote: [remoteOf(contact, 'ev1')] }))
    expect(plan.events[0]).toMatchObject({ action: 'update', differences: ['sample'], changes: [] })
    expect(plan.events[0]!.remoteFingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('lists remote events without YAML as unmanaged, and deletes them only with --prune', () => {
    const old = compiled('Legacy Thing', { id: 'x' }, obj({ id: str() }))
    const kept = planSync(input({ local: [contact], remote: [remoteOf(contact, 'ev1'), remoteOf(old, 'ev2')] }))
    expect(kept.unmanaged).toEqual([{ name: 'Legacy Thing', id: 'ev2', workflows: 0 }])
    expect(kept.events.map((e) => e.action)).toEqual(['unchanged'])

    const pruned = planSync(
      input({
        local: [contact],
        remote: [remoteOf(contact, 'ev1'), remoteOf(old, 'ev2')],
        options: { prune: true, strict: false, allowBreaking: false },
      }),
    )
    const deletion = pruned.events.find((e) => e.action === 'delete')!
    expect(deletion).toMatchObject({ name: 'Legacy Thing', remoteId: 'ev2' })
    expect(deletion.changes[0]).toMatchObject({ kind: 'event-deleted', severity: 'warning', blocking: false })
    expect(pruned.summary.delete).toBe(1)
  })

  it('blocks --prune of an event a workflow is triggered by, naming the workflow', () => {
    const old = compiled('Legacy Thing', { id: 'x' }, obj({ id: str() }))
    const plan = planSync(
      input({
        remote: [remoteOf(old, 'ev2')],
        workflows: { ok: true, workflows: [workflow('wf9', 'Legacy flow', 'Legacy Thing', ['{{event.id}}'], 'salesforce')] },
        options: { prune: true, strict: false, allowBreaking: false },
      }),
    )
    const change = plan.events[0]!.changes[0]!
    expect(change).toMatchObject({ kind: 'event-deleted', severity: 'breaking', blocking: true })
    expect(change.readers).toEqual([{ workflowId: 'wf9', workflowName: 'Legacy flow', app: 'salesforce', references: ['{{event.id}}'] }])
    expect(plan.summary.breaking).toBe(1)
  })

  it('plans a probable event rename as a PUT on the same id, blocked while the old event has workflows', () => {
    const renamed = compiled('Contact Added', contactSample, contactSchema())
    const remote = remoteOf(contact, 'ev1')
    const flows = [workflow('wf1', 'Welcome mail', 'New Contact Created', ['Hi {{event.first_name}}'])]
    for (const prune of [false, true]) {
      const plan = planSync(
        input({
          local: [renamed],
          remote: [remote],
          workflows: { ok: true, workflows: flows },
          options: { prune, strict: false, allowBreaking: false },
        }),
      )
      expect(plan.events.map((e) => [e.action, e.name, e.remoteId, e.renamedFrom])).toEqual([
        ['update', 'Contact Added', 'ev1', 'New Contact Created'],
      ])
      const [update] = plan.events
      expect(update!.body!.name).toBe('Contact Added')
      const rename = update!.changes.find((c) => c.kind === 'event-renamed')!
      expect(rename).toMatchObject({
        event: 'New Contact Created',
        to: 'Contact Added',
        severity: 'breaking',
        blocking: true,
        evidence: 'same-fields',
      })
      expect(rename.message).toBe('event "New Contact Created" probably renamed to "Contact Added" (100% of trigger variables in common)')
      expect(rename.readers[0]!.workflowName).toBe('Welcome mail')
      expect(plan.unmanaged).toEqual([])
      expect(plan.summary.breaking).toBe(1)
    }
  })

  it('acknowledges an event rename with allowBreaking "*"', () => {
    const renamed = compiled('Contact Added', contactSample, contactSchema(), {
      allowBreaking: [{ field: '*', reason: 'workflows moved in the Console' }],
    })
    const flows = [workflow('wf1', 'Welcome mail', 'New Contact Created', ['{{event.first_name}}'])]
    const plan = planSync(input({ local: [renamed], remote: [remoteOf(contact, 'ev1')], workflows: { ok: true, workflows: flows } }))
    const rename = plan.events[0]!.changes.find((c) => c.kind === 'event-renamed')!
    expect(rename).toMatchObject({
      severity: 'breaking',
      blocking: false,
      acknowledged: { by: 'allowBreaking', reason: 'workflows moved in the Console' },
    })
    expect(plan.summary).toMatchObject({ breaking: 0, acknowledged: 1 })
  })

  it('does not pair unrelated events as a rename', () => {
    const other = compiled('Invoice Paid', { invoice_id: 'in_1', amount: 10 }, obj({ invoice_id: str(), amount: int() }))
    const plan = planSync(input({ local: [other], remote: [remoteOf(contact, 'ev1')] }))
    expect(plan.events[0]!.renamedFrom).toBeNull()
    expect(plan.events[0]!.changes.map((c) => c.kind)).toEqual(['event-created'])
  })

  it('notes a remote event whose name differs only in case, and duplicate remote names', () => {
    const lower = compiled('new contact created', contactSample, contactSchema())
    const plan = planSync(input({ local: [contact], remote: [remoteOf(lower, 'ev2'), remoteOf(lower, 'ev3')] }))
    const messages = plan.notes.map((n) => n.message)
    expect(messages.some((m) => m.includes('differs from "New Contact Created" only in case'))).toBe(true)
    expect(messages.some((m) => m.includes('several events named "new contact created" (ev2, ev3)'))).toBe(true)
  })
})

describe('planSync: fields and severity', () => {
  it('an added optional field is additive; an added required one says so', () => {
    const plan = planEdit({ ...contactSample, phone: '+33 1' }, obj({ ...contactSchema().properties!, phone: opt(str()) } as never))
    expect(changesOf(plan).map((c) => [c.kind, c.path, c.severity, c.message])).toEqual([
      ['field-added', 'phone', 'additive', 'field "phone" added (optional, string)'],
    ])
    const required = planEdit({ ...contactSample, phone: '+33 1' }, obj({ ...contactSchema().properties!, phone: str() } as never))
    expect(changesOf(required)[0]!.message).toBe('field "phone" added (required, string)')
    expect(plan.summary).toMatchObject({ update: 1, breaking: 0, additive: 1 })
  })

  it('a removed field a workflow reads is breaking and names the workflow, the reference and the YAML line', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { templates: ['Age: {{ event.age }}', '{{event.email}}'] })
    const [change] = changesOf(plan)
    expect(change).toMatchObject({ kind: 'field-removed', path: 'age', severity: 'breaking', blocking: true, reason: 'read by 1 workflow' })
    expect(change!.readers).toEqual([
      { workflowId: 'wf1', workflowName: 'Sync contact to CRM', app: 'hubspot', references: ['{{ event.age }}'] },
    ])
    expect(change!.location).toEqual({ file: 'events/new-contact-created.yaml', line: 2, column: 1 })
    expect(plan.summary.breaking).toBe(1)
  })

  it('the same removal of a field nobody reads is a non-blocking warning', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { templates: ['{{event.email}}'] })
    expect(changesOf(plan)[0]).toMatchObject({ severity: 'warning', blocking: false, reason: 'no workflow reads it', readers: [] })
    expect(plan.summary).toMatchObject({ breaking: 0, warnings: 1 })
  })

  it('--strict keeps an unread removal blocking', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { templates: [], strict: true })
    expect(changesOf(plan)[0]).toMatchObject({ severity: 'breaking', blocking: true })
    expect(changesOf(plan)[0]!.reason).toContain('--strict')
  })

  it('a failed workflow scan makes every would-be-breaking change breaking', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { scanFails: true })
    expect(changesOf(plan)[0]).toMatchObject({ severity: 'breaking', blocking: true })
    expect(changesOf(plan)[0]!.reason).toContain('HTTP 503')
  })

  it('removing an object reports it once, read through any child reference', () => {
    const { address: _a, ...rest } = contactSample
    const plan = planEdit(rest, obj({ first_name: str(), email: str('email'), age: int() }), { templates: ['{{event.address.city}}'] })
    expect(changesOf(plan).map((c) => [c.kind, c.path])).toEqual([['field-removed', 'address']])
    expect(changesOf(plan)[0]!.readers[0]!.references).toEqual(['{{event.address.city}}'])
  })

  it('a workflow reading a whole object reads every field inside it', () => {
    const plan = planEdit(
      { ...contactSample, address: { city: 'Lyon', zip: 69001 } },
      obj({ first_name: str(), email: str('email'), age: int(), address: obj({ city: str(), zip: int() }) }),
      { templates: ['{{event.address}}'] },
    )
    expect(changesOf(plan)[0]).toMatchObject({ kind: 'type-changed', path: 'address.zip', severity: 'breaking' })
    expect(changesOf(plan)[0]!.message).toBe('field "address.zip" type changed from string to integer')
  })

  it('type changes: widening or changing is breaking when read, narrowing is none', () => {
    const retyped = planEdit({ ...contactSample, age: '41' }, obj({ ...contactSchema().properties!, age: str() } as never), {
      templates: ['{{event.age}}'],
    })
    expect(changesOf(retyped)[0]).toMatchObject({ kind: 'type-changed', severity: 'breaking' })
    const widened = planEdit({ ...contactSample, age: 41.5 }, obj({ ...contactSchema().properties!, age: num() } as never), {
      templates: ['{{event.age}}'],
    })
    expect(changesOf(widened)[0]).toMatchObject({ kind: 'type-changed', severity: 'breaking' })
  })

  it('narrowing number to integer is harmless', () => {
    const numberContact = compiled('New Contact Created', contactSample, obj({ ...contactSchema().properties!, age: num() } as never))
    const plan = planSync(
      input({
        local: [contact],
        remote: [remoteOf(numberContact, 'ev1')],
        workflows: { ok: true, workflows: [workflow('wf1', 'W', 'New Contact Created', ['{{event.age}}'])] },
      }),
    )
    expect(changesOf(plan)[0]).toMatchObject({ kind: 'type-changed', severity: 'none', blocking: false, readers: [] })
  })

  it('nullability: becoming nullable is breaking when read; the reverse is none', () => {
    const loosened = planEdit(contactSample, obj({ ...contactSchema().properties!, first_name: nullable(str()) } as never), {
      templates: ['{{event.first_name}}'],
    })
    expect(changesOf(loosened)[0]).toMatchObject({
      kind: 'nullability-changed',
      severity: 'breaking',
      message: 'field "first_name" can now be null',
    })
  })

  it('a widening the recorded examples already show is additive even when read (issue 10: learn, then sync)', () => {
    const properties = contactSchema().properties!
    const templates = ['{{event.first_name}} {{event.age}} {{event.address.zip}}']
    const { first_name: _first, ...withoutName } = contactSample
    const learned = planEdit(
      contactSample,
      obj({ ...properties, first_name: nullable(str()), age: num(), address: obj({ city: str(), zip: opt(str()) }) } as never),
      {
        templates,
        extra: { examples: [{ ...withoutName, first_name: null, age: 41.5, address: { city: 'Paris' } }] },
      },
    )
    expect(changesOf(learned).map((c) => [c.kind, c.path, c.severity, c.blocking])).toEqual([
      ['requirement-changed', 'address.zip', 'additive', false],
      ['type-changed', 'age', 'additive', false],
      ['nullability-changed', 'first_name', 'additive', false],
    ])
    expect(changesOf(learned)[0]!.reason).toContain('an example shows it')
    // The same widening with no example showing it stays breaking for its readers.
    const guessed = planEdit(
      contactSample,
      obj({ ...properties, first_name: nullable(str()), age: num(), address: obj({ city: str(), zip: opt(str()) }) } as never),
      { templates, extra: { examples: [{ ...contactSample, age: 42 }] } },
    )
    expect(changesOf(guessed).map((c) => c.severity)).toEqual(['breaking', 'breaking', 'breaking'])
  })

  it('format: dropping or changing a format is breaking when read; adding one is none', () => {
    const dropped = planEdit(contactSample, obj({ ...contactSchema().properties!, email: str() } as never), {
      templates: ['{{event.email}}'],
    })
    expect(changesOf(dropped)[0]).toMatchObject({
      kind: 'format-changed',
      severity: 'breaking',
      message: 'field "email" format changed from email to none',
    })
    const added = planEdit(contactSample, obj({ ...contactSchema().properties!, first_name: str('uuid') } as never), {
      templates: ['{{event.first_name}}'],
    })
    expect(changesOf(added)[0]).toMatchObject({ kind: 'format-changed', severity: 'none' })
  })

  it('requirement: becoming optional is breaking when read', () => {
    const plan = planEdit(contactSample, obj({ ...contactSchema().properties!, email: opt(str('email')) } as never), {
      templates: ['{{event.email}}'],
    })
    expect(changesOf(plan)[0]).toMatchObject({
      kind: 'requirement-changed',
      severity: 'breaking',
      message: 'field "email" is now optional (may be absent)',
    })
  })

  it('detects a probable rename by a similar name (firstName -> first_name)', () => {
    const camel = compiled('New Contact Created', { firstName: 'Jane', email: 'j@x.io' }, obj({ firstName: str(), email: str() }))
    const snake = compiled('New Contact Created', { first_name: 'Janet', email: 'j@x.io' }, obj({ first_name: str(), email: str() }))
    const plan = planSync(
      input({
        local: [snake],
        remote: [remoteOf(camel, 'ev1')],
        workflows: { ok: true, workflows: [workflow('wf1', 'W', 'New Contact Created', ['{{event.firstName}}'])] },
      }),
    )
    expect(changesOf(plan)).toHaveLength(1)
    expect(changesOf(plan)[0]).toMatchObject({
      kind: 'field-renamed',
      path: 'firstName',
      to: 'first_name',
      evidence: 'similar-name',
      severity: 'breaking',
      blocking: true,
    })
    expect(changesOf(plan)[0]!.message).toBe('field "firstName" probably renamed (similar name) to "first_name"')
  })

  it('detects a probable rename by the same sample value', () => {
    const plan = planEdit(
      { first_name: 'Jane', contact_point: 'jane@example.com', age: 41, address: contactSample.address },
      obj({ first_name: str(), contact_point: str('email'), age: int(), address: obj({ city: str(), zip: str() }) }),
    )
    expect(changesOf(plan)[0]).toMatchObject({
      kind: 'field-renamed',
      path: 'email',
      to: 'contact_point',
      evidence: 'same-sample-value',
      severity: 'warning',
    })
  })

  it('does not call unrelated fields of different types a rename', () => {
    const plan = planEdit({ ...withoutAge(), agency: 'Acme' }, obj({ ...schemaWithoutAge().properties!, agency: str() } as never))
    expect(
      changesOf(plan)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['field-added', 'field-removed'])
  })

  it('a renames entry makes the rename certain and acknowledged, pointing at the entry', () => {
    const { first_name: _f, ...rest } = contactSample
    const plan = planEdit(
      { ...rest, given_name: 'Jane' },
      obj({ email: str('email'), age: int(), address: obj({ city: str(), zip: str() }), given_name: str() }),
      { templates: ['{{event.first_name}}'], extra: { renames: { first_name: 'given_name' } } },
    )
    const [change] = changesOf(plan)
    expect(change).toMatchObject({
      kind: 'field-renamed',
      path: 'first_name',
      to: 'given_name',
      evidence: 'renames-entry',
      severity: 'breaking',
      blocking: false,
    })
    expect(change!.acknowledged).toMatchObject({ by: 'renames', reason: 'renames: first_name -> given_name' })
    expect(change!.acknowledged!.location!.line).toBeGreaterThan(2)
    expect(plan.summary).toMatchObject({ breaking: 0, acknowledged: 1 })
  })

  it('notes a renames entry that renames to a field that does not exist', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { extra: { renames: { age: 'years' } } })
    expect(plan.notes.map((n) => n.message)).toEqual(['New Contact Created: renames entry "age" -> "years": there is no new field "years"'])
    expect(changesOf(plan)[0]!.kind).toBe('field-removed')
  })

  it('allowBreaking acknowledges with its reason, for the field or an enclosing object', () => {
    const reason = 'the CRM flow reads age from the profile now'
    const plan = planEdit(withoutAge(), schemaWithoutAge(), {
      templates: ['{{event.age}}'],
      extra: { allowBreaking: [{ field: 'age', reason }] },
    })
    expect(changesOf(plan)[0]).toMatchObject({ severity: 'breaking', blocking: false, acknowledged: { by: 'allowBreaking', reason } })
    const { address: _a, ...rest } = contactSample
    const nested = planEdit(rest, obj({ first_name: str(), email: str('email'), age: int() }), {
      templates: ['{{event.address.city}}'],
      extra: { allowBreaking: [{ field: 'address', reason: 'moved' }] },
    })
    expect(changesOf(nested)[0]!.blocking).toBe(false)
  })

  it('--allow-breaking acknowledges every breaking change, but not warnings', () => {
    const plan = planEdit(withoutAge(), schemaWithoutAge(), { templates: ['{{event.age}}'], allowBreaking: true })
    expect(changesOf(plan)[0]).toMatchObject({ blocking: false, acknowledged: { by: 'flag', reason: '--allow-breaking' } })
    const unread = planEdit(withoutAge(), schemaWithoutAge(), { templates: [], allowBreaking: true })
    expect(changesOf(unread)[0]).toMatchObject({ severity: 'warning', acknowledged: null })
  })

  it('reads array items through any index form', () => {
    const order = compiled('Order Placed', { items: [{ sku: 'A-1', qty: 2 }] }, obj({ items: arr(obj({ sku: str(), qty: int() })) }))
    const changed = compiled('Order Placed', { items: [{ sku: 'A-1', qty: '2' }] }, obj({ items: arr(obj({ sku: str(), qty: str() })) }))
    const plan = planSync(
      input({
        local: [changed],
        remote: [remoteOf(order, 'ev1')],
        workflows: { ok: true, workflows: [workflow('wf1', 'W', 'Order Placed', ['{{ event.items[0].qty }}'])] },
      }),
    )
    expect(changesOf(plan, 'Order Placed')[0]).toMatchObject({ path: 'items[].qty', severity: 'breaking' })
    expect(changesOf(plan, 'Order Placed')[0]!.location).toMatchObject({ line: 6 })
  })

  it('a workflow with an unknown trigger counts as a reader of every event', () => {
    const flows = [{ ...workflow('wf1', 'Catch-all', 'x', ['{{event.age}}']), events: [] }]
    const local = compiled('New Contact Created', withoutAge() as never, schemaWithoutAge())
    const plan = planSync(input({ local: [local], remote: [remoteOf(contact, 'ev1')], workflows: { ok: true, workflows: flows } }))
    expect(changesOf(plan)[0]!.severity).toBe('breaking')
  })

  it('a workflow of another event is not a reader', () => {
    const flows = [workflow('wf1', 'Other', 'Invoice Paid', ['{{event.age}}'])]
    const local = compiled('New Contact Created', withoutAge() as never, schemaWithoutAge())
    const plan = planSync(input({ local: [local], remote: [remoteOf(contact, 'ev1')], workflows: { ok: true, workflows: flows } }))
    expect(changesOf(plan)[0]!.severity).toBe('warning')
  })
})

describe('planSync: determinism and hashes', () => {
  const base = () => input({ local: [contact], remote: [remoteOf(contact, 'ev1', { jsonSchema: null })] })

  it('gives the same plan for the same inputs', () => {
    expect(planSync(base())).toEqual(planSync(base()))
  })

  it('changes the remote hash when a remote event or a workflow changes, and the local hash when YAML does', () => {
    const plan = planSync(base())
    const edited = planSync({ ...base(), remote: [remoteOf(contact, 'ev1', { sample: { ...contactSample, age: 42 } })] })
    expect(edited.hashes.remote).not.toBe(plan.hashes.remote)
    expect(edited.hashes.local).toBe(plan.hashes.local)
    const flows = planSync({
      ...base(),
      workflows: { ok: true, workflows: [workflow('wf', 'W', 'New Contact Created', ['{{event.age}}'])] },
    })
    expect(flows.hashes.remote).not.toBe(plan.hashes.remote)
    const yaml = planSync({ ...base(), local: [compiled('New Contact Created', { ...contactSample, age: 1 }, contactSchema())] })
    expect(yaml.hashes.local).not.toBe(plan.hashes.local)
  })
})
