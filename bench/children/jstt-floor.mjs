/**
 * The floor of `generate` (run as its own process, like `generate`): json-schema-to-typescript
 * alone, compiling each final schema of a project with the options refold-events uses
 * (no prettier, no external `$ref`s). Node start, the import of the library and reading
 * the schemas are included, as `generate` includes its own start, imports and reads.
 *
 *   node bench/children/jstt-floor.mjs <folder of *.schema.json>
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = process.argv[2]
const { compile } = await import('json-schema-to-typescript')
// The options generate itself passes (dist/ is built before any bench stage runs).
const repo = new URL('../../', import.meta.url).pathname
const { TYPE_COMPILE_OPTIONS } = await import(pathToFileURL(join(repo, 'dist/codegen/emit-types.js')).href)
let bytes = 0
for (const name of readdirSync(dir).sort()) {
  const schema = JSON.parse(readFileSync(join(dir, name), 'utf8'))
  const source = await compile(schema, schema.title ?? 'Payload', TYPE_COMPILE_OPTIONS)
  bytes += source.length
}
process.stdout.write(`${bytes}\n`)
