/**
 * A tiny node:http server on loopback, port 0, that records every request it receives (method,
 * URL, headers, body bytes) and the sockets it accepted, so runtime tests can count requests
 * server-side and check the exact bytes on the wire.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

export type Handler = (request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => void

export interface TestServer {
  url: string
  requests: RecordedRequest[]
  /** Sockets accepted so far, and how many are still open. */
  sockets: { accepted: number; open: number }
  close(): Promise<void>
}

/** Starts a server whose `handler` sees each request once its body has been read. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = []
  const sockets = { accepted: 0, open: 0 }
  const live = new Set<Socket>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      requests.push(recorded)
      handler(recorded, res, req)
    })
  })
  server.on('connection', (socket) => {
    sockets.accepted++
    sockets.open++
    live.add(socket)
    socket.on('close', () => {
      sockets.open--
      live.delete(socket)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Answers with `status`, a JSON body and extra headers. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** Refold's success answer. */
export function fired(res: ServerResponse, headers: Record<string, string> = {}): void {
  json(res, 200, { message: 'Webhook Fired Success' }, headers)
}

/** Refold's error envelope. */
export function refoldError(
  res: ServerResponse,
  status: number,
  httpErrorType: string,
  errorCode: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  json(res, status, { status_code: status, http_error_type: httpErrorType, error_code: errorCode, message }, headers)
}

/** Resolves once `condition` holds, polling on real time (a bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, boundMs = 5_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
