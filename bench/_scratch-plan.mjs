import { startServer } from './lib/processes.mjs'
import { syntheticEvents, eventYaml } from './lib/synthetic.mjs'
import { compileDefinitions, DEFAULT_INFER_OPTIONS, parseEventFile } from 'refold-events'
const d = (p) => import('/work/main/dist/' + p)
const { RemoteHttp } = await d('remote/remote-http.js'); const { ApiKey } = await d('remote/api-key.js'); const { RefoldEventsApi } = await d('remote/events-api.js')
const { scanWorkflows } = await d('remote/workflows-api.js'); const { planSync } = await d('sync/plan-sync.js'); const { remoteSchemaLookup } = await d('sync/remote-schemas.js'); const { applyPlan } = await d('sync/apply-plan.js')
const events = syntheticEvents(1000, 11)
const comp = async (evs) => { const defs = []; for (const [i, e] of evs.entries()) defs.push((await parseEventFile(eventYaml(e), `e${i}.yaml`)).definition); return (await compileDefinitions(defs, DEFAULT_INFER_OPTIONS)).events }
const original = await comp(events); const changed = await comp(events.map((e) => ({ ...e, sample: { ...e.sample, bench_added: 'x' } })))
const server = await startServer(new URL('./children/emulator-server.mjs', import.meta.url).pathname, [JSON.stringify({ apiKey: 'tk_k', stateFile: null, seed: 1 })])
const http = new RemoteHttp({ baseUrl: server.url, apiKey: new ApiKey('tk_k'), concurrency: 4, requestsPerSecond: 1e6 })
const api = new RefoldEventsApi(http)
const plan = async (local) => { const remote = await api.list(); const workflows = await scanWorkflows(http, remote); return planSync({ local, remote, workflows, target: { name: 'local', baseUrl: server.url }, options: { prune: false, strict: false, allowBreaking: false }, responseForm: 'payload', inferSchema: await remoteSchemaLookup(remote, DEFAULT_INFER_OPTIONS, local) }) }
await applyPlan(await plan(original), api, { concurrency: 8 })
for (let i = 0; i < 6; i++) {
  let t = performance.now(); const remote = await api.list(); const tl = performance.now() - t
  t = performance.now(); const wf = await scanWorkflows(http, remote); const ts = performance.now() - t
  t = performance.now(); const look = await remoteSchemaLookup(remote, DEFAULT_INFER_OPTIONS, changed); const tr = performance.now() - t
  t = performance.now(); const p = planSync({ local: changed, remote, workflows: wf, target: { name: 'local', baseUrl: server.url }, options: { prune: false, strict: false, allowBreaking: false }, responseForm: 'payload', inferSchema: look }); const tp = performance.now() - t
  console.log(`list ${tl.toFixed(0)} scan ${ts.toFixed(0)} lookup ${tr.toFixed(0)} plan ${tp.toFixed(0)} updates ${p.events.filter(e => e.action === 'update').length}`)
}
await http.close(); await server.stop()
