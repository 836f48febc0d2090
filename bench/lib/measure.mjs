/**
 * Timing primitives. Every figure of the benchmarks is a median of several runs, and the
 * measured side and its baseline are run alternately (A B A B ...) in the same process, so a
 * burst of load on this shared machine hits both sides alike instead of skewing one.
 */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Milliseconds `fn` takes (awaited). */
export async function timeMs(fn) {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/**
 * Run each side `runs` times, alternating (the order of the sides rotates every round so
 * neither always runs right after a GC-heavy neighbour), after `warmup` untimed rounds.
 * Resolves to `{ [side]: { median, samples } }` in milliseconds.
 */
export async function alternate(sides, { runs, warmup = 1 }) {
  const names = Object.keys(sides)
  const samples = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < warmup + runs; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) {
      const ms = await timeMs(sides[name])
      if (round >= warmup) samples[name].push(ms)
    }
  }
  return Object.fromEntries(names.map((name) => [name, { median: median(samples[name]), samples: samples[name] }]))
}

/** `1234.5` -> `1.23 s`, `12.3456` -> `12.3 ms`, `0.01234` -> `12.3 µs`. */
export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`
  return `${(ms * 1000).toFixed(1)} µs`
}

/** A rate with a thousands separator: `12345.6` -> `12,346/s`. */
export function formatRate(perSecond) {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`
}

/** `12.345` -> `12.3x`, `0.8123` -> `0.81x`. */
export function formatRatio(ratio) {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`
}

/** Bytes (or kilobytes with `unit: 'kb'`) as `123 MB`. */
export function formatMb(kilobytes) {
  return `${Math.round(kilobytes / 1024)} MB`
}
