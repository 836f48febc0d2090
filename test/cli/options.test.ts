import { describe, expect, it } from 'vitest'
import { ExitError } from '../../src/cli/exit.js'
import { positiveNumber, readOptions, wholeNumber } from '../../src/cli/options.js'

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

describe('numeric flags: one parser for every command', () => {
  it('reads whole numbers in range and positive numbers, naming the flag and the range otherwise', () => {
    expect(wholeNumber('--port', '4010', 0, 65535)).toBe(4010)
    expect(() => wholeNumber('--port', 'http', 0, 65535)).toThrow(
      new ExitError('--port must be a whole number from 0 to 65535, got "http"'),
    )
    expect(() => wholeNumber('--burst', '0', 1)).toThrow(new ExitError('--burst must be a whole number 1 or more, got "0"'))
    expect(() => wholeNumber('--burst', '1e3', 1)).toThrow('--burst must be a whole number')
    expect(positiveNumber('--rate-limit', '2.5')).toBe(2.5)
    expect(() => positiveNumber('--rate-limit', '0', 'a number of requests per second')).toThrow(
      new ExitError('--rate-limit must be a number of requests per second > 0, got "0"'),
    )
    expect(() => positiveNumber('--rate-limit', '')).toThrow('--rate-limit must be a number > 0')
  })
})
