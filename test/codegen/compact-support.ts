/**
 * Shared by the compact-validator tests: emitted validators loaded for real (the emitted
 * TypeScript compiled by the real `tsc` under the strict options every type test uses, in a
 * throwaway project where `refold-events/runtime` is this package's built `dist/`, then
 * imported), and ajv as the oracle, configured as the ajv fallback is (draft 2020-12,
 * allErrors, own properties) with the runtime's own format checks, so that structure is
 * what gets compared. Both sides' errors go through the runtime's `issuesOf`: the paths a
 * user sees.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { emitCompactValidator } from '../../src/codegen/compact-validator.js'
import { isDate, isDateTime, isEmail, isUri, isUuid } from '../../src/runtime/format-checks.js'
import { issuesOf, type PayloadValidator } from '../../src/runtime/payload-validation.js'
import type { JsonSchema } from '../../src/types.js'
import { runProcess, strictTsconfig, tempProject, TSC, writeTree } from './support.js'

/** One module holding a compact validator per schema (`validate<i>`), with its imports; `covered[i]` says which. */
export function compactModule(schemas: readonly JsonSchema[], runtime = 'refold-events/runtime'): { source: string; covered: boolean[] } {
  const values = new Set<string>()
  const types = new Set<string>()
  const bodies: string[] = []
  const covered = schemas.map((schema, i) => {
    const emitted = emitCompactValidator(schema, { exportName: `validate${i}` })
    if (emitted === undefined) return false
    emitted.imports.values.forEach((name) => values.add(name))
    emitted.imports.types.forEach((name) => types.add(name))
    bodies.push(emitted.code)
    return true
  })
  const header = [
    `import { ${[...values].sort().join(', ') || 'compactValidator'} } from ${JSON.stringify(runtime)}`,
    `import type { ${[...types].sort().join(', ') || 'PayloadValidator'} } from ${JSON.stringify(runtime)}`,
  ]
  return { source: [...header, ...bodies].join('\n'), covered }
}

/**
 * Emits a compact validator for every schema (`undefined` where the schema is not covered),
 * all in one module, and imports it. With `tsc`, the module is first type-checked and
 * compiled by the real `tsc` (strict) against the built package; without, it is written as
 * a `.ts` file importing `src/runtime` and loaded through the test runner's TypeScript
 * transform (the fast tier: tsc costs seconds).
 */
export async function loadCompactValidators(
  schemas: readonly JsonSchema[],
  options: { tsc?: boolean } = {},
): Promise<Array<PayloadValidator | undefined>> {
  if (options.tsc !== true) {
    const { source, covered } = compactModule(schemas, join(import.meta.dirname, '../../src/runtime/index.ts'))
    const file = join(mkdtempSync(join(tmpdir(), 'refold-compact-')), 'validators.ts')
    writeFileSync(file, source)
    const module = (await import(pathToFileURL(file).href)) as Record<string, PayloadValidator>
    return covered.map((yes, i) => (yes ? module[`validate${i}`] : undefined))
  }
  const { source, covered } = compactModule(schemas)
  const project = tempProject('refold-compact-')
  writeTree(project, {
    'validators.ts': source,
    'tsconfig.json': strictTsconfig(
      { module: 'nodenext', moduleResolution: 'nodenext', noEmit: false, outDir: 'build', skipLibCheck: true },
      ['validators.ts'],
    ),
  })
  const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project, timeoutMs: 120_000 })
  if (result.code !== 0) throw new Error(`tsc rejects the emitted validators:\n${result.stdout.slice(0, 4000)}${result.stderr}`)
  const file = join(project, 'build/validators.js')
  if (!readFileSync(file, 'utf8').includes('compactValidator')) throw new Error('tsc emitted no validator code')
  const module = (await import(pathToFileURL(file).href)) as Record<string, PayloadValidator>
  return covered.map((yes, i) => (yes ? module[`validate${i}`] : undefined))
}

/** ajv as the oracle: what the fallback compiles, with the runtime's format checks. */
export function createOracle(): Ajv2020 {
  // `optimize: false` skips only ajv's code optimisation pass, which triples compile time.
  const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false, ownProperties: true, code: { optimize: false } })
  ajv.addFormat('date-time', isDateTime)
  ajv.addFormat('date', isDate)
  ajv.addFormat('email', isEmail)
  ajv.addFormat('uri', isUri)
  ajv.addFormat('uuid', isUuid)
  return ajv
}

/** The verdict and the sorted, distinct failing paths of `validator` on `payload`. */
export function outcome(validator: PayloadValidator, payload: unknown): { valid: boolean; paths: string[] } {
  const valid = validator(payload)
  if (valid) return { valid, paths: [] }
  return { valid, paths: [...new Set(issuesOf(validator).map((issue) => issue.path))].sort() }
}
