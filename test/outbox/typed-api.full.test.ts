/**
 * The outbox's typed API against this project's real generated code, through the real `tsc`:
 * `createOutbox<RefoldEventMap>(store, { validators: payloadValidators })` accepts every event's
 * own payload and refuses unknown names and wrong payloads at compile time.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { expect, it } from 'vitest'
import { runProcess, strictTsconfig, tempProject, TSC } from '../codegen/support.js'
import { ROOT } from './support.js'

it('outbox.fire is typed by RefoldEventMap', { timeout: 120_000 }, async () => {
  const project = tempProject('refold-outbox-types-')
  cpSync(join(ROOT, 'generated'), join(project, 'generated'), { recursive: true })
  const sample = (parse(readFileSync(join(ROOT, 'events/new-contact-created.yaml'), 'utf8')) as { sample: object }).sample
  writeFileSync(
    join(project, 'usage.ts'),
    `import { createOutbox, type OutboxStore } from 'refold-events/outbox'
import { payloadValidators, type RefoldEventMap } from './generated/index.mjs'
declare const store: OutboxStore
declare const tx: { query(text: string, values?: unknown[]): Promise<unknown> }
const outbox = createOutbox<RefoldEventMap>(store, { validators: payloadValidators, validate: 'warn' })
const sample = ${JSON.stringify(sample)} as const
export const ok = outbox.fire('New Contact Created', { linkedAccountId: 'acct', payload: sample, idempotencyKey: 'k' }, { tx })
// @ts-expect-error not an event of this project
export const unknownName = outbox.fire('No Such Event', { linkedAccountId: 'acct', payload: sample })
// @ts-expect-error email must be a string
export const wrongPayload = outbox.fire('New Contact Created', { linkedAccountId: 'acct', payload: { ...sample, email: 5 } })
// @ts-expect-error linkedAccountId is required
export const noAccount = outbox.fire('New Contact Created', { payload: sample })
`,
  )
  writeFileSync(
    join(project, 'tsconfig.json'),
    strictTsconfig({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, ['usage.ts']),
  )
  const result = await runProcess(TSC, ['-p', 'tsconfig.json'], { cwd: project })
  expect(result.stdout + result.stderr).toBe('')
  expect(result.code).toBe(0)
})
