/**
 * The results table, for the terminal and for BENCHMARKS.md: one row per measured case,
 * with the ratio, the target and whether it was met.
 */

const COLUMNS = [
  ['stage', 'stage'],
  ['case', 'case'],
  ['measured', 'measured (median)'],
  ['baseline', 'baseline (median, same run)'],
  ['ratio', 'ratio'],
  ['target', 'target'],
  ['result', 'result'],
]

/** `met` as a word; quick runs judge nothing. */
export function verdict(row, quick) {
  if (row.error !== undefined) return 'ERROR'
  if (row.met === null) return 'reported'
  if (quick) return 'not judged (--quick)'
  return row.met ? 'met' : 'MISSED'
}

/** A plain-text table for the terminal. */
export function textTable(rows, { quick }) {
  const cells = rows.map((row) => COLUMNS.map(([key]) => (key === 'result' ? verdict(row, quick) : String(row[key] ?? ''))))
  const header = COLUMNS.map(([, title]) => title)
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)))
  const line = (values) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

/** A Markdown table (pipes in cells escaped). */
export function markdownTable(rows, { quick }) {
  const escape = (text) => String(text).replaceAll('|', '\\|')
  const header = `| ${COLUMNS.map(([, title]) => title).join(' | ')} |`
  const rule = `| ${COLUMNS.map(() => '---').join(' | ')} |`
  const body = rows.map(
    (row) => `| ${COLUMNS.map(([key]) => escape(key === 'result' ? verdict(row, quick) : (row[key] ?? ''))).join(' | ')} |`,
  )
  return [header, rule, ...body].join('\n')
}

/** Notes attached to rows, numbered in table order. */
export function notes(rows) {
  return rows.filter((row) => row.note !== undefined && row.note !== '').map((row) => `- ${row.stage}, ${row.case}: ${row.note}`)
}
