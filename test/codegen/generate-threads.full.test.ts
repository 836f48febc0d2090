/**
 * The built CLI on a project large enough for generating workers gives exactly what it gives
 * on one thread: the same files, byte for byte, and the same output.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'
import { eventYaml, REPO_ROOT } from './support.js'
import { specs } from './thread-specs.js'

const minEvents = async (): Promise<number> => {
  const pool = (await import(pathToFileURL(join(REPO_ROOT, 'dist/codegen/generator-pool.js')).href)) as {
    LOCAL_FIRST: number
    MIN_REMAINING: number
  }
  return pool.LOCAL_FIRST + pool.MIN_REMAINING + 20
}

describe('generate on worker threads', () => {
  it('writes the same bytes and says the same with REFOLD_GENERATE_THREADS=1 and =2', { timeout: 180_000 }, async () => {
    const count = await minEvents()
    const files = Object.fromEntries(specs(count).map((spec, i) => [`events/e${i}.yaml`, eventYaml(spec)]))
    const outputs = []
    for (const threads of ['1', '2']) {
      const dir = tempDir('threads-cli')
      writeFiles(dir, files)
      const result = await runCli(['generate'], { cwd: dir, env: { REFOLD_GENERATE_THREADS: threads } })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      outputs.push({ stdout: result.stdout, files: readTree(join(dir, 'generated')) })
    }
    expect(outputs[1]).toEqual(outputs[0])
    expect(Object.keys(outputs[0]!.files).length).toBe(3 * count + 1)
  })
})

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) Object.assign(out, readTree(path, `${prefix}${entry.name}/`))
    else out[`${prefix}${entry.name}`] = readFileSync(path, 'utf8')
  }
  return out
}
