import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DefinitionError } from '../../src/errors.js'
import { startEmulator } from '../../src/emulator/start-emulator.js'
import { parseWorkflows } from '../../src/emulator/workflows-file.js'
import { call, createEvent, KEY, start, tempDir } from './helpers.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

const YAML_FILE = `# workflows the emulator runs
workflows:
  - name: Welcome e-mail
    app: hubspot
    event: New Contact Created
    description: Greets new contacts
    steps:
      - name: Send e-mail
        text: "Hi {{event.first_name}}, your city is {{ event.address.city }}"
      - name: Tag
        text: "{{event.tags[0]}}"
  - id: score-lead
    name: Score lead
    app: salesforce
    event: New Contact Created
    published: false
    steps: []
`

async function errors(text: string): Promise<string[]> {
  const error = await parseWorkflows(text, 'flows.yaml').then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DefinitionError)
  return (error as DefinitionError).diagnostics.map(formatDiagnostic)
}

describe('workflows file', () => {
  it('parses YAML and derives stable ids', async () => {
    const first = await parseWorkflows(YAML_FILE, 'flows.yaml')
    expect(first).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'Welcome e-mail',
        app: 'hubspot',
        event: 'New Contact Created',
        description: 'Greets new contacts',
        published: true,
        steps: [
          { name: 'Send e-mail', text: 'Hi {{event.first_name}}, your city is {{ event.address.city }}' },
          { name: 'Tag', text: '{{event.tags[0]}}' },
        ],
      },
      {
        id: 'score-lead',
        name: 'Score lead',
        app: 'salesforce',
        event: 'New Contact Created',
        description: '',
        published: false,
        steps: [],
      },
    ])
    expect((await parseWorkflows(YAML_FILE, 'flows.yaml'))[0]!.id).toBe(first[0]!.id)
  })

  it('parses JSON and a bare list', async () => {
    const json = JSON.stringify([{ name: 'A', app: 'x', event: 'E', steps: [{ name: 's', text: 't' }] }])
    expect((await parseWorkflows(json, 'flows.json')).map((w) => w.name)).toEqual(['A'])
    expect(await parseWorkflows('', 'empty.yaml')).toEqual([])
  })

  it('reports every problem with file:line:column', async () => {
    const text = `workflows:
  - name: A
    app: hubspot
    evnt: E
    steps:
      - name: s
        txt: t
  - name: B
    app: x
    event: E
    published: maybe
    steps: nope
workflow: []
`
    expect(await errors(text)).toEqual([
      'flows.yaml:13:1: error: unknown key "workflow" (did you mean "workflows"?); expected "workflows: [...]"',
      'flows.yaml:4:5: error: unknown key "evnt" (did you mean "event"?) in a workflow (expected id, name, app, event, description, published, steps)',
      'flows.yaml:2:5: error: "event" must be a non-empty string (missing)',
      'flows.yaml:7:9: error: unknown key "txt" (did you mean "text"?) in a step (expected name, text)',
      'flows.yaml:6:9: error: a step needs a "text" string (it may reference {{event.field}})',
      'flows.yaml:11:16: error: "published" must be true or false',
      'flows.yaml:12:12: error: "steps" must be a list of { name, text }',
    ])
  })

  it('reports YAML syntax errors and duplicate ids', async () => {
    expect((await errors('workflows: [\n  {name: A\n'))[0]).toMatch(/^flows\.yaml:\d+:\d+: error: /)
    const duplicate = `workflows:
  - { name: A, app: x, event: E, steps: [] }
  - { name: A, app: x, event: F, steps: [] }
  - { id: k, name: B, app: x, event: E, steps: [] }
  - { id: k, name: C, app: x, event: E, steps: [] }
`
    const messages = await errors(duplicate)
    expect(messages[0]).toMatch(
      /^flows\.yaml:3:5: error: duplicate workflow id "[0-9a-f]{24}" \(the same app and name as the workflow at flows\.yaml:2:5\)$/,
    )
    expect(messages[1]).toBe('flows.yaml:5:11: error: duplicate workflow id "k" (also used at flows.yaml:4:5)')
  })

  it('fails the start with the diagnostics when the file is bad or missing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'flows.yaml'), 'workflows:\n  - name: A\n')
    const bad = await startEmulator({ port: 0, cwd: dir, workflows: 'flows.yaml' }).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(DefinitionError)
    expect((bad as DefinitionError).diagnostics[0]!.file).toBe('flows.yaml')
    const missing = await startEmulator({ port: 0, cwd: dir, workflows: 'nope.yaml' }).catch((e: unknown) => e)
    expect((missing as DefinitionError).diagnostics.map(formatDiagnostic)).toEqual(['nope.yaml:1:1: error: workflows file: file not found'])
  })
})

/** Wait until `check` holds (file watching is asynchronous); fails after a generous bound. */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error('condition not met within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('workflows file reload', () => {
  it('picks up an edited file, and keeps the previous workflows while the file is broken', async () => {
    const dir = tempDir()
    const file = join(dir, 'flows.yaml')
    writeFileSync(file, 'workflows:\n  - { id: a, name: A, app: x, event: E, steps: [] }\n')
    const notices: string[] = []
    const emulator = await start({ cwd: dir, workflows: 'flows.yaml', onNotice: (message) => notices.push(message) })
    writeFileSync(
      file,
      'workflows:\n  - { id: a, name: A, app: x, event: E, steps: [] }\n  - { id: b, name: B, app: x, event: E, steps: [] }\n',
    )
    await until(() => emulator.state.workflows().length === 2)
    expect(notices).toContain('workflows reloaded: 2 from flows.yaml')
    expect((await call(emulator, 'GET', '/api/v2/public/workflow')).json.totalDocs).toBe(2)
    writeFileSync(file, 'workflows:\n  - { id: a, name: A, app: x, evnt: E, steps: [] }\n')
    await until(() => notices.some((notice) => notice.startsWith('workflows file has errors')))
    expect(notices.at(-1)).toMatch(
      /^workflows file has errors; keeping the previous workflows:\nflows\.yaml:2:31: error: unknown key "evnt"/,
    )
    expect(emulator.state.workflows().map((w) => w.id)).toEqual(['a', 'b'])
  })
})

describe('workflow API', () => {
  it("lists workflows in Refold's paginated shape, with filters", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'flows.yaml'), YAML_FILE)
    const emulator = await start({ cwd: dir, workflows: 'flows.yaml' })
    const [welcome] = emulator.state.workflows()
    const all = await call(emulator, 'GET', '/api/v2/public/workflow')
    expect(all.status).toBe(200)
    expect(all.json).toEqual({
      docs: [
        { _id: welcome!.id, name: 'Welcome e-mail', published: true, slug: 'hubspot' },
        { _id: 'score-lead', name: 'Score lead', published: false, slug: 'salesforce' },
      ],
      schema: null,
      totalDocs: 2,
      limit: 10,
      page: 1,
      totalPages: 1,
      hasNextPage: false,
    })
    expect((await call(emulator, 'GET', '/api/v2/public/workflow?slug=salesforce')).json.docs.map((d: { _id: string }) => d._id)).toEqual([
      'score-lead',
    ])
    expect((await call(emulator, 'GET', '/api/v2/public/workflow?published=true')).json.totalDocs).toBe(1)
    expect((await call(emulator, 'GET', '/api/v2/public/workflow?name=WELCOME')).json.totalDocs).toBe(1)
    const paged = (await call(emulator, 'GET', '/api/v2/public/workflow?limit=1&page=2')).json
    expect(paged).toMatchObject({ totalDocs: 2, limit: 1, page: 2, totalPages: 2, hasNextPage: false, docs: [{ _id: 'score-lead' }] })
    expect((await call(emulator, 'GET', '/api/v2/public/workflow?limit=1')).json.hasNextPage).toBe(true)
    for (const query of ['page=0', 'limit=x', 'published=yes']) {
      const answer = await call(emulator, 'GET', `/api/v2/public/workflow?${query}`)
      expect(answer.status).toBe(400)
      expect(answer.json).toMatchObject({ status_code: 400, error_code: 'INVALID_QUERY' })
    }
  })

  it('answers one workflow with nodes whose text carries the {{event...}} references', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'flows.json'),
      JSON.stringify({
        workflows: [
          {
            id: 'w1',
            name: 'W',
            app: 'hubspot',
            event: 'New Contact Created',
            steps: [
              { name: 'Send', text: 'Hi {{event.first_name}}' },
              { name: 'Log', text: 'done' },
            ],
          },
        ],
      }),
    )
    const emulator = await start({ cwd: dir, workflows: 'flows.json' })
    const eventId = await createEvent(emulator, 'New Contact Created', { first_name: 'x' })
    const answer = await call(emulator, 'GET', '/api/v2/public/workflow/w1')
    expect(answer.json).toEqual({
      _id: 'w1',
      name: 'W',
      description: '',
      published: true,
      slug: 'hubspot',
      associated_application: expect.stringMatching(/^[0-9a-f]{24}$/),
      is_v2: true,
      nodes: [
        {
          id: '1',
          type: 'start',
          name: 'Start',
          triggers: [{ application: 'Custom App', event: 'New Contact Created', event_id: eventId }],
        },
        { id: '2', type: 'action', name: 'Send', input_data: { text: 'Hi {{event.first_name}}' } },
        { id: '3', type: 'action', name: 'Log', input_data: { text: 'done' } },
      ],
      edges: [
        { id: 'e1-2', source: '1', target: '2' },
        { id: 'e2-3', source: '2', target: '3' },
      ],
      environment: 'test',
    })
    const missing = await call(emulator, 'GET', '/api/v2/public/workflow/nope')
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({
      status_code: 404,
      http_error_type: 'NOT_FOUND',
      error_code: 'RESOURCE_NOT_FOUND',
      message: 'Workflow with id nope not found',
    })
  })

  it('reports production as the environment for a pk key', async () => {
    const emulator = await start({ apiKey: 'pk_live_1', workflows: [{ id: 'w', name: 'W', app: 'a', event: 'E', steps: [] }] })
    const answer = await call(emulator, 'GET', '/api/v2/public/workflow/w', { key: 'pk_live_1' })
    expect(answer.json.environment).toBe('production')
    expect(KEY.startsWith('tk')).toBe(true)
  })
})
