#!/usr/bin/env node
/**
 * `npm run bench`: measure every stage of refold-events against its peers and its floor
 * (issue 6), print the table, and record it with the machine's description in
 * BENCHMARKS.md.
 *
 *   npm run bench                     full run (~10 min on 2 cores), writes BENCHMARKS.md
 *   npm run bench -- --quick          smoke run (< 1 min): small inputs, 1-3 runs, judges no
 *                                     times and writes nothing; exits 1 only if a stage fails
 *   npm run bench -- --only fire,cli-start   some stages (never writes BENCHMARKS.md)
 *   npm run bench -- --strict         exit 1 when a target is missed
 *   npm run bench -- --no-write       do not write BENCHMARKS.md
 *
 * Each stage (bench/stages/<id>.mjs) runs in its own process and imports the BUILT package
 * (dist/, through the package's own name), so it measures what users run; dist/ is rebuilt
 * first when a source file is newer. Every figure is a median of several runs, and every
 * ratio compares two things measured in the same run on the same input.
 */
import { execFileSync, fork } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeMachine } from './lib/machine.mjs'
import { formatMs } from './lib/measure.mjs'
import { REPO_ROOT } from './lib/project.mjs'
import { markdownTable, notes, textTable, verdict } from './lib/report.mjs'

/** Stages in the order of the pipeline; add a stage by adding its file here. */
const STAGES = [
  'inference',
  'acceptance',
  'generate',
  'generate-incremental',
  'typecheck',
  'fire',
  'validation',
  'learn',
  'sync',
  'cli-start',
  'outbox',
]

const args = parseArgs(process.argv.slice(2))
const selected = args.only ?? STAGES
const unknown = selected.filter((id) => !STAGES.includes(id))
if (unknown.length > 0) {
  process.stderr.write(`unknown stage ${unknown.join(', ')}; stages: ${STAGES.join(', ')}\n`)
  process.exit(1)
}

ensureBuilt()
const machine = describeMachine()
process.stderr.write(
  `refold-events benchmarks${args.quick ? ' (--quick)' : ''}: ${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memory}, Node ${machine.node}, load ${machine.load}\n`,
)

const rows = []
const timings = []
/** Per stage, its account of why a target is missed (printed only when one is). */
const causes = new Map()
for (const id of selected) {
  const started = performance.now()
  process.stderr.write(`- ${id}\n`)
  const result = await runStage(id, { quick: args.quick })
  timings.push(`${id} ${formatMs(performance.now() - started)}`)
  if (result.error !== undefined) {
    process.stderr.write(`  [${id}] FAILED: ${result.error}\n`)
    rows.push({
      stage: id,
      case: 'stage failed',
      measured: result.error.split('\n')[0],
      baseline: '-',
      ratio: '-',
      target: '-',
      met: false,
      error: result.error,
    })
  } else {
    rows.push(...result.rows)
    if (result.missed !== undefined && result.rows.some((row) => row.met === false)) causes.set(id, result.missed)
  }
}

process.stdout.write(`\n${textTable(rows, { quick: args.quick })}\n`)
const rowNotes = notes(rows)
if (rowNotes.length > 0) process.stdout.write(`\n${rowNotes.join('\n')}\n`)
process.stdout.write(`\nstage wall times: ${timings.join(', ')}\n`)

const judged = rows.filter((row) => row.met !== null)
const missed = judged.filter((row) => row.met === false)
if (!args.quick) process.stdout.write(`${judged.length - missed.length} of ${judged.length} targets met\n`)
if (!args.quick && args.only === undefined && args.write) {
  const file = join(REPO_ROOT, 'BENCHMARKS.md')
  writeFileSync(file, benchmarksMarkdown(rows, machine, timings, causes) + keptAnalyses(file))
  process.stdout.write('wrote BENCHMARKS.md\n')
}
const failed = rows.some((row) => row.error !== undefined)
process.exitCode = failed || (args.strict && !args.quick && missed.length > 0) ? 1 : 0

function parseArgs(argv) {
  const parsed = { quick: false, strict: false, write: true, only: undefined }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--quick') parsed.quick = true
    else if (arg === '--strict') parsed.strict = true
    else if (arg === '--no-write') parsed.write = false
    else if (arg === '--only') parsed.only = (argv[++i] ?? '').split(',').filter(Boolean)
    else if (arg.startsWith('--only=')) parsed.only = arg.slice('--only='.length).split(',').filter(Boolean)
    else {
      process.stderr.write(`unknown option ${arg}\nusage: node bench/run.mjs [--quick] [--only STAGE,...] [--strict] [--no-write]\n`)
      process.exit(1)
    }
  }
  return parsed
}

/** Rebuild dist/ when it is missing or older than a source file, so the figures are for the current code. */
function ensureBuilt() {
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name)
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
    }, 0)
  let built = 0
  try {
    built = statSync(join(REPO_ROOT, 'dist/cli/main.js')).mtimeMs
  } catch {
    // Not built yet.
  }
  if (built >= newest(join(REPO_ROOT, 'src'))) return
  process.stderr.write('dist/ is missing or older than src/: npm run build\n')
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
}

function runStage(id, options) {
  return new Promise((resolve) => {
    const runner = fileURLToPath(new URL('./lib/stage-runner.mjs', import.meta.url))
    const file = fileURLToPath(new URL(`./stages/${id}.mjs`, import.meta.url))
    const child = fork(runner, [file, JSON.stringify(options)], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let result
    child.on('message', (message) => (result = message))
    child.on('exit', (code, signal) => resolve(result ?? { error: `stage process exited (${signal ?? code}) without a result` }))
  })
}

function benchmarksMarkdown(rows, machine, timings, causes) {
  const commit = gitDescribe()
  const judged = rows.filter((row) => row.met !== null)
  const met = judged.filter((row) => row.met === true)
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.mjs); rerun it to refresh this file. Every figure is the',
    'median of several runs, and every ratio compares two things measured in the same run on the',
    'same input (the machine is shared and noisy: compare ratios, not absolute times). The methods',
    'and baselines of each stage are described in `bench/stages/<stage>.mjs`.',
    '',
    '## Machine',
    '',
    `- CPUs (nproc): ${machine.cpus}, ${machine.cpuModel}`,
    `- Memory: ${machine.memory}`,
    `- Node.js: ${machine.node}; ${machine.os}`,
    `- Load average when the run started: ${machine.load}`,
    `- Code: ${commit}; date ${new Date().toISOString().slice(0, 10)}`,
    '',
    '## Results',
    '',
    `${met.length} of ${judged.length} targets met.`,
    '',
    markdownTable(rows, { quick: false }),
    '',
  ]
  const rowNotes = notes(rows)
  if (rowNotes.length > 0) lines.push('## Notes', '', ...rowNotes, '')
  const missed = rows.filter((row) => row.met === false)
  lines.push('## Targets', '')
  for (const row of judged)
    lines.push(`- ${verdict(row, false)}: ${row.stage}, ${row.case}: ${row.figure ?? row.measured} (target ${row.target})`)
  if (missed.length === 0) lines.push('', 'Every target met.')
  if (causes.size > 0) {
    lines.push(
      '',
      '## Why targets are missed',
      '',
      'From profiles (`node --cpu-prof`) of the measured code; each stage file keeps its account.',
      '',
    )
    for (const [id, text] of causes) lines.push(`### ${id}`, '', text.trim(), '')
  }
  lines.push('', `Stage wall times: ${timings.join(', ')}.`, '')
  return lines.join('\n')
}

/**
 * The part of the current file a run keeps (from its heading, `## Earlier runs of single stages,
 * kept for their analysis`, to the end: analyses written by hand), to append after the results.
 */
function keptAnalyses(file) {
  if (!existsSync(file)) return ''
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf('\n## Earlier runs of single stages, kept for their analysis\n')
  return at === -1 ? '' : `\n${text.slice(at + 1)}`
}

function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== ''
    return `commit ${head}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'not a git checkout'
  }
}
