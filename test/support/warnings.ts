/** Process warnings in tests: they are delivered on a later tick, so a helper waits for one. */

/** Process warnings emitted while `run` runs, and on the tick after it. */
export async function warningsDuring(run: () => Promise<unknown>): Promise<Array<Error & { code?: string }>> {
  const seen: Array<Error & { code?: string }> = []
  const listener = (warning: Error): void => void seen.push(warning)
  process.on('warning', listener)
  try {
    await run()
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return seen
}
