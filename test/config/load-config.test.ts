import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { ConfigError, formatConfigError } from '../../src/errors.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'

function project(files: Record<string, string>): string {
  const dir = tempDir('config')
  writeFiles(dir, files)
  return dir
}

async function configError(files: Record<string, string>, configPath?: string): Promise<ConfigError> {
  const error = await loadConfig({ cwd: project(files), configPath }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('loadConfig', () => {
  it('resolves defaults when there is no config file', async () => {
    const cwd = project({})
    const config = await loadConfig({ cwd })
    expect(config.configFile).toBeNull()
    expect(config.eventsDir).toBe(join(cwd, 'events'))
    expect(config.outDir).toBe(join(cwd, 'generated'))
    expect(config.inference).toEqual({ formats: true, closedObjects: false })
    expect(config.sync.responseForm).toBe('payload')
    expect(config.sync.expandRenames).toBe(true)
    expect(config.emulator.state).toBe(join(cwd, '.refold/emulator.json'))
  })

  it('loads a TypeScript config importing defineConfig from refold-events', async () => {
    const cwd = project({
      'refold.config.ts': `import { defineConfig } from 'refold-events'
const dir: string = 'defs'
export default defineConfig({ eventsDir: dir, inference: { formats: false }, environments: { staging: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'STAGING_KEY' } } })
`,
    })
    const config = await loadConfig({ cwd })
    expect(config.configFile).toBe(join(cwd, 'refold.config.ts'))
    expect(config.eventsDir).toBe(join(cwd, 'defs'))
    expect(config.inference).toEqual({ formats: false, closedObjects: false })
    expect(config.environments.staging?.apiKeyEnv).toBe('STAGING_KEY')
  })

  it('names the file and the key of an unknown key, with a suggestion', async () => {
    const error = await configError({ 'refold.config.ts': 'export default { eventDir: "x" }\n' })
    expect(error.file).toBe('refold.config.ts')
    expect(error.key).toBe('eventDir')
    expect(error.message).toContain('did you mean "eventsDir"?')
  })

  it('names nested keys with the wrong type', async () => {
    const error = await configError({ 'refold.config.ts': 'export default { inference: { formats: "yes" } }\n' })
    expect(error.key).toBe('inference.formats')
    expect(error.message).toContain('expected true, false or a list of "uuid", "date-time", "date", "email", "uri"')
    expect(error.message).toContain('got "yes"')
  })

  it('takes sync.expandRenames as a boolean only', async () => {
    const off = await loadConfig({ cwd: project({ 'refold.config.ts': 'export default { sync: { expandRenames: false } }\n' }) })
    expect(off.sync.expandRenames).toBe(false)
    const error = await configError({ 'refold.config.ts': 'export default { sync: { expandRenames: "no" } }\n' })
    expect(error.key).toBe('sync.expandRenames')
    expect(error.message).toContain('expected true or false')
  })

  it('takes a list of formats, naming an unknown one with a did you mean', async () => {
    const ok = await loadConfig({
      cwd: await project({
        'refold.config.ts': 'export default { inference: { formats: ["date-time", "email"], closedObjects: true } }\n',
      }),
    })
    expect(ok.inference).toEqual({ formats: ['date-time', 'email'], closedObjects: true })
    const error = await configError({ 'refold.config.ts': 'export default { inference: { formats: ["date-time", "emial"] } }\n' })
    expect(error.key).toBe('inference.formats')
    expect(error.message).toContain('"emial" is not one (did you mean "email"?)')
    const unknown = await configError({ 'refold.config.ts': 'export default { inference: { nullable: ["a"] } }\n' })
    expect(unknown.key).toBe('inference.nullable')
    expect(unknown.message).toContain("payload paths belong to one event: list them in the `inference:` block of that event's file")
    const typo = await configError({ 'refold.config.ts': 'export default { inference: { closedObject: true } }\n' })
    expect(typo.key).toBe('inference.closedObject')
    expect(typo.message).toContain('did you mean "closedObjects"?')
  })

  it('rejects an API key written where the variable name belongs', async () => {
    const error = await configError({
      'refold.config.ts': 'export default { environments: { prod: { baseUrl: "https://app.refold.ai", apiKeyEnv: "pk-live-123" } } }\n',
    })
    expect(error.key).toBe('environments.prod.apiKeyEnv')
    expect(error.message).not.toContain('pk-live-123')
  })

  it('reports every key problem of a run together, each at its key when the text shows it', async () => {
    const error = await configError({
      'refold.config.ts': [
        "const computed = { ['event' + 'sDir']: '' }",
        'export default {',
        '  outDir: 42,',
        '  sync: { concurrency: 0 },',
        '  environments: {',
        '    production: { baseUrl: "https://app.refold.ai", apiKeyEnv: "K", apiKey: "sk-live-secret" },',
        '  },',
        '  ...computed,',
        '}',
        '',
      ].join('\n'),
    })
    const where = error.problems.map((problem) => [problem.key, problem.position?.line, problem.position?.column])
    expect(where).toEqual([
      ['outDir', 3, 3],
      ['sync.concurrency', 4, 11],
      ['environments.production.apiKey', 6, 69],
      // Written under a computed name: no position rather than a made-up one.
      ['eventsDir', undefined, undefined],
    ])
    const apiKey = error.problems[2]!
    expect(apiKey.detail).toContain('read from the environment variable that apiKeyEnv names')
    expect(formatConfigError(error)).not.toContain('sk-live-secret')
    expect(error.message).not.toContain('sk-live-secret')
  })

  it('requires both keys of an environment', async () => {
    const error = await configError({
      'refold.config.ts': 'export default { environments: { staging: { apiKeyEnv: "K" } } }\n',
    })
    expect(error.key).toBe('environments.staging.baseUrl')
  })

  it('reports a config that does not load, naming the file', async () => {
    const error = await configError({ 'refold.config.ts': 'import x from "./missing.js"\nexport default { x }\n' })
    expect(error.message).toMatch(/^refold\.config\.ts: could not be loaded: Cannot find module/)
  })

  it('reports a syntax error at its line and column, with the offending line', async () => {
    const error = await configError({
      'refold.config.ts': "export default {\n  eventsDir: 'events'\n  outDir: 'generated',\n}\n",
    })
    expect(error.position).toEqual({ line: 3, column: 3, sourceLine: "  outDir: 'generated'," })
    expect(formatConfigError(error)).toBe(
      ['refold.config.ts:3:3: error: syntax error: unexpected token, expected ","', "  3 |   outDir: 'generated',", '    |   ^'].join('\n'),
    )
  })

  it('reports a missing --config file', async () => {
    const error = await configError({}, 'nope.config.ts')
    expect(error.message).toContain('nope.config.ts: file not found')
  })

  it('picks the file given with --config', async () => {
    const cwd = project({ 'other.config.mjs': 'export default { outDir: "out" }\n' })
    const config = await loadConfig({ cwd, configPath: 'other.config.mjs' })
    expect(config.outDir).toBe(join(cwd, 'out'))
  })
})
