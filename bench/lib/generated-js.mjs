/**
 * Generated code as a JavaScript user runs it: `refold-events generate` in a throwaway
 * project, then `tsc` compiles `generated/index.ts` to `build/` and validators.js is copied
 * beside it (as a bundler or an `allowJs` build does; tsc itself takes a minute to copy the
 * validators of the corpus), ready to import.
 */
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runTimed } from './processes.mjs'
import { CLI, tempProject, TSC, writeEvents } from './project.mjs'

/**
 * Generate and build `events` (event-file data); resolves with the project folder and the
 * imported `build/index.js` module.
 */
export async function buildGenerated(events) {
  const project = tempProject()
  writeEvents(project, events)
  await runTimed(process.execPath, [CLI, 'generate'], { cwd: project })
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: true,
      types: [],
      rootDir: 'generated',
      outDir: 'build',
    },
    files: ['generated/index.ts'],
  }
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  await runTimed(TSC, ['-p', 'tsconfig.json'], { cwd: project })
  copyFileSync(join(project, 'generated/validators.js'), join(project, 'build/validators.js'))
  const module = await import(pathToFileURL(join(project, 'build/index.js')).href)
  return { project, module }
}
