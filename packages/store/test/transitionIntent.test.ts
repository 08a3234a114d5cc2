import type { IntentStatus } from '@bursar/core/api'
import { isBursarError } from '@bursar/core/errors'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  getIntent,
  insertAgent,
  insertDecidedIntent,
  insertKeyMaterial,
  insertOrganisationWithToken,
  insertWallet,
  listIntentEvents,
  newId,
  type Sql,
  transitionIntent,
} from '../src/index.ts'

/** `tx`, counting the statements sent through it. */
function counting(tx: Sql): { sql: Sql; count(): number } {
  let n = 0
  return {
    sql: {
      query: (text, params) => {
        n++
        return tx.query(text, params)
      },
    },
    count: () => n,
  }
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

describe.each(testDbKinds)('transitionIntent on %s', (kind) => {
  let t: TestDb
  let intentId: string

  beforeAll(async () => {
    t = await createTestDb(kind)
    intentId = await t.db.transaction(async (tx) => {
      const { organisation: owner } = await insertOrganisationWithToken(tx, 'o')
      const agent = await insertAgent(tx, owner.id, 'a')
      const keyId = newId('kms')
      await insertKeyMaterial(tx, keyId, {})
      const wallet = await insertWallet(tx, { agentId: agent.id, keyId, family: 'evm', address: () => '0x0' })
      const intent = await insertDecidedIntent(
        tx,
        {
          id: newId('int'),
          agentId: agent.id,
          walletId: wallet.id,
          network: 'anvil',
          status: 'queued',
          request: {},
          requestHash: 'h',
          idempotencyKey: null,
          asset: 'anvil:native',
          amount: '1',
          recipient: '0xr',
          recipients: ['0xr'],
          decision: null,
          policyVersion: null,
          error: null,
        },
        {
          events: [
            { from: null, to: 'received' },
            { from: 'received', to: 'approved' },
            { from: 'approved', to: 'queued' },
          ],
          reservations: [],
          audit: [],
        },
      )
      return intent.id
    })
  })
  afterAll(() => t.drop())

  const statusOf = async () => (await getIntent(t.db, intentId))?.status

  test('legal moves are written with their patch and recorded as events', async () => {
    for (const [from, to, patch] of [
      ['queued', 'signed', { nonce: 7, raw_tx: '0xraw', tx_hash: '0xhash' }],
      ['signed', 'broadcast', {}],
      ['broadcast', 'confirmed', { block_number: 123 }],
    ] as const) {
      const row = await t.db.transaction((tx) => transitionIntent(tx, intentId, [from], to, patch))
      expect(row?.status).toBe(to)
    }
    const row = await getIntent(t.db, intentId)
    expect(row).toMatchObject({ status: 'confirmed', nonce: 7, tx_hash: '0xhash', block_number: 123 })
    const events = (await listIntentEvents(t.db, intentId)).map((e) => [e.from_status, e.to_status])
    expect(events.slice(-3)).toEqual([
      ['queued', 'signed'],
      ['signed', 'broadcast'],
      ['broadcast', 'confirmed'],
    ])
  })

  test.each<[IntentStatus[], IntentStatus]>([
    [['confirmed'], 'queued'],
    [['confirmed'], 'signed'],
    // One illegal source refuses the whole call, even beside a legal one.
    [['queued', 'confirmed'], 'signed'],
  ])('error: %j → %s throws INTERNAL before any statement, nothing written', async (from, to) => {
    const before = await getIntent(t.db, intentId)
    const eventsBefore = await listIntentEvents(t.db, intentId)
    let statements = -1
    const error = await refusal(() =>
      t.db.transaction(async (tx) => {
        const spy = counting(tx)
        try {
          return await transitionIntent(spy.sql, intentId, from, to, { attempts: 99 })
        } finally {
          statements = spy.count()
        }
      }),
    )
    expect(isBursarError(error) && error.code).toBe('INTERNAL')
    expect((error as Error).message).toMatch(/^illegal intent transition \w+ → \w+$/)
    expect(statements).toBe(0)
    expect(await getIntent(t.db, intentId)).toEqual(before)
    expect(await listIntentEvents(t.db, intentId)).toEqual(eventsBefore)
  })

  test('a legal move from a status the intent has left returns undefined and writes nothing', async () => {
    const eventsBefore = await listIntentEvents(t.db, intentId)
    const row = await t.db.transaction((tx) => transitionIntent(tx, intentId, ['queued'], 'cancelled'))
    expect(row).toBeUndefined()
    expect(await statusOf()).toBe('confirmed')
    expect(await listIntentEvents(t.db, intentId)).toEqual(eventsBefore)
  })
})
