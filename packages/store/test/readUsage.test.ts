import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readUsage } from '../src/index.ts'

// Seconds ago → amount. Chosen to straddle the 1 h and 24 h window starts and minute boundaries.
const spends: Array<[number, bigint]> = [
  [5, 1n],
  [59, 2n],
  [61, 4n],
  [3_599, 8n],
  [3_601, 16n],
  [3_659, 32n],
  [86_399, 64n],
  [86_401, 128n],
  [90_000, 256n],
]

const isFee = (index: number) => index % 3 === 1

describe.each(testDbKinds)('rolling-window usage from minute buckets on %s', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
    await t.db.query(`insert into organisations (id, name) values ('own_u', 'u')`)
    await t.db.query(`insert into agents (id, org_id, name, status) values ('agt_u', 'own_u', 'u', 'active')`)
    await t.db.query(`insert into key_material (id, kind, sealed) values ('kms_u', 'master_seed', '{}')`)
    await t.db.query(
      `insert into wallets (id, agent_id, family, address, key_id, derivation_index) values ('wal_u', 'agt_u', 'evm', '0x0', 'kms_u', 0)`,
    )
    for (const [i, [ago, amount]] of spends.entries()) {
      // What insertDecidedIntent does, at a chosen time: the intent, its reservation, and both buckets.
      const at = `now() - make_interval(secs => ${ago})`
      const fee = isFee(i) ? amount.toString() : '0'
      await t.db.query(
        `insert into intents (id, agent_id, wallet_id, network, status, request, request_hash, asset, amount, recipient, created_at)
         values ($1, 'agt_u', 'wal_u', 'anvil', 'queued', '{}', 'h', 'anvil:native', $2, '0xr', ${at})`,
        [`int_${i}`, amount.toString()],
      )
      await t.db.query(
        `insert into spend_reservations (intent_id, agent_id, asset, amount, usd_micros, status, created_at, kind)
         values ($1, 'agt_u', 'anvil:native', $2, $2, 'reserved', ${at}, $3)`,
        [`int_${i}`, amount.toString(), isFee(i) ? 'fee' : 'spend'],
      )
      await t.db.query(
        `insert into spend_buckets (agent_id, asset, minute, amount, usd_micros, fee_amount) values ('agt_u', 'anvil:native', date_trunc('minute', ${at}), $1, $1, $2)
         on conflict (agent_id, asset, minute) do update set amount = spend_buckets.amount + excluded.amount, usd_micros = spend_buckets.usd_micros + excluded.usd_micros,
           fee_amount = spend_buckets.fee_amount + excluded.fee_amount`,
        [amount.toString(), fee],
      )
      await t.db.query(
        `insert into intent_buckets (agent_id, minute, n) values ('agt_u', date_trunc('minute', ${at}), 1)
         on conflict (agent_id, minute) do update set n = intent_buckets.n + 1`,
      )
    }
  })
  afterAll(() => t.drop())

  test.each([60, 3_600, 86_400, 7 * 86_400])(
    'the %i s window sums exactly the spends inside it',
    async (windowSeconds) => {
      const inside = spends.filter(([ago]) => ago < windowSeconds)
      const expected = inside.reduce((sum, [, amount]) => sum + amount, 0n)
      const fees = spends
        .filter(([ago], i) => ago < windowSeconds && isFee(i))
        .reduce((sum, [, amount]) => sum + amount, 0n)
      const usage = await readUsage(t.db, 'agt_u', {
        spend: [{ asset: 'anvil:native', windowSeconds }],
        fees: [{ asset: 'anvil:native', windowSeconds }],
        usdWindows: [windowSeconds],
        countWindows: [windowSeconds],
      })
      expect(usage.spend.get(`anvil:native|${windowSeconds}`)).toBe(expected)
      // Fee budgets read the fees alone (every third reservation here), from the same buckets.
      expect(usage.fees.get(`anvil:native|${windowSeconds}`)).toBe(fees)
      expect(usage.usdMicros.get(windowSeconds)).toBe(expected)
      expect(usage.counts.get(windowSeconds)).toBe(inside.length)
    },
  )

  test('another asset and another agent see nothing', async () => {
    const usage = await readUsage(t.db, 'agt_u', {
      spend: [{ asset: 'anvil:0xabc', windowSeconds: 86_400 }],
      usdWindows: [],
      countWindows: [],
    })
    expect(usage.spend.get('anvil:0xabc|86400')).toBe(0n)
  })
})
