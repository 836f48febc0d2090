import { checkFireArgs, fireHeaders, fireBody, firePath } from '/tmp/rfpkg/dist/runtime/fire-request.js'
import { successMessage, requestIdOf } from '/tmp/rfpkg/dist/runtime/response-error.js'
import { AttemptDeadline } from '/tmp/rfpkg/dist/runtime/undici-sender.js'
import { syntheticEvents } from './lib/synthetic.mjs'
const [event] = syntheticEvents(1, 42)
const args = { linkedAccountId: 'acct_42', slug: event.apps[0], payload: event.sample, event: event.name }
const N = 1_000_000
let sink
function bench(name, fn) { const s = []; for (let r = 0; r < 5; r++) { const t = performance.now(); for (let i = 0; i < N; i++) sink = fn(); s.push((performance.now() - t) * 1e6 / N) } s.sort((a, b) => a - b); console.log(name.padEnd(16), s[2].toFixed(0), 'ns') }
const headers = { 'content-type': 'application/json', 'content-length': '35', 'keep-alive': 'timeout=30', connection: 'keep-alive' }
bench('checkFireArgs', () => checkFireArgs(args))
bench('fireHeaders', () => fireHeaders(args, 'tk_x', 'idempotency-key'))
bench('firePath', () => firePath('', args.slug))
bench('fireBody', () => fireBody(args.event, args.payload))
bench('successMessage', () => successMessage('{"message":"Webhook Fired Success"}'))
bench('requestIdOf', () => requestIdOf(headers))
bench('deadline+timer', () => { const d = new AttemptDeadline(); const t = setTimeout(() => {}, 10000, d); clearTimeout(t); return d })
bench('spread', () => ({ ...args, event: 'x' }))
