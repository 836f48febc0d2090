import { Pool } from 'undici'
import { startServer } from './lib/processes.mjs'
import { syntheticEvents } from './lib/synthetic.mjs'
const pkg = process.env.PKG ?? '/tmp/rfpkg'
const mode = process.argv[2]
const [event] = syntheticEvents(1, 42)
const { createClient } = await import(pkg + '/dist/runtime/index.js')
const server = await startServer(new URL('./children/ok-server.mjs', import.meta.url).pathname)
const pool = new Pool(server.url, { connections: 10, pipelining: 1 })
const clientOff = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool, validate: 'off' })
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample }
const path = `/api/v2/public/event/${event.apps[0]}`
const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }
async function drive(total, send) { let next = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (next < total) { next++; await send() } })) }
async function rawSend() { const r = await pool.request({ path, method: 'POST', headers, body: JSON.stringify({ event: event.name, payload: event.sample }) }); await r.body.text() }
const fn = mode === 'raw' ? rawSend : () => clientOff.fire({ ...args, event: event.name })
for (let i = 0; i < 10; i++) await drive(5000, fn)
await pool.close(); await server.stop()
