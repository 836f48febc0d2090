import { loadConfig, compileProject } from 'refold-events'
import Ajv2020mod from 'ajv/dist/2020.js'
import standaloneMod from 'ajv/dist/standalone/index.js'
import formatsMod from 'ajv-formats'
const Ajv2020 = Ajv2020mod.default ?? Ajv2020mod
const standaloneCode = standaloneMod.default ?? standaloneMod
const addFormats = formatsMod.default ?? formatsMod
const cwd = process.argv[2]
const config = await loadConfig({ cwd })
const compiled = await compileProject(config, { cwd })
const events = compiled.events.slice(0, Number(process.argv[3] ?? 300))
const variants = {
  current: { code: { source: true, esm: true, lines: true }, allErrors: true, strict: false, logger: false, ownProperties: true, inlineRefs: false },
  nolines: { code: { source: true, esm: true, lines: false }, allErrors: true, strict: false, logger: false, ownProperties: true, inlineRefs: false },
  noopt: { code: { source: true, esm: true, lines: false, optimize: false }, allErrors: true, strict: false, logger: false, ownProperties: true, inlineRefs: false },
  nomsg: { code: { source: true, esm: true, lines: false }, allErrors: true, strict: false, logger: false, ownProperties: true, inlineRefs: false, messages: false },
  firstErr: { code: { source: true, esm: true, lines: false }, allErrors: false, strict: false, logger: false, ownProperties: true, inlineRefs: false },
}
for (const [name, opts] of Object.entries(variants)) {
  const t = performance.now()
  const ajv = new Ajv2020(opts); addFormats(ajv)
  const exports = {}
  events.forEach((e, i) => { const { $id, $schema, ...rest } = e.schema; ajv.addSchema(rest, `e${i}.schema.json`); exports[`v${i}`] = `e${i}.schema.json` })
  const js = standaloneCode(ajv, exports)
  console.log(name.padEnd(10), Math.round(performance.now() - t), 'ms', (js.length / 1e6).toFixed(2), 'MB')
}
// per-event separate instances
{
  const t = performance.now(); let size = 0
  const ajv = new Ajv2020(variants.nolines); addFormats(ajv)
  events.forEach((e, i) => { const { $id, $schema, ...rest } = e.schema; const key = `e${i}.schema.json`; ajv.addSchema(rest, key); size += standaloneCode(ajv, { [`v${i}`]: key }).length; ajv.removeSchema(key) })
  console.log('perEvent'.padEnd(10), Math.round(performance.now() - t), 'ms', (size / 1e6).toFixed(2), 'MB')
}
