/**
 * Finds, loads (through jiti, so TypeScript configs need no build step) and validates
 * `refold.config.ts`, then resolves every default once. Everything downstream receives
 * a {@link ResolvedConfig}.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, type ConfigErrorPosition, type ConfigProblem } from '../errors.js'
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
  const problems = configProblems(loaded)
  if (problems.length > 0) throw ConfigError.of(shown, await locateKeys(problems, file))
  return resolveConfig(loaded as RefoldConfig, dirname(file), file)
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

/** A problem of the config's value, at a dotted key path (undefined: the whole export). */
interface KeyProblem {
  key: string | undefined
  detail: string
}

/** Every key of `value` that is unknown or has the wrong type, in the order written. */
function configProblems(value: unknown): KeyProblem[] {
  if (!isPlainObject(value)) {
    return [{ key: undefined, detail: 'expected a default export of an object, e.g. `export default defineConfig({ ... })`' }]
  }
  const problems: KeyProblem[] = []
  const problem = (key: string, detail: string): void => void problems.push({ key, detail })
  const inference = value.inference
  for (const key of ['nullable', 'optional']) {
    if (isPlainObject(inference) && inference[key] !== undefined) {
      // Known to event files, not here: a path names a place of one event's payload.
      problem(
        `inference.${key}`,
        `payload paths belong to one event: list them in the \`inference:\` block of that event's file (known keys here: formats, closedObjects)`,
      )
    }
  }
  const { environments, ...rest } = value
  shapeProblems(isPlainObject(inference) ? { ...rest, inference: withoutPolicy(inference) } : rest, CONFIG_SHAPE, '', problem)
  if (environments !== undefined) {
    if (!isPlainObject(environments)) problem('environments', 'expected an object of name -> { baseUrl, apiKeyEnv }')
    else {
      for (const [name, env] of Object.entries(environments)) {
        const key = `environments.${name}`
        if (name === 'local') problem(key, '"local" is the built-in emulator environment; pick another name')
        else if (!isPlainObject(env)) problem(key, 'expected { baseUrl, apiKeyEnv }')
        else {
          shapeProblems(env, ENVIRONMENT_SHAPE, `${key}.`, problem)
          for (const required of ['baseUrl', 'apiKeyEnv']) {
            if (env[required] === undefined) problem(`${key}.${required}`, 'is required')
          }
        }
      }
    }
  }
  return problems
}

const ENVIRONMENT_SHAPE: Shape = { baseUrl: (v) => isUrl(v), apiKeyEnv: (v) => isEnvName(v) }

/** `inference` without the policy keys already reported with their own message. */
function withoutPolicy(inference: Record<string, unknown>): Record<string, unknown> {
  const { nullable: _nullable, optional: _optional, ...rest } = inference
  return rest
}

/** Keys that people write under an environment but that do not belong there, with why. */
const ENVIRONMENT_KEY_HINTS: Record<string, string> = {
  apiKey:
    'the API key is never written in the config: it is read from the environment variable that apiKeyEnv names (e.g. apiKeyEnv: "REFOLD_API_KEY")',
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

function shapeProblems(value: Record<string, unknown>, shape: Shape, prefix: string, problem: (key: string, detail: string) => void): void {
  const known = Object.keys(shape)
  for (const [key, child] of Object.entries(value)) {
    const rule = shape[key]
    if (rule === undefined) {
      const hint = shape === ENVIRONMENT_SHAPE && Object.hasOwn(ENVIRONMENT_KEY_HINTS, key) ? `; ${ENVIRONMENT_KEY_HINTS[key]}` : ''
      problem(prefix + key, `unknown key${didYouMean(key, known)}; known keys: ${known.join(', ')}${hint}`)
      continue
    }
    if (child === undefined) continue
    if (typeof rule === 'function') {
      const wrong = rule(child)
      // Never echo what was written for a key variable's name: it may be the key itself.
      const got = key === 'apiKeyEnv' ? 'a value that is not a variable name' : describe(child)
      if (wrong !== null) problem(prefix + key, `${wrong}, got ${got}`)
    } else if (Object.keys(rule).length > 0) {
      if (!isPlainObject(child)) problem(prefix + key, `expected an object, got ${describe(child)}`)
      else shapeProblems(child, rule, `${prefix}${key}.`, problem)
    }
  }
}

/**
 * Each problem with the line and column of its key in the config's text, best effort: the key
 * path is followed through the text (`sync`, then `concurrency` after it). When a key is not
 * written literally (computed, spread from elsewhere) the position is left out, not guessed.
 */
async function locateKeys(problems: readonly KeyProblem[], file: string): Promise<ConfigProblem[]> {
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch {
    text = undefined
  }
  const located = problems.map(({ key, detail }): ConfigProblem => {
    const position = text === undefined || key === undefined ? undefined : keyPosition(text, key)
    // An environment's lines may hold a secret written by mistake (apiKey: ...): never echo them.
    if (position !== undefined && key?.startsWith('environments.')) delete position.sourceLine
    return { key, detail, position }
  })
  // In file order; problems whose key was not found in the text last, in the order of the value.
  const line = (problem: ConfigProblem): number => problem.position?.line ?? Number.POSITIVE_INFINITY
  return located
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => line(a.problem) - line(b.problem) || a.index - b.index)
    .map(({ problem }) => problem)
}

/** Where the dotted `path` is written as object keys in `text`, or undefined. */
export function keyPosition(text: string, path: string): ConfigErrorPosition | undefined {
  let from = 0
  let found = -1
  for (const segment of path.split('.')) {
    const escaped = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    // The key as an identifier or a quoted property name, followed by a colon.
    const pattern = new RegExp(`(^|[^\\w$])(?:${escaped}|'${escaped}'|"${escaped}")\\s*:`, 'gm')
    pattern.lastIndex = from
    const match = pattern.exec(text)
    if (match === null) return undefined
    found = match.index + match[1]!.length
    from = found + segment.length
  }
  const before = text.slice(0, found)
  const line = before.split('\n').length
  const column = found - (before.lastIndexOf('\n') + 1) + 1
  const sourceLine = text.split(/\r?\n/)[line - 1]
  return sourceLine === undefined ? { line, column } : { line, column, sourceLine }
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
