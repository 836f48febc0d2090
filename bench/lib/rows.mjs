/**
 * The rows of the results table. A stage returns rows; each names what was measured, the
 * baseline it is compared with (measured in the same run, on the same input), the ratio,
 * the target and whether it was met. Builders below keep the direction of every
 * ratio explicit, so a reader never has to guess whether bigger is better.
 *
 * Row: { stage, case, measured, baseline, ratio, figure, target, met, note }
 *   measured, baseline: display text ("inferSchema 12.3 ms"); baseline may be '-'
 *   ratio: display text ("0.81x"), or '-' for absolute targets
 *   figure: the text the target judges (the ratio, or the absolute figure)
 *   met: true | false | null (null: reported only, no target)
 */
import { formatMs, formatRate, formatRatio } from './measure.mjs'

/**
 * A time against a baseline time: ratio = ours / baseline, lower is better; met when the
 * ratio is at most `max` (`max` omitted: reported only).
 */
export function timeRatio({ stage, case: what, ours, baseline, max, target, note }) {
  const ratio = ours.ms / baseline.ms
  return {
    stage,
    case: what,
    measured: `${ours.label} ${formatMs(ours.ms)}`,
    baseline: `${baseline.label} ${formatMs(baseline.ms)}`,
    ratio: formatRatio(ratio),
    figure: formatRatio(ratio),
    value: ratio,
    target: target ?? (max === undefined ? 'report' : `<= ${formatRatio(max)}`),
    met: max === undefined ? null : ratio <= max,
    note,
  }
}

/**
 * How many times faster ours is: ratio = baseline / ours, higher is better; met when at
 * least `min`.
 */
export function speedup({ stage, case: what, ours, baseline, min, note }) {
  const ratio = baseline.ms / ours.ms
  return {
    stage,
    case: what,
    measured: `${ours.label} ${formatMs(ours.ms)}`,
    baseline: `${baseline.label} ${formatMs(baseline.ms)}`,
    ratio: `${formatRatio(ratio)} faster`,
    figure: `${formatRatio(ratio)} faster`,
    value: ratio,
    target: `>= ${formatRatio(min)} faster`,
    met: ratio >= min,
    note,
  }
}

/** A throughput against a baseline throughput: ratio = ours / baseline; met when at least `min`. */
export function rateRatio({ stage, case: what, ours, baseline, min, note }) {
  const ratio = ours.perSecond / baseline.perSecond
  return {
    stage,
    case: what,
    measured: `${ours.label} ${formatRate(ours.perSecond)}`,
    baseline: `${baseline.label} ${formatRate(baseline.perSecond)}`,
    ratio: `${(ratio * 100).toFixed(1)}%`,
    figure: `${(ratio * 100).toFixed(1)}%`,
    value: ratio,
    target: min === undefined ? 'report' : `>= ${(min * 100).toFixed(0)}%`,
    met: min === undefined ? null : ratio >= min,
    note,
  }
}

/**
 * An absolute figure with an absolute limit (the issue sets a few: tsc under 1 s, `check`
 * under 0.6 s, peak memory under 500 MB). A baseline, when given, is shown with its ratio.
 */
export function absolute({ stage, case: what, ours, limit, baseline, note }) {
  return {
    stage,
    case: what,
    measured: `${ours.label} ${ours.text}`,
    baseline: baseline === undefined ? '-' : `${baseline.label} ${baseline.text}`,
    ratio: baseline === undefined ? '-' : formatRatio(ours.value / baseline.value),
    figure: ours.text,
    value: ours.value,
    target: limit === undefined ? 'report' : `< ${limit.text}`,
    met: limit === undefined ? null : ours.value < limit.value,
    note,
  }
}

/** A fact checked by the run (no TS2589 anywhere): met or not, no figure. */
export function check({ stage, case: what, ok, detail, note }) {
  return { stage, case: what, measured: detail, baseline: '-', ratio: '-', figure: detail, value: null, target: 'none', met: ok, note }
}

/** A case that could not be measured because the measured code failed (a finding in itself). */
export function failure({ stage, case: what, error, target }) {
  const message = error instanceof Error ? error.message : String(error)
  // The child's own one-line error, not the wrapper's command line.
  const line = message.split('\n').find((l) => /error/i.test(l) && !l.includes(' exited with ')) ?? message.split('\n')[0]
  return {
    stage,
    case: what,
    measured: `FAILED: ${line.trim()}`,
    baseline: '-',
    ratio: '-',
    figure: `FAILED: ${line.trim()}`,
    value: null,
    target: target ?? '-',
    met: false,
  }
}
