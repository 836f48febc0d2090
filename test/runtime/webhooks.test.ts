/**
 * Webhooks from Refold: signatures checked against node:crypto's HMAC, and each documented
 * payload parsed into the typed union.
 */
import { createHmac } from 'node:crypto'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  parseWebhook,
  RefoldConfigurationError,
  verifyWebhookSignature,
  WebhookError,
  webhookEvents,
  type RefoldWebhook,
  type WorkflowErroredWebhook,
} from '../../src/runtime/index.js'

const secret = 'tk_6a3f0c1e9b'
const sign = (body: string | Buffer, key = secret) => createHmac('sha256', key).update(body).digest('hex')

// Payloads as Refold's webhook docs show them.
const samples: Record<RefoldWebhook['event'], object> = {
  'Connection Created': {
    linked_account_id: '12345',
    org_id: '645270e37917442c4307297a',
    environment: 'test',
    type: 'General',
    event: 'Connection Created',
    slug: 'hubspot',
    createdAt: 'Tue, 07 Nov 2023 08:03:27 GMT',
  },
  'Connection Deleted': {
    linked_account_id: '12345',
    org_id: '645270e37917442c4307297a',
    environment: 'test',
    type: 'General',
    event: 'Connection Deleted',
    slug: 'hubspot',
    createdAt: 'Tue, 07 Nov 2023 08:04:27 GMT',
  },
  'Connection Expired': {
    linked_account_id: '12345',
    org_id: '645270e37917442c4307297a',
    environment: 'test',
    type: 'General',
    event: 'Connection Expired',
    slug: 'pipedrive',
    createdAt: 'Tue, 07 Nov 2023 08:38:33 GMT',
  },
  'Workflow Completed': {
    linked_account_id: '12345',
    instance_id: '656f30f69144bb8f183c0118',
    workflow_id: '6495792b9b6ca6d77a17e513',
    config_id: '12345',
    event: 'Workflow Completed',
    workflow_name: 'Export contact to Hubspot',
    status: 'COMPLETED',
  },
  'Workflow Errored': {
    linked_account_id: '12345',
    instance_id: '656f308b9144bb8f183bfc7b',
    workflow_id: '6495792b9b6ca6d77a17e513',
    config_id: '12345',
    event: 'Workflow Errored',
    workflow_name: 'Export contact to Hubspot',
    status: 'ERRORED',
    environment: 'live',
  },
}

describe('verifyWebhookSignature', () => {
  const body = JSON.stringify(samples['Workflow Completed'])

  it('accepts the hex HMAC-SHA256 of the raw body, as string or Buffer', () => {
    expect(verifyWebhookSignature(body, sign(body), secret)).toBe(true)
    expect(verifyWebhookSignature(Buffer.from(body), sign(body), secret)).toBe(true)
    expect(verifyWebhookSignature(body, sign(body).toUpperCase(), secret)).toBe(true)
    expect(verifyWebhookSignature(body, [sign(body)], secret)).toBe(true)
  })

  it('covers the exact bytes: unicode bodies work, any change fails', () => {
    const unicode = '{"workflow_name":"Café ✓ 🎉"}'
    expect(verifyWebhookSignature(Buffer.from(unicode, 'utf8'), sign(unicode), secret)).toBe(true)
    expect(verifyWebhookSignature(`${body} `, sign(body), secret)).toBe(false)
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(body), null, 2), sign(body), secret)).toBe(false)
  })

  it('returns false, never throws, for wrong or malformed signatures', () => {
    const good = sign(body)
    const flipped = (good[0] === 'a' ? 'b' : 'a') + good.slice(1)
    for (const signature of [
      flipped,
      sign(body, 'other-key'),
      good.slice(2),
      `${good}00`,
      'z'.repeat(64),
      '',
      ' ',
      undefined,
      null,
      [],
      [good, good],
      `sha256=${good}`,
    ]) {
      expect(verifyWebhookSignature(body, signature, secret), String(signature)).toBe(false)
    }
  })

  it('throws for a missing secret or a parsed body (configuration mistakes)', () => {
    expect(() => verifyWebhookSignature(body, sign(body), '')).toThrow(RefoldConfigurationError)
    expect(() => verifyWebhookSignature(JSON.parse(body) as never, sign(body), secret)).toThrow(/raw request body/)
  })
})

describe('parseWebhook', () => {
  it.each(webhookEvents)('parses a signed "%s" webhook into its typed shape', (event) => {
    const body = JSON.stringify(samples[event])
    const webhook = parseWebhook(body, sign(body), secret)
    expect(webhook).toEqual(samples[event])
    expect(webhook.event).toBe(event)
  })

  it('narrows on event', () => {
    const body = JSON.stringify(samples['Workflow Errored'])
    const webhook = parseWebhook(Buffer.from(body), sign(body), secret)
    if (webhook.event === 'Workflow Errored') {
      expectTypeOf(webhook).toEqualTypeOf<WorkflowErroredWebhook>()
      expectTypeOf(webhook.status).toEqualTypeOf<'ERRORED'>()
      expect(webhook.instance_id).toBe('656f308b9144bb8f183bfc7b')
    } else {
      throw new Error('expected a Workflow Errored webhook')
    }
  })

  it('keeps fields Refold may add later', () => {
    const body = JSON.stringify({ ...samples['Connection Created'], region: 'eu' })
    expect(parseWebhook(body, sign(body), secret)).toHaveProperty('region', 'eu')
  })

  const reject = (body: string, signature = sign(body)): WebhookError => {
    try {
      parseWebhook(body, signature, secret)
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookError)
      return error as WebhookError
    }
    throw new Error('expected a WebhookError')
  }

  it('rejects a bad or missing signature', () => {
    const body = JSON.stringify(samples['Connection Expired'])
    expect(reject(body, sign(body, 'wrong')).reason).toBe('invalid_signature')
    expect(reject(body, '').message).toContain('no x-cobalt-signature')
  })

  it('rejects a signed body that is not JSON', () => {
    expect(reject('{"event": ').reason).toBe('invalid_json')
  })

  it('rejects an unknown event, naming the known ones', () => {
    const error = reject(JSON.stringify({ event: 'Workflow Started', linked_account_id: '1' }))
    expect(error.reason).toBe('unknown_event')
    expect(error.message).toContain('Workflow Completed')
    expect(reject('[]').reason).toBe('invalid_payload')
  })

  it('lists every wrong field', () => {
    const error = reject(
      JSON.stringify({ ...samples['Workflow Completed'], status: 'ERRORED', instance_id: 42, workflow_id: undefined, environment: null }),
    )
    expect(error.reason).toBe('invalid_payload')
    expect(error.problems).toEqual([
      'instance_id: expected a string, got number 42',
      'workflow_id: expected a string, got nothing (missing)',
      'environment: expected a string when present, got null',
      'status: expected "COMPLETED" for "Workflow Completed", got the string "ERRORED"',
    ])
    const connection = reject(JSON.stringify({ event: 'Connection Created', linked_account_id: '1' }))
    expect(connection.problems).toEqual(['slug: expected a string, got nothing (missing)'])
  })
})
