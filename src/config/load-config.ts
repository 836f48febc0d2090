/**
 * Finds, loads (through jiti, so TypeScript configs need no build step) and validates
 * `refold.config.ts`, then resolves every default once. Everything downstream receives
 * a {@link ResolvedConfig}.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, type ConfigErrorPosition } from '../errors.js'
import { INFERABLE_FORMATS } from '../infer/format-names.js'
import { didYouMean } from '../util/suggest.js'
import { DEFAULT_MAX_FILE_BYTES, type RefoldConfig, type ResolvedConfig } from './define-config.js'
import { displayPath } from '../diagnostics.js'

export const CONFIG_FILE_NAMES = ['refold.config.ts', 'refold.config.mts', 'refold.config.js', 'refold.config.mjs']

export interface LoadConfigOptions {
  /** Working directory; the config is looked up here. */
  cwd: string
  /** Explicit `--config PATH` (relative to cwd). Must exist. */
  configPath?: string | undefined
}

/** Load and resolve the project's configuration; defaults when there is no config file. */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const file = findConfigFile(options)
  if (file === null) return resolveConfig({}, options.cwd, null)
  const shown = displayPath(file, options.cwd)
  let loaded: unknown
  try {
    loaded = await importConfig(file)
  } catch (error) {
    const syntax = await syntaxErrorPosition(error, file)
    if (syntax !== undefined) throw new ConfigError(shown, undefined, `syntax error: ${syntax.message}`, syntax.position)
    throw new ConfigError(shown, undefined, `could not be loaded: ${firstLine(error)}`)
  }
  validateConfig(loaded, shown)
  return resolveConfig(loaded, dirname(file), file)
}

/** Fill in defaults and make paths absolute, relative to `root`. */
export function resolveConfig(config: RefoldConfig, root: string, configFile: string | null): ResolvedConfig {
  return {
    root,
    configFile,
    eventsDir: resolve(root, config.eventsDir ?? 'events'),
    outDir: resolve(root, config.outDir ?? 'generated'),
    inference: {
      // The defaults of DEFAULT_INFER_OPTIONS (not imported: it would load the inference code).
      formats: config.inference?.formats ?? true,
      closedObjects: config.inference?.closedObjects ?? false,
    },
    maxFileBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    environments: { ...config.environments },
    sync: {
      responseForm: config.sync?.responseForm ?? 'payload',
      concurrency: config.sync?.concurrency ?? 4,
      requestsPerSecond: config.sync?.requestsPerSecond ?? 15,
      expandRenames: config.sync?.expandRenames ?? true,
    },
    emulator: {
      state: resolve(root, config.emulator?.state ?? '.refold/emulator.json'),
      workflows: config.emulator?.workflows === undefined ? null : resolve(root, config.emulator.workflows),
    },
    runtime: { idempotencyHeader: config.runtime?.idempotencyHeader ?? 'idempotency-key' },
  }
}

function findConfigFile(options: LoadConfigOptions): string | null {
  if (options.configPath !== undefined) {
    const file = resolve(options.cwd, options.configPath)
    if (!existsSync(file)) throw new ConfigError(options.configPath, undefined, 'file not found (given with --config)')
    return file
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = resolve(options.cwd, name)
    if (existsSync(file)) return file
  }
  return null
}

async function importConfig(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti')
  // The config imports `defineConfig` from 'refold-events'; point that at this very package's
  // define-config module (not the whole library: that would load yaml, ajv and the compiler),
  // so it works in our own repo and wherever the CLI is installed. jiti's transpile cache
  // stays on: it saves ~100 ms per run and is keyed by the file's content.
  const self = fileURLToPath(new URL('./define-config.js', import.meta.url))
  const jiti = createJiti(import.meta.url, { alias: { 'refold-events': self }, moduleCache: false })
  return jiti.import(file, { default: true })
}

type Check = (value: unknown) => string | null

const isString: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'expected a non-empty string')
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'expected true or false')
const isPositiveInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : 'expected a positive integer')
const isPositiveNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'expected a positive number')
/** `formats`: true, false, or a list of format names inference can claim (did you mean). */
const isFormats: Check = (v) => {
  if (typeof v === 'boolean') return null
  const expected = `expected true, false or a list of ${INFERABLE_FORMATS.map((f) => `"${f}"`).join(', ')}`
  if (!Array.isArray(v)) return expected
  for (const name of v) {
    if (typeof name === 'string' && (INFERABLE_FORMATS as readonly string[]).includes(name)) continue
    const hint = typeof name === 'string' ? didYouMean(name, INFERABLE_FORMATS) : ''
    return `${expected}; ${typeof name === 'string' ? JSON.stringify(name) : describe(name)} is not one${hint}`
  }
  return null
}

const oneOf =
  (...values: string[]): Check =>
  (v) =>
    values.includes(v as string) ? null : `expected one of ${values.map((x) => `"${x}"`).join(', ')}`

interface Shape {
  [key: string]: Check | Shape
}

const CONFIG_SHAPE: Shape = {
  eventsDir: isString,
  outDir: isString,
  inference: { formats: isFormats, closedObjects: isBoolean },
  maxFileBytes: isPositiveInt,
  environments: {},
  sync: {
    responseForm: oneOf('payload', 'envelope'),
    concurrency: isPositiveInt,
    requestsPerSecond: isPositiveNumber,
    expandRenames: isBoolean,
  },
  emulator: { state: isString, workflows: isString },
  runtime: { idempotencyHeader: isString },
}

/** Throws a {@link ConfigError} naming the first key that is unknown or has the wrong type. */
function validateConfig(value: unknown, file: string): asserts value is RefoldConfig {
  if (!isPlainObject(value)) {
    throw new ConfigError(file, undefined, 'expected a default export of an object, e.g. `export default defineConfig({ ... })`')
  }
  const inference = value.inference
  for (const key of ['nullable', 'optional']) {
    if (isPlainObject(inference) && inference[key] !== undefined) {
      // Known to event files, not here: a path names a place of one event's payload.
      throw new ConfigError(
        file,
        `inference.${key}`,
        `payload paths belong to one event: list them in the \`inference:\` block of that event's file (known keys here: formats, closedObjects)`,
      )
    }
  }
  validateShape(value, CONFIG_SHAPE, '', file)
  const environments = value.environments
  if (environments !== undefined) {
    if (!isPlainObject(environments)) throw new ConfigError(file, 'environments', 'expected an object of name -> { baseUrl, apiKeyEnv }')
    for (const [name, env] of Object.entries(environments)) {
      const key = `environments.${name}`
      if (name === 'local') throw new ConfigError(file, key, '"local" is the built-in emulator environment; pick another name')
      if (!isPlainObject(env)) throw new ConfigError(file, key, 'expected { baseUrl, apiKeyEnv }')
      validateShape(env, { baseUrl: isUrl, apiKeyEnv: isEnvName }, `${key}.`, file)
      for (const required of ['baseUrl', 'apiKeyEnv']) {
        if (env[required] === undefined) throw new ConfigError(file, `${key}.${required}`, 'is required')
      }
    }
  }
}

const isUrl: Check = (v) => {
  if (typeof v !== 'string') return 'expected a URL string such as "https://app.refold.ai"'
  try {
    const url = new URL(v)
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'expected an http(s) URL'
  } catch {
    return 'expected a URL such as "https://app.refold.ai"'
  }
}

const isEnvName: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)
    ? null
    : 'expected the NAME of an environment variable (e.g. "REFOLD_STAGING_API_KEY"), not the key itself'

function validateShape(value: Record<string, unknown>, shape: Shape, prefix: string, file: string): void {
  const known = Object.keys(shape)
  for (const [key, child] of Object.entries(value)) {
    const rule = shape[key]
    if (rule === undefined) {
      throw new ConfigError(file, prefix + key, `unknown key${didYouMean(key, known)}; known keys: ${known.join(', ')}`)
    }
    if (child === undefined) continue
    if (typeof rule === 'function') {
      const problem = rule(child)
      // Never echo what was written for a key variable's name: it may be the key itself.
      const got = key === 'apiKeyEnv' ? 'a value that is not a variable name' : describe(child)
      if (problem !== null) throw new ConfigError(file, prefix + key, `${problem}, got ${got}`)
    } else if (Object.keys(rule).length > 0) {
      if (!isPlainObject(child)) throw new ConfigError(file, prefix + key, `expected an object, got ${describe(child)}`)
      validateShape(child, rule, `${prefix}${key}.`, file)
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

/**
 * The position of a syntax error in the config, when jiti's transpiler reported one. jiti
 * rethrows the parser's error as `ParseError: <message>` with ` <file>:<line>:<column>` (column
 * counted from 0) on the next line; a parser error object may instead carry `loc`.
 */
async function syntaxErrorPosition(error: unknown, file: string): Promise<{ message: string; position: ConfigErrorPosition } | undefined> {
  if (!(error instanceof Error)) return undefined
  let line: number | undefined
  let column: number | undefined
  const loc = (error as { loc?: { line?: unknown; column?: unknown } }).loc
  if (typeof loc?.line === 'number' && typeof loc.column === 'number') {
    line = loc.line
    column = loc.column + 1
  } else {
    const at = /\n\s*(.+):(\d+):(\d+)\s*$/.exec(error.message)
    if (at === null || resolve(at[1]!) !== file) return undefined
    line = Number(at[2])
    column = Number(at[3]) + 1
  }
  const first = firstLine(error)
    .replace(/^(?:ParseError|SyntaxError):\s*/, '')
    .replace(/\s*\(\d+:\d+\)\s*$/, '')
    .trim()
  const message = `${first.charAt(0).toLowerCase()}${first.slice(1)}`
  let sourceLine: string | undefined
  try {
    sourceLine = (await readFile(file, 'utf8')).split(/\r?\n/)[line - 1]
  } catch {
    sourceLine = undefined
  }
  return { message, position: sourceLine === undefined ? { line, column } : { line, column, sourceLine } }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] ?? message
}
