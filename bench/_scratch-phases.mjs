import { loadConfig, compileProject } from 'refold-events'
const cwd = process.argv[2]
const d = (p) => import('/work/main/dist/' + p)
const t = [performance.now()]
const config = await loadConfig({ cwd })
const compiled = await compileProject(config, { cwd }); t.push(performance.now())
const { emitTypes } = await d('codegen/emit-types.js')
const { emitValidators } = await d('codegen/emit-validators.js')
const { toTypeSchema } = await d('codegen/type-schema.js')
const { TypeNamer } = await d('codegen/type-names.js')
const { declarationNames, INDEX_GLOBAL_TYPE_NAMES, emitIndex } = await d('codegen/emit-index.js')
const sorted = [...compiled.events].sort((a,b)=>a.definition.name<b.definition.name?-1:1)
t.push(performance.now())
const namer = new TypeNamer(INDEX_GLOBAL_TYPE_NAMES)
for (const e of sorted) { const n = declarationNames(e); namer.reserve(n.payload); namer.reserve(n.args) }
const ts = sorted.map((e) => toTypeSchema(e, declarationNames(e).payload, namer)); t.push(performance.now())
const types = await emitTypes(ts); t.push(performance.now())
const v = await emitValidators(sorted); t.push(performance.now())
const idx = emitIndex(sorted, types); t.push(performance.now())
const names = ['compile', 'imports', 'toTypeSchema', 'emitTypes(jstt)', 'emitValidators', 'emitIndex']
console.log(names.map((n, i) => `${n} ${Math.round(t[i + 1] - t[i])}`).join(', '), 'validators MB', (v.js.length / 1e6).toFixed(1), 'rss MB', Math.round(process.memoryUsage.rss() / 1e6))
