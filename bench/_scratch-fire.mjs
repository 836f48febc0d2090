import { createClient } from 'refold-events/runtime'
import { Pool } from 'undici'
import { startServer } from './lib/processes.mjs'
import { buildGenerated } from './lib/generated-js.mjs'
import { syntheticEvents } from './lib/synthetic.mjs'
import { removeProject } from './lib/project.mjs'
const mode = process.argv[2]
const [event] = syntheticEvents(1, 42)
const { project, module } = await buildGenerated([event])
const server = await startServer(new URL('./children/ok-server.mjs', import.meta.url).pathname)
const pool = new Pool(server.url, { connections: 10, pipelining: 1 })
const client = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool })
const fire = module[Object.keys(module).find((n) => n.startsWith('fire') && n !== 'fireEvent')]
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample }
const path = `/api/v2/public/event/${event.apps[0]}`
const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }
async function drive(total, send) { let next = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (next < total) { next++; await send() } })) }
const raw = async () => { const r = await pool.request({ path, method: 'POST', headers, body: JSON.stringify({ event: event.name, payload: event.sample }) }); await r.body.text() }
const helper = () => fire(args, client)
for (let i = 0; i < 8; i++) {
  for (const [name, fn] of mode === 'raw' ? [['raw', raw]] : mode === 'helper' ? [['helper', helper]] : [['raw', raw], ['helper', helper]]) {
    const t = performance.now(); await drive(6000, fn); console.log(name, Math.round(6000 / (performance.now() - t) * 1000))
  }
}
await pool.close(); await server.stop(); removeProject(project)
