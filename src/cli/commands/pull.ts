/**
 * `refold-events pull`: adopt an existing Refold setup. Writes one event file per remote
 * event that has no YAML yet, never overwriting a file (each is written to a temp file and
 * hard-linked into place, which fails rather than replace anything), so it is safe to run
 * again at any time. A `sync` right after reports no changes.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { link, mkdir, readdir, rm } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../config/load-config.js'
import { loadDefinitions } from '../../definitions/load-definitions.js'
import { DefinitionError } from '../../errors.js'
import { RefoldEventsApi } from '../../remote/events-api.js'
import { RemoteHttp } from '../../remote/remote-http.js'
import { resolveTarget } from '../resolve-target.js'
import { pullEvents } from '../../pull/pull-events.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import type { CliIO } from '../io.js'
import { ProgressLine } from '../progress-line.js'
import { withRemoteErrors } from '../remote-failure.js'
import { displayPath } from '../../diagnostics.js'
import { ExitCode } from '../exit.js'

export interface PullOptions {
  config?: string
  env?: string
}

/** Run `pull` and return its exit code. */
export async function runPull(options: PullOptions, io: CliIO): Promise<number> {
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config })
  // No events folder yet is the usual start of adopting a Console setup: pull creates it.
  const fresh = !existsSync(config.eventsDir)
  const loaded = fresh
    ? { definitions: [], diagnostics: [] }
    : await loadDefinitions({ eventsDir: config.eventsDir, cwd: io.cwd, maxFileBytes: config.maxFileBytes })
  // With a broken file nobody can tell which event it defines, and pull might duplicate it.
  if (loaded.diagnostics.some((d) => d.severity === 'error')) throw new DefinitionError(loaded.diagnostics)

  const target = await resolveTarget({ config, envName: options.env, env: io.env, cwd: io.cwd })
  const http = new RemoteHttp({
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
    concurrency: config.sync.concurrency,
    requestsPerSecond: config.sync.requestsPerSecond,
  })
  try {
    for (const warning of target.warnings) io.stderr(`warning: ${warning}\n`)
    const progress = new ProgressLine(io, 'Pulling')
    progress.status(`Reading events from ${target.name}…`)
    const remote = await withRemoteErrors(target, () => new RefoldEventsApi(http).list()).finally(() => progress.clear())
    const result = await pullEvents({
      remote,
      local: loaded.definitions,
      existingFiles: new Set(await readdir(config.eventsDir).catch(() => [] as string[])),
      inference: config.inference,
      source: target.name,
      editorSchema: editorSchemaReference(config.eventsDir, io.cwd),
    })
    const shownDir = displayPath(config.eventsDir, io.cwd)
    let written = 0
    let failed = 0
    for (const file of result.files) {
      const path = join(config.eventsDir, file.fileName)
      const shown = `${shownDir}/${file.fileName}`
      if (await writeNewFile(path, file.contents)) {
        written++
        io.stdout(`wrote ${shown} (${file.name})\n`)
        for (const warning of file.warnings) io.stderr(`warning: ${shown}: ${warning}\n`)
      } else {
        failed++
        io.stderr(`error: ${shown} appeared meanwhile; not overwritten (run pull again)\n`)
      }
    }
    for (const skipped of result.skipped) io.stderr(`skipped "${skipped.name}": ${skipped.reason}\n`)
    const defined = remote.length - result.files.length - result.skipped.length
    io.stdout(
      `Pulled ${written} ${written === 1 ? 'event' : 'events'} from ${target.name}; ${defined} already defined, ${result.skipped.length} skipped.\n`,
    )
    return failed === 0 ? ExitCode.ok : ExitCode.error
  } finally {
    await http.close()
    await target.close()
  }
}

/**
 * The `$schema` reference of a pulled file (written in the events folder itself), for
 * yaml-language-server: the installed package's event-file.schema.json, found the way Node
 * resolves packages (the nearest node_modules/refold-events above the folder, wherever the config
 * is), else this very package when it lives inside the project (refold-events' own repository),
 * else node_modules/ beside the current folder. Always relative to the file's folder, with `/`.
 */
function editorSchemaReference(eventsDir: string, cwd: string): string {
  const file = 'event-file.schema.json'
  let candidate: string | undefined
  for (let dir = eventsDir; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', 'refold-events', file)
    if (existsSync(installed)) {
      candidate = installed
      break
    }
    if (dirname(dir) === dir) break
  }
  if (candidate === undefined) {
    const own = fileURLToPath(new URL(`../../../${file}`, import.meta.url))
    const inside = relative(cwd, own)
    candidate = !inside.startsWith('..') && !isAbsolute(inside) ? own : join(cwd, 'node_modules', 'refold-events', file)
  }
  return relative(eventsDir, candidate).split(sep).join('/')
}

/** Write `contents` to `path` atomically, only if nothing is there: false when something is. */
async function writeNewFile(path: string, contents: string): Promise<boolean> {
  await mkdir(join(path, '..'), { recursive: true })
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFileAtomic(temp, contents)
  try {
    await link(temp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(temp, { force: true })
  }
}
