/**
 * A trivial keep-alive HTTP/1.1 server for the fire benchmark, in its own process: it
 * answers every request with Refold's fire success answer. Written on `node:net` rather
 * than `node:http` so the server costs as little as possible per request and the client
 * process (the thing measured) is the bottleneck, not the server.
 *
 * Sends `{ url }` over IPC once listening; stops on SIGTERM or when the parent goes away.
 */
import { createServer } from 'node:net'

const BODY = '{"message":"Webhook Fired Success"}'
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: keep-alive\r\nkeep-alive: timeout=30\r\n\r\n${BODY}`,
)
const HEADER_END = Buffer.from('\r\n\r\n')

let requests = 0
const server = createServer((socket) => {
  socket.setNoDelay(true)
  let pending = Buffer.alloc(0)
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    const answers = []
    for (;;) {
      const end = pending.indexOf(HEADER_END)
      if (end === -1) break
      const head = pending.subarray(0, end).toString('latin1')
      const match = /\r\ncontent-length:\s*(\d+)/i.exec(head)
      const total = end + 4 + (match === null ? 0 : Number(match[1]))
      if (pending.length < total) break
      pending = pending.subarray(total)
      answers.push(RESPONSE)
      requests++
    }
    if (answers.length > 0) socket.write(answers.length === 1 ? answers[0] : Buffer.concat(answers))
  })
  socket.on('error', () => socket.destroy())
})

server.listen(0, '127.0.0.1', () => {
  process.send({ url: `http://127.0.0.1:${server.address().port}` })
})
process.on('message', (message) => {
  if (message === 'count') process.send({ requests })
})
// Nothing to save: leave at once, open keep-alive sockets included.
process.on('SIGTERM', () => process.exit(0))
process.on('disconnect', () => process.exit(0))
