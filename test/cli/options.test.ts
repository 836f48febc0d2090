import { describe, expect, it } from 'vitest'
import { ExitError } from '../../src/cli/exit.js'
import { readOptions } from '../../src/cli/options.js'

describe('readOptions: commander values typed at the edge', () => {
  const spec = { config: 'string', dryRun: 'boolean', format: ['human', 'json'], id: 'strings', account: 'required string' } as const

  it('passes declared values of the right kind through, leaving absent ones out', () => {
    const options = readOptions({ config: 'x.ts', dryRun: true, format: 'json', id: ['1', '2'], account: 'a', env: undefined }, spec)
    expect(options).toEqual({ config: 'x.ts', dryRun: true, format: 'json', id: ['1', '2'], account: 'a' })
  })

  it('names the flag and what it expects for a value of the wrong kind', () => {
    expect(() => readOptions({ account: 'a', format: 'yaml' }, spec)).toThrow(
      new ExitError('--format expects one of human, json, got "yaml"'),
    )
    expect(() => readOptions({ account: 'a', dryRun: 'yes' }, spec)).toThrow(new ExitError('--dry-run expects no value, got "yes"'))
    expect(() => readOptions({ account: 'a', id: [1] }, spec)).toThrow('--id expects one or more values')
    expect(() => readOptions({}, spec)).toThrow(new ExitError('--account is required'))
  })

  it('refuses a flag the command did not declare (a rename made in one place only)', () => {
    expect(() => readOptions({ account: 'a', allowEmpty: true }, spec)).toThrow('--allow-empty reached the command without being declared')
  })
})
