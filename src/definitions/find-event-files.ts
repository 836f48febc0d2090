/**
 * Lists the event definition files under the events folder: `**\/*.yaml` and `*.yml`,
 * in a stable order so every run (and every generated file) is the same.
 */
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { EventsFolderError } from '../errors.js'

const EVENT_FILE = /\.ya?ml$/i

/**
 * Absolute paths of every event file under `dir`, sorted by their path relative to `dir`
 * (code-point order, the same on every machine and locale). Hidden files and folders
 * (`.git`, editor swap files) are skipped; symbolic links to folders are not followed, so
 * a link cycle cannot loop.
 */
export async function findEventFiles(dir: string, shownDir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined)
  if (info === undefined) {
    throw new EventsFolderError(
      `events folder not found: ${shownDir} (expected a folder of event YAML files; create one with "refold-events init", or set eventsDir in refold.config.ts)`,
    )
  }
  if (!info.isDirectory()) throw new EventsFolderError(`eventsDir ${shownDir} is not a folder; expected a folder of event YAML files`)
  const found: string[] = []
  await walk(dir, found)
  const key = (file: string): string => relative(dir, file).split(sep).join('/')
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await walk(path, found)
    else if (EVENT_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) found.push(path)
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}
