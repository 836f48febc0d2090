/**
 * Generated code as a JavaScript user runs it: `refold-events generate` in a throwaway
 * project, then `tsc` compiles `generated/index.ts` to `build/` (copying validators.js, as
 * a plain-JavaScript build with `allowJs` does), ready to import.
 */
import { writeFileSync } from 'node:fs'
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
      allowJs: true,
      rootDir: 'generated',
      outDir: 'build',
    },
    files: ['generated/index.ts', 'generated/validators.js'],
  }
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  await runTimed(TSC, ['-p', 'tsconfig.json'], { cwd: project })
  const module = await import(pathToFileURL(join(project, 'build/index.js')).href)
  return { project, module }
}
