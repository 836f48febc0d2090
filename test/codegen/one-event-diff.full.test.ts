/**
 * The review promise of the per-event layout, on real payloads (`test/corpus`): adding,
 * editing or removing one event changes that event's own files and the index's lines that
 * name it, and not one byte anywhere else. The corpus is where it would break: GitHub's
 * kinds share whole objects (`repository`, `sender`) and Stripe's share field names, which
 * a generator sharing code or names across events by position would renumber.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateFiles, type GeneratedFile } from '../../src/codegen/generate.js'
import { compileDefinitions } from '../../src/compile/compile-project.js'
import { toIdentifier } from '../../src/definitions/identifier.js'

import { DEFAULT_INFER_OPTIONS } from '../../src/infer/infer-schema.js'
import type { CompiledEvent, EventDefinition, JsonObject } from '../../src/types.js'
import { CORPUS_DIR } from '../support/corpus.js'
import { formatDiagnostic } from '../../src/diagnostics.js'

function readJson(path: string): JsonObject {
  return JSON.parse(readFileSync(path, 'utf8')) as JsonObject
}

function definition(name: string, payloads: JsonObject[]): EventDefinition {
  const [sample, ...examples] = payloads
  return {
    name,
    identifier: toIdentifier(name)!,
    file: `corpus/${name}`,
    sample: sample!,
    examples,
    renames: {},
    allowBreaking: [],
    locations: {},
  }
}

/** One event per GitHub event kind (all its payloads) and one per Stripe object. */
function corpusDefinitions(): EventDefinition[] {
  const definitions: EventDefinition[] = []
  const github = join(CORPUS_DIR, 'github-webhooks')
  for (const kind of readdirSync(github).sort()) {
    const files = readdirSync(join(github, kind))
      .filter((f) => f.endsWith('.json'))
      .sort()
    definitions.push(
      definition(
        `GitHub ${kind}`,
        files.map((file) => readJson(join(github, kind, file))),
      ),
    )
  }
  for (const file of readdirSync(join(CORPUS_DIR, 'stripe'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    definitions.push(definition(`Stripe ${file.replace(/\.json$/, '')}`, [readJson(join(CORPUS_DIR, 'stripe', file))]))
  }
  return definitions
}

async function compile(definitions: EventDefinition[]): Promise<CompiledEvent[]> {
  const compiled = await compileDefinitions(definitions, DEFAULT_INFER_OPTIONS)
  expect(compiled.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([])
  return compiled.events
}

/** Paths whose bytes differ between two outputs (added, removed or changed). */
function changedPaths(before: GeneratedFile[], after: GeneratedFile[]): string[] {
  const old = new Map(before.map((f) => [f.path, f.contents]))
  const now = new Map(after.map((f) => [f.path, f.contents]))
  return [...new Set([...old.keys(), ...now.keys()])].filter((path) => old.get(path) !== now.get(path)).sort()
}

/** Lines of `a` not in `b` and of `b` not in `a` (as multisets), for the index. */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const count = (text: string) => {
    const counts = new Map<string, number>()
    for (const line of text.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1)
    return counts
  }
  const ca = count(a)
  const cb = count(b)
  const only = (x: Map<string, number>, y: Map<string, number>) =>
    [...x].flatMap(([line, n]) => Array<string>(Math.max(0, n - (y.get(line) ?? 0))).fill(line))
  return { removed: only(ca, cb), added: only(cb, ca) }
}

const contents = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)!.contents

describe('one event changed in the corpus, one small diff', () => {
  let all: EventDefinition[]
  let full: GeneratedFile[]
  /** The event added, edited and removed: a GitHub kind sharing objects (`repository`, `sender`) with its neighbours. */
  let subject: EventDefinition

  beforeAll(async () => {
    all = corpusDefinitions()
    subject = all.find((d) => d.name === 'GitHub pull_request')!
    full = await generateFiles(await compile(all))
  }, 600_000)

  const ownPaths = (fileName: string) => [`events/${fileName}.mts`, `events/${fileName}.validate.mts`, `schemas/${fileName}.schema.json`]

  it('adding (or removing) one event: its three files, and index lines that name it, nothing else', async () => {
    const without = await generateFiles(await compile(all.filter((d) => d !== subject)))
    const fileName = 'github-pull-request'
    expect(changedPaths(without, full)).toEqual([...ownPaths(fileName), 'index.mts'].sort())
    const { removed, added } = lineDiff(contents(without, 'index.mts'), contents(full, 'index.mts'))
    expect(removed).toEqual([])
    expect(added.length).toBeGreaterThan(0)
    for (const line of added) expect(line, line).toMatch(/GitHubPullRequest|github-pull-request|"GitHub pull_request"/)
    // One import, one re-export, one entry in each map and in eventNames/payloadValidators, and its helper for fireEvent.
    expect(added).toHaveLength(7)
  }, 600_000)

  it('editing one event (a field added): its own files change, the index not at all', async () => {
    const edited = all.map((d) => (d === subject ? { ...d, sample: { ...d.sample, review_note: 'added in review' } } : d))
    const after = await generateFiles(await compile(edited))
    expect(changedPaths(full, after)).toEqual(ownPaths('github-pull-request'))
  }, 600_000)

  it('names are read from paths: GitHub stays one word, array items are named from their array', () => {
    const module = contents(full, 'events/github-pull-request.mts')
    expect(module).toMatch(/^export interface GitHubPullRequestPullRequestAssignee \{/m)
    expect(module).toContain('assignees: GitHubPullRequestPullRequestAssigneesItem[]')
    expect(module).not.toMatch(/GitHubPullRequestPullRequestAssignee2/)
    expect(full.map((f) => f.path).filter((p) => p.includes('git-hub'))).toEqual([])
  })
})
