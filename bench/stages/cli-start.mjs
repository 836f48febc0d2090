/**
 * CLI start-up, each run a fresh process (spawn to exit): `refold-events --version` against
 * `node -e 0` (Node's own start), and `refold-events check` on this project's `events/` with
 * its `refold.config.ts` (what CI runs first), whose target is absolute: under 0.6 s.
 */
import { alternate, formatMs } from '../lib/measure.mjs'
import { runTimed } from '../lib/processes.mjs'
import { CLI, REPO_ROOT } from '../lib/project.mjs'
import { absolute, timeRatio } from '../lib/rows.mjs'

export default {
  id: 'cli-start',
  title: 'CLI start',
  async run({ quick, log }) {
    const runs = quick ? 2 : 15
    const node = (args) => () => runTimed(process.execPath, args, { cwd: REPO_ROOT })
    log(`--version, check and node -e 0, ${runs} runs each`)
    const result = await alternate(
      {
        version: node([CLI, '--version']),
        check: node([CLI, 'check']),
        node: node(['-e', '0']),
      },
      { runs, warmup: 1 },
    )
    return [
      timeRatio({
        stage: 'CLI start',
        case: 'refold-events --version',
        ours: { label: '--version', ms: result.version.median },
        baseline: { label: 'node -e 0', ms: result.node.median },
        max: 2,
      }),
      absolute({
        stage: 'CLI start',
        case: 'refold-events check, events/ of this project, cold process',
        ours: { label: 'check', value: result.check.median, text: formatMs(result.check.median) },
        baseline: { label: 'node -e 0', value: result.node.median, text: formatMs(result.node.median) },
        limit: { value: 600, text: '0.6 s' },
      }),
    ]
  },
}
