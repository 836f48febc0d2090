/**
 * What the caches of `generate` depend on besides a project's files: this package's version
 * and the code that produced what they hold. A rebuilt or patched refold-events with the same
 * version must not reuse results of the old code, so the code itself is hashed (the folders
 * given, a few hundred KB: a few milliseconds).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'

/** The package's code: `dist/` as installed, `src/` when run from source (tests). */
const CODE_ROOT = new URL('../', import.meta.url)

/**
 * `refold-events@<version>+<hash>`, the hash over every module (`.js`, or `.ts` when run from
 * source) of `folders` (relative to the code root, `''` for the root's own modules) and the
 * contents of `files` (URLs).
 */
export function codeSalt(folders: readonly string[], files: readonly URL[] = []): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', CODE_ROOT), 'utf8')) as { version: string }
  const hash = createHash('sha256')
  for (const folder of folders) {
    const url = new URL(folder === '' ? './' : `${folder}/`, CODE_ROOT)
    for (const name of readdirSync(url).filter(isModule).sort()) {
      hash.update(folder === '' ? name : `${folder}/${name}`).update(readFileSync(new URL(name, url)))
    }
  }
  for (const file of files) hash.update(file.pathname.slice(file.pathname.lastIndexOf('/') + 1)).update(readFileSync(file))
  return `refold-events@${pkg.version}+${hash.digest('hex').slice(0, 16)}`
}

function isModule(name: string): boolean {
  return (name.endsWith('.js') || name.endsWith('.ts')) && !name.endsWith('.d.ts')
}
