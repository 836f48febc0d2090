/**
 * Generated code as a JavaScript user runs it: `refold-events generate` in a throwaway
 * project, then `tsc` compiles `generated/` (index.mts and every event's modules, all
 * TypeScript) to `build/`, ready to import.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runTimed } from './processes.mjs'
import { CLI, tempProject, TSC, writeEvents } from './project.mjs'

/**
 * Generate and build `events` (event-file data); resolves with the project folder and the
 * imported `build/index.mjs` module.
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
    files: ['generated/index.mts'],
  }
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  await runTimed(TSC, ['-p', 'tsconfig.json'], { cwd: project })
  const module = await import(pathToFileURL(join(project, 'build/index.mjs')).href)
  return { project, module }
}
