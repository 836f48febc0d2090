/**
 * Preloaded (`node --import`) into a measured child: writes its `process.resourceUsage()`
 * to `$REFOLD_BENCH_USAGE_FILE` as it exits, so the parent can read its peak memory and CPU time.
 */
import { writeFileSync } from 'node:fs'

const file = process.env.REFOLD_BENCH_USAGE_FILE
if (file !== undefined) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())))
