/**
 * `createOutbox().fire()`: checks and validates like `client.fire()`, then writes one row, in
 * the caller's transaction when given one: a rolled-back transaction leaves nothing to send.
 * Real stores, a real ajv validator.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createOutbox } from '../../src/outbox/create-outbox.js'
import { OutboxError } from '../../src/outbox/outbox-errors.js'
import { openPostgresStore } from '../../src/outbox/postgres-store.js'
import { openSqliteStore } from '../../src/outbox/sqlite-store.js'
import { PayloadValidationError, RefoldConfigurationError } from '../../src/runtime/errors.js'
import type { PayloadValidator } from '../../src/runtime/payload-validation.js'
import { loadAjv } from '../../src/util/load-ajv.js'
import { POSTGRES_URL, postgresAvailable, tempDir, uniqueSchema } from './support.js'

interface EventMap {
  'Order Placed': { order_id: string; total: number }
  'User Deleted': { user_id: string }
}

async function validators(): Promise<{ [N in keyof EventMap]: PayloadValidator }> {
  const ajv = await loadAjv()
  return {
    'Order Placed': ajv.compile({
      type: 'object',
      properties: { order_id: { type: 'string' }, total: { type: 'number' } },
      required: ['order_id', 'total'],
    }) as PayloadValidator,
    'User Deleted': ajv.compile({ type: 'object', properties: { user_id: { type: 'string' } }, required: ['user_id'] }) as PayloadValidator,
  }
}

describe('outbox.fire on the embedded store', () => {
  it('validates per mode: error refuses and writes nothing, warn records and reports, off records', async () => {
    const store = await openSqliteStore({ file: join(tempDir(), 'o.db'), synchronous: 'normal' })
    try {
      const strict = createOutbox<EventMap>(store, { validators: await validators(), validate: 'error' })
      const bad = { linkedAccountId: 'acct', payload: { order_id: 7 } as unknown as EventMap['Order Placed'] }
      await expect(strict.fire('Order Placed', bad)).rejects.toBeInstanceOf(PayloadValidationError)
      expect((await store.status()).total.pending).toBe(0)

      const warnings: string[] = []
      const lenient = createOutbox<EventMap>(store, {
        validators: await validators(),
        validate: 'warn',
        onInvalid: (report) => void warnings.push(report.issues.map((issue) => issue.path).join(' ')),
      })
      const written = await lenient.fire('Order Placed', bad)
      expect(written.duplicate).toBe(false)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('/order_id')
      expect(warnings[0]).toContain('/total')

      const off = createOutbox<EventMap>(store, {
        validators: await validators(),
        validate: 'off',
        onInvalid: () => expect.fail('no report when off'),
      })
      await off.fire('Order Placed', bad)
      const rows = await store.list({})
      expect(rows.map((r) => [r.event, r.payloadJson, r.idempotencyKey.startsWith('rfo_')])).toEqual([
        ['Order Placed', '{"order_id":7}', true],
        ['Order Placed', '{"order_id":7}', true],
      ])
    } finally {
      await store.close()
    }
  })

  it('records a fire with the copies of its renames in expansion, validated as the helper validates it', async () => {
    const store = await openSqliteStore({ file: join(tempDir(), 'o.db'), synchronous: 'normal' })
    try {
      const ajv = await loadAjv()
      // A closed object that knows the old name as an optional copy, as generated validators do.
      const closed = ajv.compile({
        type: 'object',
        properties: { user_id: { type: 'string' }, id: { type: 'string' } },
        required: ['user_id'],
        additionalProperties: false,
      }) as PayloadValidator
      const outbox = createOutbox<EventMap>(store, {
        validators: { 'Order Placed': (await validators())['Order Placed'], 'User Deleted': closed },
        validate: 'error',
        renamedCopies: { 'User Deleted': [{ newPath: ['user_id'], oldPath: ['id'], keptPrefix: 0 }] },
      })
      const payload = { user_id: 'u1' }
      await outbox.fire('User Deleted', { linkedAccountId: 'acct', payload })
      await outbox.fire('Order Placed', { linkedAccountId: 'acct', payload: { order_id: 'o1', total: 1 } })
      expect((await store.list({})).map((r) => [r.event, r.payloadJson])).toEqual([
        ['User Deleted', '{"user_id":"u1","id":"u1"}'],
        ['Order Placed', '{"order_id":"o1","total":1}'],
      ])
      // The caller's payload is not changed.
      expect(payload).toEqual({ user_id: 'u1' })
    } finally {
      await store.close()
    }
  })

  it('refuses bad arguments and unknown events before writing', async () => {
    const store = await openSqliteStore({ file: join(tempDir(), 'o.db'), synchronous: 'normal' })
    try {
      const outbox = createOutbox<EventMap>(store, { validators: await validators() })
      await expect(outbox.fire('User Deleted', { linkedAccountId: 'bad\nid', payload: { user_id: 'u' } })).rejects.toBeInstanceOf(
        RefoldConfigurationError,
      )
      await expect(outbox.fire('Nope' as 'User Deleted', { linkedAccountId: 'a', payload: { user_id: 'u' } })).rejects.toBeInstanceOf(
        OutboxError,
      )
      await expect(outbox.fire('User Deleted', { linkedAccountId: 'a', payload: { user_id: 10n } as never })).rejects.toBeInstanceOf(
        PayloadValidationError,
      )
      await expect(outbox.fire('User Deleted', { linkedAccountId: 'a', payload: { user_id: 'u' } }, { tx: {} })).rejects.toBeInstanceOf(
        OutboxError,
      )
      // REFOLD_VALIDATE picks the mode when the option does not, as for the client.
      const fromEnv = createOutbox<EventMap>(store, { validators: await validators(), env: { REFOLD_VALIDATE: 'error' } })
      await expect(fromEnv.fire('User Deleted', { linkedAccountId: 'a', payload: {} as never })).rejects.toBeInstanceOf(
        PayloadValidationError,
      )
      const misconfigured = createOutbox<EventMap>(store, { env: { REFOLD_VALIDATE: 'strict' } })
      await expect(misconfigured.fire('User Deleted', { linkedAccountId: 'a', payload: { user_id: 'u' } })).rejects.toBeInstanceOf(
        RefoldConfigurationError,
      )
      expect((await store.status()).total.pending).toBe(0)
    } finally {
      await store.close()
    }
  })

  it("writes inside the caller's db.transaction(): a rollback leaves no fire, a commit keeps it", async () => {
    const file = join(tempDir(), 'app.db')
    const store = await openSqliteStore({ file, synchronous: 'normal' })
    const app = new Database(file)
    try {
      app.exec('CREATE TABLE users (id TEXT PRIMARY KEY)')
      const outbox = createOutbox<EventMap>(store, { validators: await validators() })
      const deleteUser = app.transaction((id: string, fail: boolean) => {
        app.prepare('INSERT INTO users (id) VALUES (?)').run(id)
        void outbox.fire(
          'User Deleted',
          { linkedAccountId: 'acct', payload: { user_id: id }, idempotencyKey: `user-deleted-${id}` },
          { tx: app },
        )
        if (fail) throw new Error('business rule failed')
      })
      expect(() => deleteUser('u1', true)).toThrow('business rule failed')
      deleteUser('u2', false)
      expect((await store.list({})).map((r) => r.idempotencyKey)).toEqual(['user-deleted-u2'])
    } finally {
      app.close()
      await store.close()
    }
  })
})

describe.skipIf(!postgresAvailable)('outbox.fire on Postgres', () => {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 })
  afterAll(() => pool.end())

  it("writes in the caller's transaction: rolled back means never written, committed means pending", async () => {
    const schema = uniqueSchema('fire')
    const store = await openPostgresStore({ pool, schema })
    try {
      const outbox = createOutbox<EventMap>(store, { validators: await validators() })
      await pool.query(`CREATE TABLE ${schema}.orders (id text PRIMARY KEY)`)
      for (const [id, commit] of [
        ['o1', false],
        ['o2', true],
      ] as const) {
        const client = await pool.connect()
        try {
          await client.query('BEGIN')
          await client.query(`INSERT INTO ${schema}.orders (id) VALUES ($1)`, [id])
          await outbox.fire(
            'Order Placed',
            { linkedAccountId: 'acct', payload: { order_id: id, total: 1 }, idempotencyKey: `order-${id}` },
            { tx: client },
          )
          await client.query(commit ? 'COMMIT' : 'ROLLBACK')
        } finally {
          client.release()
        }
      }
      expect((await store.list({})).map((r) => [r.idempotencyKey, r.state])).toEqual([['order-o2', 'pending']])
      // The same key again (a retried request handler) is not a second fire.
      const again = await outbox.fire('Order Placed', {
        linkedAccountId: 'acct',
        payload: { order_id: 'o2', total: 1 },
        idempotencyKey: 'order-o2',
      })
      expect(again.duplicate).toBe(true)
    } finally {
      await store.close()
    }
  })
})
