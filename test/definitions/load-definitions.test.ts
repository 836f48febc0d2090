import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadDefinitions } from '../../src/definitions/load-definitions.js'

import { formatDiagnostic } from '../../src/diagnostics.js'
import { EventsFolderError } from '../../src/errors.js'
import { tempDir, writeFiles } from '../support/temp-dir.js'

function project(files: Record<string, string | Buffer>): string {
  const cwd = tempDir('load')
  writeFiles(cwd, files)
  return cwd
}

async function load(cwd: string, maxFileBytes?: number) {
  return loadDefinitions({ eventsDir: join(cwd, 'events'), cwd, maxFileBytes })
}

describe('loadDefinitions', () => {
  it('finds *.yaml and *.yml recursively, in code-point order, skipping hidden entries and other files', async () => {
    const cwd = project({
      'events/b.yaml': 'name: B\nsample: {}\n',
      'events/a/z.yml': 'name: Z\nsample: {}\n',
      'events/A.YAML': 'name: Upper\nsample: {}\n',
      'events/.hidden.yaml': 'not: loaded\n',
      'events/.git/x.yaml': 'not: loaded\n',
      'events/notes.md': '# not an event\n',
    })
    const result = await load(cwd)
    expect(result.files).toEqual(['events/A.YAML', 'events/a/z.yml', 'events/b.yaml'])
    expect(result.definitions.map((d) => d.name)).toEqual(['Upper', 'Z', 'B'])
    expect(result.diagnostics).toEqual([])
  })

  it('collects the errors of every file in one run and keeps the good files', async () => {
    const cwd = project({
      'events/a.yaml': 'name: A\nsampel: {}\n',
      'events/b.yaml': 'name: B\nsample: {}\n',
      'events/c.yaml': 'name: C\nsample:\n\tx: 1\n',
    })
    const result = await load(cwd)
    expect(result.definitions.map((d) => d.name)).toEqual(['B'])
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'events/a.yaml:2:1: error: unknown key "sampel" (did you mean "sample"?); expected one of: name, description, model, apps, sample, examples, schema, inference, renames, allowBreaking, idempotencyKey, previousNames',
      'events/c.yaml:3:1: error: tab character used for indentation; YAML indentation must use spaces',
    ])
  })

  it('names both files for duplicate, case-only and identifier collisions', async () => {
    const cwd = project({
      'events/1.yaml': 'name: Invoice Paid\nsample: {}\n',
      'events/2.yaml': '# again\nname: Invoice Paid\nsample: {}\n',
      'events/3.yaml': 'name: invoice paid\nsample: {}\n',
      'events/4.yaml': 'name: invoice-paid\nsample: {}\n',
      'events/5.yaml': 'name: Invoice-Paid!\nsample: {}\n',
    })
    const result = await load(cwd)
    expect(result.definitions.map((d) => d.file)).toEqual(['events/1.yaml'])
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'events/2.yaml:2:1: error: duplicate event name "Invoice Paid": already defined in events/1.yaml:1:1; expected each event in exactly one file',
      'events/3.yaml:1:1: error: event name "invoice paid" differs only in case from "Invoice Paid" in events/1.yaml:1:1; expected names that differ by more than case',
      'events/4.yaml:1:1: error: event name "invoice-paid" gives the identifier InvoicePaid, already used by "Invoice Paid" in events/1.yaml:1:1; rename one of them',
      'events/5.yaml:1:1: error: event name "Invoice-Paid!" gives the identifier InvoicePaid, already used by "Invoice Paid" in events/1.yaml:1:1; rename one of them',
    ])
  })

  it('keeps what `keep` returns of each definition, and checks names across files on that alone', async () => {
    const cwd = project({
      'events/1.yaml': 'name: Invoice Paid\nsample: { id: 1 }\n',
      'events/2.yaml': '# again\nname: Invoice Paid\nsample: {}\n',
      'events/3.yaml': 'name: Refund Issued\npreviousNames: [Old Refund, Invoice Paid]\nsample: {}\n',
      // A file with errors whose name and sample are sound: kept too, as checkable.
      'events/4.yaml': 'name: Order Shipped\nsample: { id: 1 }\ntags: 3\n',
    })
    const handed: string[] = []
    // What compile keeps for these checks (compile-project.ts): no sample, no other positions.
    const result = await loadDefinitions({
      eventsDir: join(cwd, 'events'),
      cwd,
      keep: (definition) => {
        handed.push(definition.file)
        const { name, identifier, file, previousNames } = definition
        const locations = Object.fromEntries(
          Object.entries(definition.locations).filter(([pointer]) => pointer === '/name' || pointer.startsWith('/previousNames/')),
        )
        return {
          name,
          identifier,
          file,
          locations,
          ...(previousNames === undefined ? {} : { previousNames }),
          parsedSample: definition.sample,
        }
      },
    })
    const full = await load(cwd)
    expect(handed).toEqual(['events/1.yaml', 'events/2.yaml', 'events/3.yaml', 'events/4.yaml'])
    // The same problems at the same places as a load that keeps whole definitions.
    expect(result.diagnostics).toEqual(full.diagnostics)
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^events\/4\.yaml:3:1: error: unknown key "tags"/),
      'events/2.yaml:2:1: error: duplicate event name "Invoice Paid": already defined in events/1.yaml:1:1; expected each event in exactly one file',
      'events/3.yaml:2:29: error: previous name "Invoice Paid" is the current name of the event in events/1.yaml:1:1; expected a name no event of this project has',
    ])
    // What `keep` returned, in place of each definition.
    expect(result.definitions.map((kept) => [kept.file, kept.parsedSample])).toEqual([
      ['events/1.yaml', { id: 1 }],
      ['events/3.yaml', {}],
    ])
    expect(result.checkable.map((kept) => [kept.file, kept.parsedSample])).toEqual([['events/4.yaml', { id: 1 }]])
    expect(Object.keys(result.definitions[0]!)).not.toContain('sample')
  })

  it('treats names that differ in case and punctuation as one identifier', async () => {
    const cwd = project({
      'events/a.yaml': 'name: HTTP Call\nsample: {}\n',
      'events/b.yaml': 'name: Http-Call?\nsample: {}\n',
    })
    const result = await load(cwd)
    expect(result.diagnostics).toHaveLength(1)
    expect(result.diagnostics[0]!.file).toBe('events/b.yaml')
    expect(result.diagnostics[0]!.message).toBe(
      'event name "Http-Call?" gives the identifier HttpCall, already used by "HTTP Call" in events/a.yaml:1:1; rename one of them',
    )
  })

  it('refuses files over the size bound without reading them', async () => {
    const cwd = project({
      'events/big.yaml': `name: Big\nsample:\n${'  k: v\n'.repeat(10)}`.replace(/k: v\n/g, (_, i: number) => `k${i}: v\n`),
      'events/small.yaml': 'name: Small\nsample: {}\n',
    })
    const result = await load(cwd, 64)
    expect(result.definitions.map((d) => d.name)).toEqual(['Small'])
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^events\/big\.yaml:1:1: error: file is \d+ bytes, over the 64 bytes limit for event files; shorten its sample and examples, or raise maxFileBytes in refold\.config\.ts$/,
      ),
    ])
    const megabytes = project({ 'events/huge.yaml': Buffer.alloc(5 * 1024 * 1024 + 1, 0x20) })
    expect((await load(megabytes)).diagnostics[0]!.message).toBe(
      'file is 5.0 MB, over the 5 MB limit for event files; shorten its sample and examples, or raise maxFileBytes in refold.config.ts',
    )
  })

  it('rejects text that is not UTF-8', async () => {
    const cwd = project({ 'events/latin1.yaml': Buffer.from('name: Caf\xe9\nsample: {}\n', 'latin1') })
    expect((await load(cwd)).diagnostics.map(formatDiagnostic)).toEqual([
      'events/latin1.yaml:1:1: error: file is not valid UTF-8 text; expected a UTF-8 encoded YAML file',
    ])
  })

  it('accepts a UTF-8 byte order mark', async () => {
    const cwd = project({ 'events/bom.yaml': '\ufeffname: Bom\nsample: {}\n' })
    const result = await load(cwd)
    expect(result.diagnostics).toEqual([])
    expect(result.definitions[0]!.locations['/name']).toEqual({ line: 1, column: 1 })
  })

  it('follows symbolic links to files but not to folders', async () => {
    const cwd = project({ 'shared/linked.yaml': 'name: Linked\nsample: {}\n', 'events/own.yaml': 'name: Own\nsample: {}\n' })
    symlinkSync(join(cwd, 'shared/linked.yaml'), join(cwd, 'events/linked.yaml'))
    symlinkSync(join(cwd, 'events'), join(cwd, 'events/loop'))
    const result = await load(cwd)
    expect(result.files).toEqual(['events/linked.yaml', 'events/own.yaml'])
  })

  it('fails with a clear message when the events folder is missing', async () => {
    const cwd = project({})
    const error = await load(cwd).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EventsFolderError)
    expect((error as Error).message).toBe(
      'events folder not found: events (expected a folder of event YAML files; create one with "refold-events init", or set eventsDir in refold.config.ts)',
    )
  })

  it('shows paths relative to cwd, also outside it', async () => {
    const cwd = project({ 'events/a.yaml': 'name: A\nsample: {}\n' })
    const elsewhere = join(cwd, 'sub')
    mkdirSync(elsewhere)
    const result = await loadDefinitions({ eventsDir: join(cwd, 'events'), cwd: elsewhere })
    expect(result.files).toEqual(['../events/a.yaml'])
    expect(result.definitions[0]!.file).toBe('../events/a.yaml')
  })
})
