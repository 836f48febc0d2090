/**
 * The command-line surface: parses argv with commander and dispatches to one module per
 * command, imported lazily so `--version` and `check` never load codegen or HTTP code.
 * Returns the exit code; never calls `process.exit`.
 */
import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { ConfigError, DefinitionError, ExitCode, ExitError, formatDiagnostic } from '../errors.js'
import type { CliIO } from './io.js'

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  error (bad input, network failure, partial failure)
  2  breaking changes refused (sync)
  3  changes pending (sync --dry-run --detailed-exitcode)`

const ISSUES_URL = 'https://github.com/refold-events/refold-events/issues'

/** Run the CLI with `argv` (without `node` and the script) and return the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = ExitCode.ok
  const program = buildProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'))
  }
}

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('refold-events')
    .description('Refold event definitions as code: typed fire helpers, schemas and safe sync.')
    .version(readVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of unexpected errors')
    .helpCommand(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText('after', EXIT_CODES_HELP)

  /** Declare a subcommand whose action lives in `./commands/<file>.js`. */
  const command = (name: string, description: string): Command =>
    program
      .command(name)
      .description(description)
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
      .addHelpText('after', EXIT_CODES_HELP)

  const configOption = (): Option => new Option('--config <path>', 'config file (default: refold.config.ts if present)')
  const envOption = (): Option =>
    new Option('--env <name>', 'target environment from the config (default: $REFOLD_BASE_URL, else the local emulator)')

  command('check', 'load, infer and validate every event definition; print errors and warnings')
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'github']).default('human'))
    .action(async (options) => {
      const { runCheck } = await import('./commands/check.js')
      setExitCode(await runCheck(options, io))
    })

  command('init', 'scaffold refold.config.ts and one example event in the current folder')
    .action(async () => {
      const { runInit } = await import('./commands/init.js')
      setExitCode(await runInit({}, io))
    })

  return program
}

function reportError(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; commander already printed them.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.error
  }
  if (error instanceof DefinitionError) {
    for (const diagnostic of error.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`)
    return ExitCode.error
  }
  if (error instanceof ConfigError || error instanceof ExitError) {
    io.stderr(`error: ${error.message}\n`)
    return error instanceof ExitError ? error.exitCode : ExitCode.error
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr(`refold-events: unexpected error: ${message}\n`)
  if (debug && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`)
  else io.stderr(`Run again with --debug for the stack trace, and report it at ${ISSUES_URL}\n`)
  return ExitCode.error
}

function readVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
