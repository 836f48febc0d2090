/**
 * Runs one benchmark stage in a fresh process (forked by bench/run.mjs) so stages do not
 * share a heap, a JIT state or sockets, and sends its rows back over IPC.
 *
 *   node bench/lib/stage-runner.mjs <stage-file> '<options JSON>'
 */
import { pathToFileURL } from 'node:url'

const [file, optionsJson] = process.argv.slice(2)
const options = JSON.parse(optionsJson ?? '{}')
try {
  const stage = (await import(pathToFileURL(file).href)).default
  const rows = await stage.run({ ...options, log: (text) => process.stderr.write(`  [${stage.id}] ${text}\n`) })
  process.send({ rows, missed: stage.missed })
} catch (error) {
  process.send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
}
// Servers and pools a stage forgot to close must not keep the runner alive.
process.disconnect()
setTimeout(() => process.exit(0), 100).unref()
