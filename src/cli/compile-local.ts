/**
 * The project compiled for a command that talks to Refold (`sync`, `fire`): warnings go to
 * stderr, errors stop the run before anything is read remotely.
 */
import { compileProject } from '../compile/compile-project.js'
import type { ResolvedConfig } from '../config/define-config.js'
import { DefinitionError } from '../errors.js'
import type { CompiledEvent } from '../types.js'
import { humanDiagnostic } from './diagnostics-output.js'
import { type CliIO, useColor } from './io.js'
import { noEventsWarning } from './no-events.js'

/** Compile the project; warnings go to stderr, errors stop the run before anything is read remotely. */
export async function compileLocal(config: ResolvedConfig, io: CliIO): Promise<CompiledEvent[]> {
  const result = await compileProject(config, { cwd: io.cwd })
  const errors = result.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new DefinitionError(result.diagnostics)
  if (result.files.length === 0) io.stderr(`warning: ${noEventsWarning(config, io.cwd)}\n`)
  for (const diagnostic of result.diagnostics) io.stderr(`${humanDiagnostic(diagnostic, useColor(io))}\n`)
  return result.events
}
