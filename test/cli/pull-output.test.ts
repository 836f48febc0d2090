/**
 * `pull` as a child process: the `$schema` comment of a pulled file points at the installed
 * package's event-file.schema.json from the file's own folder, wherever the config lives.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { API_KEY, emulator, project } from '../sync/harness.js'
import { runCli } from '../support/cli.js'

describe('pull', () => {
  it('writes a $schema path that resolves from a nested events folder, with the description and quoted dates', async () => {
    const refold = await emulator()
    const env = { REFOLD_BASE_URL: refold.url, REFOLD_API_KEY: API_KEY }
    const created = await fetch(`${refold.url}/api/v2/public/application/event`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Invoice Paid',
        response: JSON.stringify({ id: 'in_1', paid_on: '2024-05-02' }),
        json_schema: { type: 'object', description: 'An invoice was paid.' },
      }),
    })
    expect(created.status).toBe(200)
    // The package installed at the project root; the config (and its events folder) one level down.
    const p = await project({
      'node_modules/refold-events/event-file.schema.json': '{}',
      'app/refold.config.mjs': "export default { eventsDir: 'src/events' }\n",
    })
    const pulled = await runCli(['pull', '--config', 'app/refold.config.mjs'], { cwd: p.root, env, environment: 'clean' })
    // A hand-made remote schema is adopted as far as YAML can say it, with a warning.
    expect(pulled.stderr).not.toContain('error')
    expect(pulled.code).toBe(0)
    const text = await readFile(join(p.root, 'app/src/events/invoice-paid.yaml'), 'utf8')
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../node_modules/refold-events/event-file.schema.json')
    expect(text).toContain('name: Invoice Paid\ndescription: An invoice was paid.\nsample:\n')
    expect(text).toContain('  paid_on: "2024-05-02"\n')
  })
})
