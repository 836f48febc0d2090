/**
 * The real-payload corpus kept in the repository (`test/corpus`, MIT-licensed data written by
 * others: see its README and LICENSE-THIRD-PARTY.md), so a clone with nothing beside it runs
 * every test.
 */
import { join } from 'node:path'

/** Absolute path of `test/corpus`. */
export const CORPUS_DIR = join(import.meta.dirname, '../corpus')
