import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('a broadcast refused mid-sequence (PostgreSQL)', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('postgres')
    bursar = await startTestBursar({ db: t.db, networks: [anvil.network], executor: false })
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  test('the gap is filled by a tracked zero-value transfer, so later transactions still land', async () => {
    const agent = await bursar.createAgent({ policy: {} })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const ids: string[] = []
    for (const amount of ['11', '12', '13']) {
      const response = await bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount },
      })
      ids.push(response.body.id)
    }
    expect(await signQueued(bursar.ctx)).toBe(3)
    // Make nonce 0 unsendable: a transaction for another chain, which the node refuses for good.
    const foreign = await privateKeyToAccount(generatePrivateKey()).signTransaction({
      chainId: 1,
      to: recipient,
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    })
    await t.db.query('update intents set raw_tx = $2 where id = $1', [ids[0], foreign])

    await broadcastSigned(bursar.ctx) // nonce 0 refused, 1 and 2 wait in the pool, a filler is signed
    await broadcastSigned(bursar.ctx) // the filler goes out and unblocks 1 and 2
    for (let i = 0; i < 50; i++) {
      await confirmBroadcast(bursar.ctx)
      await t.db.query(`update intents set next_attempt_at = now() where status = 'broadcast'`)
      const [row] = await t.db.query<{ n: number }>(
        `select count(*)::int as n from intents where agent_id = $1 and status = 'broadcast'`,
        [agent.agentId],
      )
      if (row!.n === 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const rows = await t.db.query<{
      id: string
      status: string
      nonce: number
      error: { code: string } | null
      request: { memo?: string }
    }>('select id, status, nonce, error, request from intents where agent_id = $1 order by nonce, id', [
      agent.agentId,
    ])
    const byId = new Map(rows.map((row) => [row.id, row]))
    expect(byId.get(ids[0]!)).toMatchObject({ status: 'failed', error: { code: 'BROADCAST_REJECTED' } })
    expect(byId.get(ids[1]!)?.status).toBe('confirmed')
    expect(byId.get(ids[2]!)?.status).toBe('confirmed')
    const filler = rows.find((row) => row.request.memo?.startsWith('bursar nonce filler'))
    expect(filler).toMatchObject({ status: 'confirmed', nonce: 0 })
    expect(
      await anvil.testClient.request({
        method: 'eth_getTransactionCount',
        params: [agent.address, 'latest'],
      } as never),
    ).toBe('0x3')
    const [reservation] = await t.db.query<{ status: string }>(
      'select status from spend_reservations where intent_id = $1',
      [ids[0]],
    )
    expect(reservation!.status).toBe('released')
  })
})
