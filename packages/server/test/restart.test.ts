import { createBursarClient } from '@bursar/sdk'
import { listIntentRows } from '@bursar/store/test-support'
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const policy = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000000000000000000' }] } }

describe.each(testDbKinds)('surviving a restart mid-flight on %s', (kind) => {
  let anvil: TestAnvil
  let t: TestDb

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb(kind)
  })
  afterAll(async () => {
    await t?.drop()
    await anvil?.stop()
  })

  test('intents signed and committed but never broadcast are sent and confirmed after a restart', async () => {
    // First process: accepts and signs, then "dies" before broadcasting (its executor never runs).
    const first = await startTestBursar({ db: t.db, networks: [anvil.network], executor: false })
    const agent = await first.createAgent({ policy })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 19n })
    const client = createBursarClient({ url: first.url, apiKey: agent.apiKey })
    const ids = []
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await client.sendIntent({
            type: 'transfer',
            network: 'anvil',
            to: recipient,
            amount: String(1000 + i),
          })
        ).id,
      )
    }
    expect(await signQueued(first.ctx)).toBe(3)
    const signed = await listIntentRows(t.db, ['status', 'nonce', 'raw_tx'], { ids }, { orderBy: 'nonce' })
    expect(signed.map((row) => [row.status, row.nonce])).toEqual([
      ['signed', 0],
      ['signed', 1],
      ['signed', 2],
    ])
    expect(signed.every((row) => row.raw_tx!.startsWith('0x02'))).toBe(true)
    expect(
      await anvil.testClient.request({
        method: 'eth_getTransactionCount',
        params: [agent.address, 'latest'],
      } as never),
    ).toBe('0x0')
    await first.close()

    // Second process: recovery is the normal path — signed rows are broadcast, then confirmed.
    const second = await startTestBursar({ db: t.db, networks: [anvil.network] })
    const client2 = createBursarClient({ url: second.url, apiKey: agent.apiKey })
    for (const id of ids)
      expect((await client2.waitForIntent(id, { timeoutMs: 30_000 })).status).toBe('confirmed')
    expect(
      await anvil.testClient.request({
        method: 'eth_getTransactionCount',
        params: [agent.address, 'latest'],
      } as never),
    ).toBe('0x3')
    await second.close()
  })

  test('a transaction broadcast before the restart is confirmed by the next process', async () => {
    await anvil.testClient.setAutomine(false)
    const first = await startTestBursar({ db: t.db, networks: [anvil.network] })
    const agent = await first.createAgent({ policy })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 19n })
    const client = createBursarClient({ url: first.url, apiKey: agent.apiKey })
    const intent = await client.sendIntent({
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '777',
    })
    expect((await client.waitForIntent(intent.id, { until: ['broadcast'], timeoutMs: 30_000 })).status).toBe(
      'broadcast',
    )
    await first.close()
    await anvil.testClient.mine({ blocks: 1 })
    await anvil.testClient.setAutomine(true)
    const second = await startTestBursar({ db: t.db, networks: [anvil.network] })
    const done = await createBursarClient({ url: second.url, apiKey: agent.apiKey }).waitForIntent(
      intent.id,
      { timeoutMs: 30_000 },
    )
    expect(done.status).toBe('confirmed')
    expect(done.block_number).toBeGreaterThan(0)
    await second.close()
  })
})
