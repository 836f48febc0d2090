import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { githubAnnotation } from '../../src/cli/diagnostics-output.js'
import type { CliIO } from '../../src/cli/io.js'
import { run } from '../../src/cli/run.js'
import { tempDir } from '../support/temp-dir.js'

interface Captured {
  code: number
  stdout: string
  stderr: string
}

async function cli(cwd: string, ...argv: string[]): Promise<Captured> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    env: {},
    isTTY: false,
    waitForInterrupt: () => new Promise(() => {}),
  }
  const code = await run(argv, io)
  return { code, stdout, stderr }
}

function folder(): string {
  return tempDir('cli')
}

describe('init', () => {
  it('scaffolds a project that check accepts', async () => {
    const cwd = folder()
    const init = await cli(cwd, 'init')
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('created refold.config.ts\ncreated events/new-contact-created.yaml\n')
    expect(readdirSync(cwd).sort()).toEqual(['events', 'refold.config.ts'])
    expect(readdirSync(join(cwd, 'events'))).toEqual(['new-contact-created.yaml'])
    const check = await cli(cwd, 'check')
    expect(check).toEqual({ code: 0, stdout: '1 event checked, 0 errors, 0 warnings\n', stderr: '' })
  })

  it('writes nothing when any file it would write exists', async () => {
    const cwd = folder()
    mkdirSync(join(cwd, 'events'))
    writeFileSync(join(cwd, 'events/new-contact-created.yaml'), 'mine\n')
    const result = await cli(cwd, 'init')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'error: refusing to overwrite existing files: events/new-contact-created.yaml (init only creates new files; nothing was written)\n',
    )
    expect(readdirSync(cwd)).toEqual(['events'])
    expect(readFileSync(join(cwd, 'events/new-contact-created.yaml'), 'utf8')).toBe('mine\n')
  })

  it('refuses a second config file of another extension', async () => {
    const cwd = folder()
    writeFileSync(join(cwd, 'refold.config.mjs'), 'export default {}\n')
    const result = await cli(cwd, 'init')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('refold.config.mjs')
    expect(readdirSync(cwd)).toEqual(['refold.config.mjs'])
  })
})

describe('check', () => {
  function project(): string {
    const cwd = folder()
    mkdirSync(join(cwd, 'events'))
    writeFileSync(join(cwd, 'events/a.yaml'), 'name: A\nsample:\n  x: 1\n  note: null\n')
    writeFileSync(join(cwd, 'events/b.yaml'), 'name: B\nsample: { y: 1 }\nschema: { properties: { y: { type: string } } }\n')
    return cwd
  }

  it('prints diagnostics to stderr and a summary to stdout, exit 1 on errors', async () => {
    const result = await cli(project(), 'check')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('2 events checked, 1 error, 1 warning\n')
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^events\/a\.yaml:4:3: warning: `note` is null in every sample/),
      'events/b.yaml:2:11: error: sample.y does not match the schema: expected a string, got 1',
      '',
    ])
  })

  it('prints one JSON document with --format json', async () => {
    const result = await cli(project(), 'check', '--format', 'json')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    const report = JSON.parse(result.stdout) as { ok: boolean; summary: unknown; events: { name: string }[]; diagnostics: unknown[] }
    expect(report.ok).toBe(false)
    expect(report.summary).toEqual({ events: 2, filesNotLoaded: 0, errors: 1, warnings: 1 })
    expect(report.events.map((e) => e.name)).toEqual(['A'])
    expect(report.diagnostics).toHaveLength(2)
  })

  it('counts in JSON, as in the human summary, only files that held an event', async () => {
    const cwd = project()
    writeFileSync(join(cwd, 'events/c.yaml'), 'name: [C\n')
    const human = await cli(cwd, 'check')
    expect(human.stdout).toBe('2 events checked, 1 file not loaded, 2 errors, 1 warning\n')
    const report = JSON.parse((await cli(cwd, 'check', '--format', 'json')).stdout) as { summary: unknown }
    expect(report.summary).toEqual({ events: 2, filesNotLoaded: 1, errors: 2, warnings: 1 })
  })

  it('prints GitHub annotations with --format github', async () => {
    const result = await cli(project(), 'check', '--format', 'github')
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^::warning file=events\/a\.yaml,line=4,col=3,title=refold-events check::`note` is null/),
      '::error file=events/b.yaml,line=2,col=11,title=refold-events check::sample.y does not match the schema: expected a string, got 1',
      '2 events checked, 1 error, 1 warning',
      '',
    ])
  })

  it('rejects an unknown format', async () => {
    const result = await cli(project(), 'check', '--format', 'xml')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are human, json, github.")
  })

  it("passes on the project's own events/", async () => {
    const result = await cli(join(import.meta.dirname, '../..'), 'check')
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(/^\d+ events checked, 0 errors, 0 warnings\n$/)
  })
})

describe('githubAnnotation', () => {
  it("escapes data and properties as GitHub's toolkit does", () => {
    expect(
      githubAnnotation(
        { file: 'events/a,b:c.yaml', line: 3, column: 5, severity: 'error', message: '100% wrong\nsecond line\r' },
        'refold-events: check',
      ),
    ).toBe('::error file=events/a%2Cb%3Ac.yaml,line=3,col=5,title=refold-events%3A check::100%25 wrong%0Asecond line%0D')
  })
})
