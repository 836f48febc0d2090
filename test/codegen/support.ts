/**
 * Shared helpers of the codegen tests: compile events from YAML text through the real
 * loader and compiler, and build throwaway TypeScript projects that resolve
 * `refold-events` to this repository (its built `dist/`), for the real `tsc` and `node`.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { parseEventFile } from '../../src/definitions/parse-event-file.js'
import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { CompiledEvent, EventDefinition, JsonObject, JsonSchema } from '../../src/types.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const TSC = join(REPO_ROOT, 'node_modules/.bin/tsc')

/** What an event file says, as data (written out as JSON, which is YAML). */
export interface EventSpec {
  name: string
  description?: string
  apps?: string[]
  sample: JsonObject
  examples?: JsonObject[]
  schema?: JsonSchema
  /** The file's `inference:` block. */
  inference?: Record<string, unknown>
  /** The file's `idempotencyKey`: the payload path each fire's key comes from. */
  idempotencyKey?: string
  /** The file's `previousNames`: what the helper falls back to while Refold does not know the name. */
  previousNames?: string[]
}

/** The text of an event file for `spec`. */
export function eventYaml(spec: EventSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`
}

/** Parse and compile event files (file name -> YAML text) with the real loader; any error fails. */
export async function compileEvents(files: Record<string, string>): Promise<CompiledEvent[]> {
  const definitions: EventDefinition[] = []
  const problems: string[] = []
  for (const [name, text] of Object.entries(files)) {
    const parsed = await parseEventFile(text, `events/${name}`)
    problems.push(...parsed.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic))
    if (parsed.definition !== undefined) definitions.push(parsed.definition)
  }
  const compiled = await compileDefinitions(definitions, DEFAULT_INFER_OPTIONS)
  problems.push(...compiled.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic))
  if (problems.length > 0) throw new Error(`events do not compile:\n${problems.join('\n')}`)
  return compiled.events
}

/** Compile events given as specs. */
export function compileSpecs(...specs: EventSpec[]): Promise<CompiledEvent[]> {
  return compileEvents(Object.fromEntries(specs.map((spec, i) => [`event-${i}.yaml`, eventYaml(spec)])))
}

/**
 * A temporary ESM project whose `node_modules/refold-events` links to this repository, so
 * `refold-events/runtime` resolves through package.json "exports" to the built `dist/`.
 */
export function tempProject(prefix = 'refold-codegen-'): string {
  if (!existsSync(join(REPO_ROOT, 'dist/runtime/index.d.ts')) || !existsSync(join(REPO_ROOT, 'dist/runtime/ajv.js'))) {
    throw new Error('dist/ is missing or stale: run `npm run build` before these tests')
  }
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/refold-events'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  return dir
}

/** Write `files` (path relative to `dir` -> contents), creating folders. */
export { writeFiles as writeTree } from '../support/temp-dir.js'

export interface ProcessResult {
  code: number
  stdout: string
  stderr: string
}

/** Run a program to completion (never throws on a non-zero exit). */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ProcessResult> {
  return new Promise((resolvePromise) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolvePromise({ code, stdout, stderr })
      },
    )
  })
}

/** The strict compiler options every type test uses, plus `extra`. */
export function strictTsconfig(extra: Record<string, unknown>, files: string[]): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'es2022',
        lib: ['es2022'],
        types: [],
        noEmit: true,
        ...extra,
      },
      files,
    },
    null,
    2,
  )}\n`
}

/** Module settings of the two resolution modes generated code must support. */
export const RESOLUTION_MODES = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const
