import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { displayPath, formatDiagnostic, plural, sortDiagnostics } from '../../src/diagnostics.js'
import type { Diagnostic } from '../../src/types.js'

describe('diagnostics vocabulary', () => {
  it('sorts by file, line and column, keeping the found order at one place', () => {
    const at = (file: string, line: number, column: number, message: string): Diagnostic => ({
      file,
      line,
      column,
      severity: 'error',
      message,
    })
    const sorted = sortDiagnostics([
      at('b.yaml', 1, 1, 'b'),
      at('a.yaml', 2, 1, 'a2'),
      at('a.yaml', 1, 5, 'first'),
      at('a.yaml', 1, 5, 'second'),
    ])
    expect(sorted.map(formatDiagnostic)).toEqual([
      'a.yaml:1:5: error: first',
      'a.yaml:1:5: error: second',
      'a.yaml:2:1: error: a2',
      'b.yaml:1:1: error: b',
    ])
  })

  it('shows paths relative to the working folder, with / separators', () => {
    const cwd = resolve('/project')
    expect(displayPath(join(cwd, 'events', 'a.yaml'), cwd)).toBe('events/a.yaml')
    expect(displayPath(cwd, cwd)).toBe('.')
    expect(displayPath(resolve('/elsewhere/x.yaml'), cwd)).toBe('../elsewhere/x.yaml')
  })

  it('spells counts', () => {
    expect([plural(0, 'error'), plural(1, 'error'), plural(2, 'warning')]).toEqual(['0 errors', '1 error', '2 warnings'])
  })
})
