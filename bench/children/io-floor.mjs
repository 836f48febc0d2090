/**
 * The I/O floor of `generate` with one event changed (run as its own process, like
 * `generate`): read and parse every event file with the `yaml` package, then write files of
 * the sizes that run wrote. What no generator can avoid: Node's start, the YAML parser's
 * import, the reads, the parses and the writes.
 *
 *   node bench/children/io-floor.mjs <events folder> <scratch folder> <size> [<size> ...]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [eventsDir, scratch, ...sizes] = process.argv.slice(2)
const { parse } = await import('yaml')
let fields = 0
for (const name of readdirSync(eventsDir).sort()) {
  if (!name.endsWith('.yaml')) continue
  fields += Object.keys(parse(readFileSync(join(eventsDir, name), 'utf8'))).length
}
mkdirSync(scratch, { recursive: true })
sizes.forEach((size, i) => writeFileSync(join(scratch, `out-${i}`), Buffer.alloc(Number(size), 0x61)))
process.stdout.write(`${fields}\n`)
