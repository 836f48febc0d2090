import { loadConfig, compileProject } from 'refold-events'
const cwd = process.argv[2]
const config = await loadConfig({ cwd })
for (let i = 0; i < 3; i++) { const t = performance.now(); await compileProject(config, { cwd }); console.log('compile', Math.round(performance.now() - t)) }
