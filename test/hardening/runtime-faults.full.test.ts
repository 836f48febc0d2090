/**
 * The runtime client against a server that misbehaves, each fault in its own child process
 * running the built package (`refold-events/runtime` through package.json "exports"): the
 * fire settles with a typed error (or succeeds, for a slow answer), nothing rejects
 * unhandled, and the process exits on its own without `client.close()`, so no socket,
 * timer or handle was leaked. The same faults through `refold-events fire` end in one
 * error line and exit code 1.
 *
 * The in-process typing of these errors (status, envelope, request id, retries) is covered
 * by test/runtime/errors.test.ts and retry.test.ts; this file adds the process-level view.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, runProcess, tempProject } from '../codegen/support.js'
import { expectNoCrash, tempDir, writeFiles } from './support.js'

const KEY = 'tk_runtime_faults'
const TIMEOUT_MS = 600
const TEN_MB = 10 * 1024 * 1024
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'

/** Each fault, selected by the slug the child fires with (`/api/v2/public/event/<fault>`). */
const FAULTS: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  hang: () => {},
  slow: (_req, res) => setTimeout(() => json(res, 200, { message: 'Webhook Fired Success' }), TIMEOUT_MS / 3),
  drip: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 50)
  },
  'ten-mb-ok': (_req, res) => big(res, 200, 'application/json'),
  'ten-mb-error': (_req, res) => big(res, 500, 'text/plain'),
  'invalid-json-ok': (_req, res) => raw(res, 200, 'application/json', '{"message": "Webhook Fired'),
  'invalid-json-error': (_req, res) => raw(res, 400, 'application/json', '{"status_code": 400, "message": '),
  'html-502': (_req, res) => raw(res, 502, 'text/html', HTML_502),
  'close-mid-response': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
    res.write('{"message":')
    setTimeout(() => res.socket?.destroy(), 20)
  },
  'drop-before-answer': (req) => req.socket.destroy(),
}

/** What each fault must end in: the error class, or success. */
const EXPECTED: Record<string, string> = {
  hang: 'TimeoutError',
  slow: 'success',
  drip: 'TimeoutError',
  'ten-mb-ok': 'success',
  'ten-mb-error': 'RefoldServerError',
  'invalid-json-ok': 'success',
  'invalid-json-error': 'RefoldHttpError',
  'html-502': 'RefoldServerError',
  'close-mid-response': 'NetworkError',
  'drop-before-answer': 'NetworkError',
  refused: 'NetworkError',
}

function json(res: ServerResponse, status: number, body: unknown): void {
  raw(res, status, 'application/json', JSON.stringify(body))
}

function raw(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function big(res: ServerResponse, status: number, type: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': TEN_MB })
  const chunk = Buffer.alloc(64 * 1024, 'x')
  let sent = 0
  const pump = (): void => {
    while (sent < TEN_MB) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    res.end()
  }
  res.on('error', () => {})
  pump()
}

const CHILD = `
const report = { unhandled: [], warnings: [] }
process.on('unhandledRejection', (reason) => report.unhandled.push(String(reason)))
process.on('warning', (warning) => report.warnings.push(warning.name + ': ' + warning.message))
const { createClient } = await import('refold-events/runtime')
const client = createClient({ apiKey: process.env.KEY, baseUrl: process.env.URL, timeoutMs: Number(process.env.TIMEOUT), retry: { maxAttempts: 2, baseDelayMs: 10 } })
const started = performance.now()
try {
  const result = await client.fire({ event: 'Fault Test', linkedAccountId: 'acct', slug: process.env.FAULT, payload: { ok: true } })
  report.outcome = 'success'
  report.result = { status: result.status, message: result.message.slice(0, 80), attempts: result.attempts }
} catch (error) {
  report.outcome = error.name
  report.error = { message: error.message, attempts: error.attempts, status: error.status }
}
report.elapsedMs = Math.round(performance.now() - started)
// A late rejection would surface within a turn or two.
await new Promise((resolve) => setTimeout(resolve, 50))
report.sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length
process.stdout.write(JSON.stringify(report))
// No client.close(): the process must end on its own.
`

interface ChildReport {
  outcome: string
  result?: { status: number; message: string; attempts: number }
  error?: { message: string; attempts: number; status?: number }
  elapsedMs: number
  unhandled: string[]
  warnings: string[]
  sockets: number
}

let server: ReturnType<typeof createServer>
let url: string
let refusedUrl: string
let project: string
const sockets = new Set<Socket>()
const matrix: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const fault = decodeURIComponent(req.url?.split('/').at(-1) ?? '')
      ;(FAULTS[fault] ?? ((_q, r: ServerResponse) => json(r, 404, { message: `no fault ${fault}` })))(req, res)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // A port that was just free: nothing listens there.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise((resolve) => probe.close(resolve))
  project = tempProject('refold-hardening-faults-')
  writeFileSync(join(project, 'child.mjs'), CHILD)
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => server?.close(resolve))
  console.log(`runtime fault matrix (child process, timeoutMs ${TIMEOUT_MS}, 2 attempts):\n${matrix.join('\n')}`)
})

describe('runtime client under faults, in a child process that must exit on its own', () => {
  it.each(Object.keys(EXPECTED))(
    '%s',
    async (fault) => {
      const started = performance.now()
      const child = await runProcess(process.execPath, ['child.mjs'], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '', KEY, URL: fault === 'refused' ? refusedUrl : url, FAULT: fault, TIMEOUT: String(TIMEOUT_MS) },
        // A bound for a process that never exits (a leaked socket or timer), not a timing assertion.
        timeoutMs: 20_000,
      })
      const wall = Math.round(performance.now() - started)
      expect(child.stderr).toBe('')
      expect(child.code, 'the child must exit on its own, with code 0').toBe(0)
      const report = JSON.parse(child.stdout) as ChildReport
      matrix.push(
        `  ${fault.padEnd(20)} -> ${report.outcome}${report.error ? ` (${report.error.attempts} attempt(s)): ${report.error.message.slice(0, 90)}` : ` ${report.result?.status}`}; settled ${report.elapsedMs} ms, ${report.sockets} referenced socket(s) after, process exited after ${wall} ms`,
      )
      expect(report.outcome, JSON.stringify(report)).toBe(EXPECTED[fault])
      expect(report.unhandled).toEqual([])
      // No socket holds the process open (getActiveResourcesInfo lists only referenced handles).
      expect(report.sockets).toBe(0)
      expect(report.warnings).toEqual([])
      expect(report.error?.message ?? '').not.toContain(KEY)
      // Each attempt is bounded by the timeout: two attempts and a short backoff at most.
      expect(report.elapsedMs).toBeLessThan(2 * TIMEOUT_MS + 5_000)
    },
    30_000,
  )
})

describe('refold-events fire under the same faults', () => {
  it('ends in one error line saying what failed, exit 1, no stack trace', async () => {
    const dir = tempDir()
    writeFiles(dir, { 'events/fault.yaml': 'name: Fault Test\nsample:\n  ok: true\n' })
    for (const fault of ['ten-mb-error', 'invalid-json-error', 'html-502', 'close-mid-response', 'drop-before-answer', 'refused']) {
      const result = await runProcess(
        process.execPath,
        [join(REPO_ROOT, 'dist/cli/main.js'), 'fire', 'Fault Test', '--account', 'acct', '--slug', fault],
        {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', REFOLD_API_KEY: KEY, REFOLD_BASE_URL: fault === 'refused' ? refusedUrl : url },
          timeoutMs: 60_000,
        },
      )
      expectNoCrash(result.stdout + result.stderr, fault)
      expect(result.code, `${fault}: ${result.stderr}`).toBe(1)
      // One sentence after 'error:', without the class name in front (issue 14.16).
      expect(result.stderr, fault).toMatch(/^error: [^\n]+\n$/)
      expect(result.stderr, fault).not.toContain(`${EXPECTED[fault]}:`)
      expect(result.stderr + result.stdout).not.toContain(KEY)
    }
  }, 120_000)
})
