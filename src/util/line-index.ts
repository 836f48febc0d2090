/**
 * Offsets in a text -> 1-based line and column, from the text itself.
 *
 * The `yaml` package's `LineCounter` only learns a line start when its parser emits a
 * newline token; while recovering from a syntax error it may swallow several lines into
 * one token (a block scalar's body), and every position after that is then reported on an
 * earlier line with a huge column. Counting the line breaks of the text cannot drift.
 */
import type { Position } from '../types.js'

/** A function from a UTF-16 offset in `text` to its line and column (both 1-based). */
export function lineIndex(text: string): (offset: number) => Position {
  const starts = [0]
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1)
  return (offset: number): Position => {
    const clamped = Math.max(0, Math.min(offset, text.length))
    // The last line start at or before the offset.
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= clamped) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: clamped - starts[low]! + 1 }
  }
}
