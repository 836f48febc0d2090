/**
 * The file side of `validate` and `learn`: read each input (a path, or `-` for standard
 * input) as UTF-8 and parse its records. Every unreadable input is a diagnostic naming it;
 * the others are still read, so one run reports every problem.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseRecords, type PayloadRecord } from '../learn/payload-records.js'
import type { Diagnostic } from '../types.js'
import type { CliIO } from './io.js'

/** Records of every input, in argument order, and the problems of reading them. */
export async function readRecordInputs(
  inputs: readonly string[],
  io: CliIO,
): Promise<{ records: PayloadRecord[]; problems: Diagnostic[] }> {
  const records: PayloadRecord[] = []
  const problems: Diagnostic[] = []
  let stdinRead = false
  for (const input of inputs) {
    const fail = (message: string): void => {
      problems.push({ file: input, line: 1, column: 1, severity: 'error', message })
    }
    let bytes: Buffer
    if (input === '-') {
      if (stdinRead) {
        fail('standard input is named twice; it can be read once')
        continue
      }
      stdinRead = true
      if (io.readStdin === undefined) {
        fail('standard input cannot be read here')
        continue
      }
      bytes = await io.readStdin()
    } else {
      try {
        bytes = await readFile(resolve(io.cwd, input))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        fail(
          `cannot read the input${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a folder, expected a JSON or NDJSON file' : code === undefined ? '' : ` (${code})`}`,
        )
        continue
      }
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      fail('the input is not UTF-8 text; expected JSON or NDJSON records')
      continue
    }
    const parsed = parseRecords(text, input)
    records.push(...parsed.records)
    problems.push(...parsed.problems)
  }
  return { records, problems }
}
