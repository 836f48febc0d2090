/**
 * Which Refold a command that talks HTTP (`sync`, `pull`, `fire`) targets, per DESIGN.md
 * "Configuration and targets": `--env NAME` from the config; else `REFOLD_BASE_URL` with
 * `REFOLD_API_KEY`; else the built-in `local` environment, the embedded emulator started
 * in-process on a free loopback port, so a fresh clone works with no account.
 */
import { randomBytes } from 'node:crypto'
import type { ResolvedConfig } from '../config/define-config.js'
import { ExitError } from './exit.js'
import { configShown } from './workflows-file-source.js'
import type { RunningEmulator } from '../emulator/index.js'
import { parseBaseUrl } from '../http/base-url.js'
import { didYouMean } from '../util/suggest.js'
import { ApiKey } from '../remote/api-key.js'
import { displayPath } from '../diagnostics.js'

/** The name of the built-in environment. */
export const LOCAL_ENVIRONMENT = 'local'

/** A resolved target. Close it when done (stops the embedded emulator). */
export interface Target {
  /** `local`, a configured environment's name, or `REFOLD_BASE_URL`. */
  name: string
  baseUrl: string
  apiKey: ApiKey
  /** Problems worth a warning line (a test key aimed at production, ...). */
  warnings: string[]
  /** The embedded emulator when the target is `local`. */
  emulator: RunningEmulator | null
  close(): Promise<void>
}

export interface ResolveTargetOptions {
  config: ResolvedConfig
  /** `--env NAME`, when given. */
  envName?: string | undefined
  env: Readonly<Record<string, string | undefined>>
  cwd: string
}

/** Resolve the target; a missing key, an unknown name or an insecure URL throws {@link ExitError}. */
export async function resolveTarget(options: ResolveTargetOptions): Promise<Target> {
  const { config, envName, env } = options
  if (envName !== undefined && envName !== LOCAL_ENVIRONMENT) {
    const environment = config.environments[envName]
    if (environment === undefined) {
      const known = [LOCAL_ENVIRONMENT, ...Object.keys(config.environments)]
      throw new ExitError(
        `unknown environment "${envName}"${didYouMean(envName, known)}; known: ${known.join(', ')} (set them in refold.config.ts "environments")`,
      )
    }
    const key = env[environment.apiKeyEnv]
    if (key === undefined || key.trim() === '') {
      throw new ExitError(
        `environment "${envName}" reads its API key from $${environment.apiKeyEnv}, which is not set; set it to that environment's key`,
      )
    }
    const apiKey = new ApiKey(key)
    return remoteTarget(envName, environment.baseUrl, apiKey, keyWarnings(envName, apiKey), `environment "${envName}"`)
  }
  const baseUrl = env.REFOLD_BASE_URL
  if (envName === undefined && baseUrl !== undefined && baseUrl.trim() !== '') {
    const key = env.REFOLD_API_KEY
    if (key === undefined || key.trim() === '')
      throw new ExitError('REFOLD_BASE_URL is set but REFOLD_API_KEY is not: set both, or neither to use the local emulator')
    return remoteTarget('REFOLD_BASE_URL', baseUrl.trim(), new ApiKey(key), [], 'REFOLD_BASE_URL')
  }
  return startLocal(config, options.cwd)
}

/**
 * Refold's production keys start `pk`, test keys `tk`: a test key aimed at an environment
 * named like production, or a production key at any other, is most likely a mix-up.
 */
export function keyWarnings(environment: string, apiKey: ApiKey): string[] {
  const production = /prod/i.test(environment)
  if (production && apiKey.kind === 'test')
    return [`a test key (tk...) targets environment "${environment}", which is named like production`]
  if (!production && apiKey.kind === 'production')
    return [`a production key (pk...) targets environment "${environment}", which is not named like production`]
  return []
}

function remoteTarget(name: string, baseUrl: string, apiKey: ApiKey, warnings: string[], source: string): Target {
  // The key travels only over https or to loopback (a local emulator).
  const parsed = parseBaseUrl(baseUrl, source)
  if ('problem' in parsed) throw new ExitError(parsed.message)
  return { name, baseUrl: parsed.origin + parsed.pathPrefix, apiKey, warnings, emulator: null, close: async () => {} }
}

async function startLocal(config: ResolvedConfig, cwd: string): Promise<Target> {
  const { startEmulator, StateInUseError, StateUnusableError } = await import('../emulator/index.js')
  // A fresh key per run: nothing else on this machine can write to the emulator meanwhile.
  const key = `tk_local_${randomBytes(12).toString('hex')}`
  let emulator: RunningEmulator
  try {
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      stateFile: config.emulator.state,
      workflows: config.emulator.workflows,
      apiKey: key,
      cwd,
    })
  } catch (error) {
    const shown = displayPath(config.emulator.state, cwd)
    if (error instanceof StateInUseError) {
      // Its URL only when its lock records one: a guessed port would send the key to whatever listens there.
      const url = error.url === undefined ? ' set to its URL' : `=${error.url}`
      throw new ExitError(
        `the local environment's state ${shown} is in use by a running emulator${error.url === undefined ? '' : ` at ${error.url}`}: ` +
          `stop it, or target it with REFOLD_BASE_URL${url} and REFOLD_API_KEY set to its key`,
      )
    }
    if (error instanceof StateUnusableError) {
      // This command has no --state option (the emulator command's advice): say what it reads instead.
      throw new ExitError(
        `the local environment's state ${shown} ${error.why}; move it away to start from an empty state, ` +
          `or set emulator.state in ${configShown(config, cwd)} to use another file`,
      )
    }
    throw error
  }
  return { name: LOCAL_ENVIRONMENT, baseUrl: emulator.url, apiKey: new ApiKey(key), warnings: [], emulator, close: () => emulator.close() }
}
