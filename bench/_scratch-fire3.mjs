import { Pool } from 'undici'
import { rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { EventEmitter } from 'node:events'
import { startServer } from './lib/processes.mjs'
import { buildGenerated } from './lib/generated-js.mjs'
import { syntheticEvents } from './lib/synthetic.mjs'
import { removeProject } from './lib/project.mjs'
import { median } from './lib/measure.mjs'
const pkg = process.env.PKG ?? '/tmp/rfpkg'
const [event] = syntheticEvents(1, 42)
const { project } = await buildGenerated([event])
rmSync(join(project, 'node_modules/refold-events')); symlinkSync(pkg, join(project, 'node_modules/refold-events'))
const module = await import(join(project, 'build/index.js') + '?x')
const { createClient } = await import(pkg + '/dist/runtime/index.js')
const server = await startServer(new URL('./children/ok-server.mjs', import.meta.url).pathname)
const pool = new Pool(server.url, { connections: 10, pipelining: 1 })
const client = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool })
const clientOff = createClient({ apiKey: 'tk_x', baseUrl: server.url, dispatcher: pool, validate: 'off' })
const fire = module[Object.keys(module).find((n) => n.startsWith('fire') && n !== 'fireEvent')]
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample }
const path = `/api/v2/public/event/${event.apps[0]}`
const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }
async function drive(total, send) { let next = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (next < total) { next++; await send() } })) }
const body = () => JSON.stringify({ event: event.name, payload: event.sample })
const sides = {
  raw: async () => { const r = await pool.request({ path, method: 'POST', headers, body: body() }); await r.body.text() },
  rawOrigin: async () => { const r = await pool.request({ origin: server.url, path, method: 'POST', headers, body: body() }); await r.body.text() },
  rawNewHeaders: async () => { const r = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }, body: body() }); await r.body.text() },
  clientOff: () => clientOff.fire({ ...args, event: event.name }),
  helper: () => fire(args, client),
}
const res = Object.fromEntries(Object.keys(sides).map((k) => [k, []]))
const cpu = Object.fromEntries(Object.keys(sides).map((k) => [k, []]))
for (let i = 0; i < 24; i++) for (const [name, fn] of Object.entries(sides)) { const c = process.cpuUsage(); const t = performance.now(); await drive(3000, fn); res[name].push(3000 / (performance.now() - t) * 1000); const u = process.cpuUsage(c); cpu[name].push((u.user + u.system) / 3000) }
for (const k of Object.keys(res)) console.log('paired', k, (median(cpu[k].slice(2).map((c, i) => cpu.raw[i + 2] / c)) * 100).toFixed(1) + '%')
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), Math.round(median(v.slice(2))), (median(v.slice(2)) / median(res.raw.slice(2)) * 100).toFixed(1) + '%', 'cpu', median(cpu[k].slice(2)).toFixed(1), 'µs', (median(cpu.raw.slice(2)) / median(cpu[k].slice(2)) * 100).toFixed(1) + '%')
await pool.close(); await server.stop(); removeProject(project)
