/**
 * `sync` on the built-in emulator warns about the mistakes of the workflows file it runs, at the
 * file's lines (`check` does too: test/cases/check-workflow-mistakes).
 */
import { describe, expect, it } from 'vitest'
import { eventYaml, project } from '../sync/harness.js'
import { runCli } from '../support/cli.js'

describe('workflows file mistakes', () => {
  it('are warned by sync at the workflow line, with a did-you-mean, and sync still applies', async () => {
    const p = await project(
      {
        'events/invoice.yaml': eventYaml('Invoice Paid', 'invoice_id: inv_1\ncustomer: { name: Acme, email: billing@acme.test }'),
        'workflows.yaml': [
          'workflows:',
          '  - name: Thank the customer',
          '    app: hubspot',
          '    event: Invoice paid',
          '    steps: []',
          '  - name: Book the payment',
          '    app: quickbooks',
          '    event: Invoice Paid',
          '    steps:',
          '      - { name: Book, text: "Invoice {{event.invoice_id}} for {{event.customer.nmae}}" }',
          '',
        ].join('\n'),
      },
      "export default { emulator: { workflows: 'workflows.yaml' } }\n",
    )
    const synced = await runCli(['sync'], { cwd: p.root, environment: 'clean' })
    expect(synced.code).toBe(0)
    expect(synced.stderr).toBe(
      [
        'workflows.yaml:4:12: warning: workflow "Thank the customer": no event is named "Invoice paid" (did you mean "Invoice Paid"? names are case-sensitive), so it never runs; expected the exact name of an event in the events folder',
        'workflows.yaml:10:29: warning: workflow "Book the payment", step "Book": {{event.customer.nmae}} is not a field of "Invoice Paid" (did you mean {{event.customer.name}}?): no sample or schema has it, so a run on a payload without it is ERRORED',
        '',
      ].join('\n'),
    )
    expect(synced.stdout).toContain('Applied to local: 1 created')
  })
})
