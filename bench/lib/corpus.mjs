/**
 * The shared corpus of real payloads (`test/corpus`, kept in the repository with its licences): GitHub webhook examples grouped by event kind, and Stripe fixtures.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { REPO_ROOT } from './project.mjs'

/** Where the corpus lives; `REFOLD_CORPUS` overrides it. */
export const CORPUS_DIR = process.env.REFOLD_CORPUS ?? join(REPO_ROOT, 'test/corpus')

/**
 * Every payload of the corpus, sorted by path: `{ path, group, payload }`, where `group`
 * is the folder of variants one event kind has (`github-webhooks/issues`) and a Stripe
 * fixture is its own group. Null when the corpus is not there.
 */
export function readCorpus() {
  if (!existsSync(CORPUS_DIR)) return null
  const files = []
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.json')) files.push(path)
    }
  }
  walk(CORPUS_DIR)
  return files.map((path) => {
    const rel = relative(CORPUS_DIR, path).split(sep).join('/')
    const parts = rel.split('/')
    const group = parts[0] === 'github-webhooks' ? parts.slice(0, 2).join('/') : rel.replace(/\.json$/, '')
    return { path: rel, group, payload: JSON.parse(readFileSync(path, 'utf8')) }
  })
}

/** The corpus as groups of samples (one event kind each), in path order. */
export function corpusGroups(entries) {
  const groups = new Map()
  for (const entry of entries) {
    if (!groups.has(entry.group)) groups.set(entry.group, [])
    groups.get(entry.group).push(entry.payload)
  }
  return [...groups].map(([name, samples]) => ({ name, samples }))
}
