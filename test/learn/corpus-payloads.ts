/** Every JSON object payload of the real corpus (test/corpus), in path order. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CORPUS_DIR } from '../support/corpus.js'
import type { JsonObject } from '../../src/types.js'

/** The corpus payloads that are objects (what a Refold event carries). */
export function readCorpusPayloads(): JsonObject[] {
  const out: JsonObject[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.json')) {
        const value: unknown = JSON.parse(readFileSync(path, 'utf8'))
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(value as JsonObject)
      }
    }
  }
  walk(CORPUS_DIR)
  return out
}
