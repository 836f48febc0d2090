/**
 * The machine a run was measured on, recorded beside the figures: ratios travel between
 * machines far better than absolute times, but neither means much without this.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os'

/** `{ cpus, cpuModel, memory, node, os, load }`, each a display string. */
export function describeMachine() {
  return {
    cpus: String(nproc()),
    cpuModel: cpuModel(),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${osType()} ${release()}`,
    load: loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
  }
}

/** What `nproc` prints (the CPUs this process may use), else Node's own count. */
function nproc() {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim())
  } catch {
    return availableParallelism()
  }
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'))
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim()
  } catch {
    // Not Linux: fall through to Node's view.
  }
  return cpus()[0]?.model ?? 'unknown'
}
