/**
 * Firing: throughput of a generated `fire<Event>()` helper (payload validated by its
 * precompiled validator in the client's default mode, `warn`) against raw `undici.request` on the SAME
 * keep-alive pool (the client is given that pool as its dispatcher), and against an axios
 * POST of the same request (what Refold's Node SDK sends through). All three send the
 * same headers and JSON body to the same loopback server, which runs in its own process
 * (bench/children/ok-server.mjs), with the same number of requests in flight. The `warn`
 * default is also compared with `error` on the same valid payloads: sending invalid payloads
 * anyway must cost nothing on valid ones (issue 10). The client does not call \`request()\` but
 * \`dispatch()\` with a handler of its own, so it is also compared with the floor: a bare
 * \`dispatch()\` on the same pool whose handler only collects the answer in memory.
 */
import axios from 'axios'
import { createClient } from 'refold-events/runtime'
import { Pool } from 'undici'
import { buildGenerated } from '../lib/generated-js.mjs'
import { alternate } from '../lib/measure.mjs'
import { startServer } from '../lib/processes.mjs'
import { removeProject } from '../lib/project.mjs'
import { rateRatio } from '../lib/rows.mjs'
import { syntheticEvents } from '../lib/synthetic.mjs'

const SERVER = new URL('../children/ok-server.mjs', import.meta.url).pathname
/** Requests in flight at once, for every side (and the pool's connection count). */
const IN_FLIGHT = 10
const API_KEY = 'tk_bench_key'

export default {
  id: 'fire',
  title: 'fire throughput',
  /** Why the target is missed, from profiles at the time of writing (shown in BENCHMARKS.md when it is). */
  missed: `
The client process is the bottleneck (the server is a minimal \`node:net\` one in its own process),
so every microsecond per fire counts against about 30 us for a raw request. Validation of this
12-field payload (ajv, with ajv-formats' full \`date-time\` and \`uri\` checks) costs about 8% of a raw
request; the client's own work (argument checks, headers, the attempt deadline, decoding the
answer, two async layers) about 15-20%. Fixed here: a timer and an emitter per attempt (now one
per time slice), parsing the same success body on every fire, one promise per fire
(69.6% -> 75-77% of raw undici with validation). Since issue 10 the client's default mode is
\`warn\` (send an invalid payload and report it) instead of \`error\`; on valid payloads both run
the same code (one validator call). Measured at load 15 on 2 cores, alternating in one process
on one pool: the generated helper through main's runtime (\`error\` default) and through this one
(\`warn\` default), 9 runs of 6,000: 12,506/s -> 12,772/s (102%, noise). The stage compares
\`warn\` with \`error\` in every run, and runs axios in a pass of its own: under load the side run
right after axios measured far slower whatever it was (swapping two sides swapped their figures).
Issue 11: compact validators (about 2x faster than ajv standalone, format checks as scanners)
and \`withEvent(args, name)\` in generated helpers in place of \`{ ...args, event }\`, which alone
cost 6-10 us per fire on Node 20 (the client's CPU per fire over raw undici went from about
+20% to +5-10%, measured with \`process.cpuUsage\` over alternating runs). Issue 11 item 6
(87.8% on a quiet machine): the default sender dispatches with a handler of its own instead of
\`request()\`, whose async resource, body stream and stream consumer cost about 3.5 us of CPU
per fire, and a deadline is a set of attempts instead of an EventEmitter signal; compact
validators build no path on a valid payload (1.00 -> 0.77 us for this one, hot); \`fire\` is
not async. Alternating in one process on one pool at load 9: 'warn' 23.7 -> 19.2 us of CPU per
fire (raw undici 20.5 us), 85% -> 102% of raw; validation is about 1.2 us of it.
`,
  async run({ quick, log }) {
    const requests = quick ? 500 : 6000
    const runs = quick ? 2 : 7
    const [event] = syntheticEvents(1, 42)
    const { project, module } = await buildGenerated([event])
    const server = await startServer(SERVER)
    const pool = new Pool(server.url, { connections: IN_FLIGHT, pipelining: 1 })
    try {
      const helperName = Object.keys(module).find((name) => name.startsWith('fire') && name !== 'fireEvent')
      const fireHelper = module[helperName]
      const validating = createClient({ apiKey: API_KEY, baseUrl: server.url, dispatcher: pool, validate: 'warn' })
      const refusing = createClient({ apiKey: API_KEY, baseUrl: server.url, dispatcher: pool, validate: 'error' })
      const unvalidated = createClient({ apiKey: API_KEY, baseUrl: server.url, dispatcher: pool, validate: 'off' })
      const slug = event.apps[0]
      const payload = event.sample
      const args = { linkedAccountId: 'acct_42', slug, payload }
      const path = `/api/v2/public/event/${encodeURIComponent(slug)}`
      const headers = { 'content-type': 'application/json', linked_account_id: 'acct_42', 'x-api-key': API_KEY }
      const url = server.url + path

      const sides = {
        helper: () => drive(requests, () => fireHelper(args, validating)),
        raw: () =>
          drive(requests, async () => {
            const response = await pool.request({ path, method: 'POST', headers, body: JSON.stringify({ event: event.name, payload }) })
            await response.body.text()
            if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`)
          }),
        'raw dispatch': () =>
          drive(requests, async () => {
            const answer = await dispatchCollecting(pool, {
              path,
              method: 'POST',
              headers,
              body: JSON.stringify({ event: event.name, payload }),
            })
            if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode}`)
          }),
        'helper, validate off': () => drive(requests, () => fireHelper(args, unvalidated)),
        'helper, validate error': () => drive(requests, () => fireHelper(args, refusing)),
      }
      log(`${requests} requests x ${runs} runs per side, ${IN_FLIGHT} in flight`)
      const result = await alternate(sides, { runs })
      // axios in a pass of its own: under load, whichever side ran right after it measured far
      // slower (its garbage is collected on the next side's time), which skewed the rows above.
      // Here raw pays that, so axios's ratio errs in its favour.
      const peers = await alternate(
        { raw: sides.raw, axios: () => drive(requests, () => axios.post(url, { event: event.name, payload }, { headers })) },
        { runs },
      )
      const rate = (side) => (requests / result[side].median) * 1000
      const peerRate = (side) => (requests / peers[side].median) * 1000
      const what = `${requests.toLocaleString('en-US')} POSTs, ${IN_FLIGHT} in flight, loopback`
      return [
        rateRatio({
          stage: 'fire',
          case: `${what}: generated helper, validate 'warn' (default)`,
          ours: { label: helperName, perSecond: rate('helper') },
          baseline: { label: 'undici.request', perSecond: rate('raw') },
          min: 0.9,
        }),
        rateRatio({
          stage: 'fire',
          case: `${what}: helper, validate 'off'`,
          ours: { label: helperName, perSecond: rate('helper, validate off') },
          baseline: { label: 'undici.request', perSecond: rate('raw') },
        }),
        rateRatio({
          stage: 'fire',
          case: `${what}: helper, validate 'warn', vs a bare dispatch() collecting the answer`,
          ours: { label: helperName, perSecond: rate('helper') },
          baseline: { label: 'undici dispatch()', perSecond: rate('raw dispatch') },
        }),
        rateRatio({
          stage: 'fire',
          case: `${what}: validate 'warn' vs 'error', valid payloads`,
          ours: { label: `${helperName} 'warn'`, perSecond: rate('helper') },
          baseline: { label: `${helperName} 'error'`, perSecond: rate('helper, validate error') },
        }),
        rateRatio({
          stage: 'fire',
          case: `${what}: axios.post (Refold's Node SDK)`,
          ours: { label: 'axios.post', perSecond: peerRate('axios') },
          baseline: { label: 'undici.request', perSecond: peerRate('raw') },
        }),
      ]
    } finally {
      await pool.close()
      await server.stop()
      removeProject(project)
    }
  },
}

/**
 * One request through `dispatcher.dispatch()` with the least a caller must do: keep the status
 * and the body's chunks, resolve at the end (what the client's own handler does, minus its cap,
 * deadline and headers).
 */
function dispatchCollecting(dispatcher, options) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let statusCode = 0
    dispatcher.dispatch(options, {
      onRequestStart() {},
      onResponseStart(_controller, status) {
        statusCode = status
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk)
      },
      onResponseEnd() {
        resolve({ statusCode, body: Buffer.concat(chunks).toString('utf8') })
      },
      onResponseError(_controller, error) {
        reject(error)
      },
    })
  })
}

/** Run `send` `total` times with IN_FLIGHT calls in flight at once. */
async function drive(total, send) {
  let next = 0
  const worker = async () => {
    while (next < total) {
      next++
      await send()
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}
