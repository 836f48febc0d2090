import { createClient } from 'refold-events/runtime'
import { Pool } from 'undici'
import { EventEmitter } from 'node:events'
import { startServer } from './lib/processes.mjs'
import { buildGenerated } from './lib/generated-js.mjs'
import { syntheticEvents } from './lib/synthetic.mjs'
import { removeProject } from './lib/project.mjs'
import { median } from './lib/measure.mjs'
const [event] = syntheticEvents(1, 42)
const { project, module } = await buildGenerated([event])
const server = await startServer(new URL('./children/ok-server.mjs', import.meta.url).pathname)
const pool = new Pool(server.url, { connections: 10, pipelining: 1 })
const client = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool })
const clientOff = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool, validate: 'off' })
const fire = module[Object.keys(module).find((n) => n.startsWith('fire') && n !== 'fireEvent')]
const validator = Object.values(module.payloadValidators)[0]
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample }
const path = `/api/v2/public/event/${event.apps[0]}`
const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }
async function drive(total, send) { let next = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (next < total) { next++; await send() } })) }
const body = () => JSON.stringify({ event: event.name, payload: event.sample })
const sides = {
  raw: async () => { const r = await pool.request({ path, method: 'POST', headers, body: body() }); await r.body.text() },
  rawSignal: async () => { const s = new EventEmitter(); const r = await pool.request({ path, method: 'POST', headers, body: body(), signal: s }); await r.body.text() },
  rawTimer: async () => { const t = setTimeout(() => {}, 10000); try { const r = await pool.request({ path, method: 'POST', headers, body: body() }); await r.body.text() } finally { clearTimeout(t) } },
  rawValidate: async () => { validator(event.sample); const r = await pool.request({ path, method: 'POST', headers, body: body() }); await r.body.text() },
  clientOff: () => clientOff.fire({ ...args, event: event.name }),
  client: () => client.fire({ ...args, event: event.name }, validator),
  helper: () => fire(args, client),
}
const res = Object.fromEntries(Object.keys(sides).map((k) => [k, []]))
for (let i = 0; i < 8; i++) for (const [name, fn] of Object.entries(sides)) { const t = performance.now(); await drive(5000, fn); res[name].push(5000 / (performance.now() - t) * 1000) }
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), Math.round(median(v.slice(1))), (median(v.slice(1)) / median(res.raw.slice(1)) * 100).toFixed(1) + '%')
await pool.close(); await server.stop(); removeProject(project)
