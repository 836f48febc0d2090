import { pathToFileURL } from 'node:url'
import { startServer } from './lib/processes.mjs'
import { syntheticEvents } from './lib/synthetic.mjs'
import { compileDefinitions, DEFAULT_INFER_OPTIONS, parseEventFile } from 'refold-events'
import { eventYaml } from './lib/synthetic.mjs'
const d = (p) => import('/work/main/dist/' + p)
const { RemoteHttp } = await d('remote/remote-http.js'); const { ApiKey } = await d('remote/api-key.js'); const { RefoldEventsApi } = await d('remote/events-api.js')
const { buildEventBody } = await d('sync/event-body.js')
const events = syntheticEvents(1000, 11)
const defs = []; for (const [i, e] of events.entries()) defs.push((await parseEventFile(eventYaml(e), `e${i}.yaml`)).definition)
const compiled = (await compileDefinitions(defs, DEFAULT_INFER_OPTIONS)).events
const server = await startServer(new URL('./children/emulator-server.mjs', import.meta.url).pathname, [JSON.stringify({ apiKey: 'tk_k', stateFile: null, seed: 1 })])
const http = new RemoteHttp({ baseUrl: server.url, apiKey: new ApiKey('tk_k'), concurrency: 4, requestsPerSecond: 1e6 })
const api = new RefoldEventsApi(http)
let t = performance.now()
for (const e of compiled) await api.create(buildEventBody(e, 'payload'))
console.log('1000 creates sequential', Math.round(performance.now() - t))
const list = await api.list(); console.log('list bytes', JSON.stringify(list).length)
const pool = async (items, fn) => { let i = 0; await Promise.all(Array.from({ length: 4 }, async () => { while (i < items.length) await fn(items[i++]) })) }
t = performance.now(); await pool(list, (e) => api.get(e.id)); console.log('1000 GET c4', Math.round(performance.now() - t))
t = performance.now(); await pool(list.map((e, i) => [e, compiled.find(c => c.definition.name === e.name)]), ([e, c]) => api.update(e.id, buildEventBody(c, 'payload'))); console.log('1000 PUT c4', Math.round(performance.now() - t))
await http.close(); await server.stop()
