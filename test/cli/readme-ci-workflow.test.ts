/**
 * The GitHub Actions workflow the README offers to copy: it must be valid YAML, and every
 * `refold-events` command it runs must be a real command taking those options (checked against
 * the command's own `--help`), so the workflow cannot drift from the CLI.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { CliIO } from '../../src/cli/io.js'
import { run } from '../../src/cli/run.js'

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')

function workflowBlock(): string {
  const start = README.indexOf('```yaml\nname: refold events\n')
  expect(start, 'the README has no GitHub Actions workflow block').toBeGreaterThanOrEqual(0)
  const body = README.slice(start + '```yaml\n'.length)
  return body.slice(0, body.indexOf('```'))
}

async function help(command: string): Promise<string> {
  let out = ''
  const io: CliIO = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    waitForInterrupt: () => new Promise(() => {}),
  }
  await run([command, '--help'], io)
  return out
}

describe('the README GitHub Actions workflow', () => {
  it('parses, and runs only commands and options the CLI has', async () => {
    const workflow = parse(workflowBlock()) as { jobs: Record<string, { steps: Array<{ run?: string }> }> }
    const lines = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .flatMap((step) => (step.run ?? '').split('\n'))
      .filter((line) => line.includes('npx refold-events '))
    expect(lines.length).toBeGreaterThanOrEqual(5)
    for (const line of lines) {
      const [command, ...rest] = line.slice(line.indexOf('npx refold-events ') + 'npx refold-events '.length).split(/\s+/)
      const text = await help(command!)
      expect(text, `${command} --help`).toMatch(/^Usage: refold-events /m)
      for (const option of rest.filter((word) => word.startsWith('--'))) expect(text, `${line}: ${option}`).toContain(option)
    }
  })
})
