import { createClient } from 'refold-events/runtime'
import { syntheticEvents } from './lib/synthetic.mjs'
const [event] = syntheticEvents(1, 42)
const text = '{"message":"Webhook Fired Success"}'
const body = { text: () => Promise.resolve(text) }
const response = { statusCode: 200, headers: { 'content-type': 'application/json', 'content-length': '35', connection: 'keep-alive' }, body }
const dispatcher = { request: (opts) => Promise.resolve(response), close: async () => {}, on() {}, off() {} }
const client = createClient({ apiKey: 'tk_x', baseUrl: 'http://127.0.0.1:9', dispatcher, validate: 'off' })
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample }
const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': 'tk_x' }
const path = '/api/v2/public/event/' + event.apps[0]
const N = 200000
async function bench(name, fn) {
  const samples = []
  for (let r = 0; r < 7; r++) { const t = performance.now(); for (let i = 0; i < N; i++) await fn(); samples.push((performance.now() - t) * 1000 / N) }
  samples.sort((a, b) => a - b); console.log(name.padEnd(10), samples[3].toFixed(2), 'µs')
}
await bench('raw', async () => { const r = await dispatcher.request({ path, method: 'POST', headers, body: JSON.stringify({ event: event.name, payload: event.sample }) }); await r.body.text() })
await bench('client', () => client.fire({ ...args, event: event.name }))
await bench('raw', async () => { const r = await dispatcher.request({ path, method: 'POST', headers, body: JSON.stringify({ event: event.name, payload: event.sample }) }); await r.body.text() })
await bench('client', () => client.fire({ ...args, event: event.name }))
