/**
 * Child processes: timing a command from spawn to exit (what a user waits for), reading a
 * child's peak memory, and starting helper servers in their own process so the process
 * being measured does nothing else.
 */
import { fork, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const USAGE_HOOK = fileURLToPath(new URL('./usage-hook.mjs', import.meta.url))

/**
 * Run `command args` in `cwd` and resolve with its wall time (spawn to exit, in ms), exit
 * code and output. Rejects when it exits non-zero unless `allowFailure`.
 */
export function runTimed(command, args, { cwd, env, allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - start
      if (code !== 0 && !allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code} in ${cwd}:\n${(stderr || stdout).slice(0, 2000)}`))
      } else resolve({ ms, code, stdout, stderr })
    })
  })
}

/**
 * Run a node script and resolve with its wall time, peak resident memory in KB
 * (`process.resourceUsage().maxRSS`, read by a preloaded hook as the child exits, whether
 * it succeeds or not) and CPU time in ms (user + system, every thread of the process):
 * `{ ms, code, stdout, stderr, maxRssKb, cpuMs }`.
 */
export async function runMeasuringMemory(nodeArgs, { cwd, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'refold-bench-usage-'))
  const file = join(dir, 'usage.json')
  try {
    const result = await runTimed(process.execPath, ['--import', USAGE_HOOK, ...nodeArgs], {
      cwd,
      env: { ...env, REFOLD_BENCH_USAGE_FILE: file },
      allowFailure: true,
    })
    const usage = JSON.parse(readFileSync(file, 'utf8'))
    return { ...result, maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Start `script` (a node module under bench/children) in its own process; it must send
 * `{ url }` over IPC once listening. Resolves with `{ url, stop(), request(message) }`; `stop`
 * ends exactly that process (SIGTERM) and resolves once it has exited.
 */
export function startServer(script, args = [], { env } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env } })
    const fail = (error) => reject(error instanceof Error ? error : new Error(`${script} exited (${error}) before listening`))
    child.once('error', fail)
    child.once('exit', fail)
    child.once('message', (message) => {
      child.off('exit', fail)
      child.off('error', fail)
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done()
          child.once('exit', () => done())
          child.kill('SIGTERM')
        })
      /** Send `value` and resolve with the next message the server sends back. */
      const request = (value) =>
        new Promise((answer) => {
          child.once('message', answer)
          child.send(value)
        })
      resolve({ ...message, stop, request })
    })
  })
}
