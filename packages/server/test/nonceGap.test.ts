import {
  countIntentRows,
  isBreakerTripped,
  listIntentRows,
  listReservationRows,
  setIntentColumns,
} from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('a broadcast refused mid-sequence (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false })

  test('the gap is filled by a tracked zero-value transfer, so later transactions still land', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const ids: string[] = []
    for (const amount of ['11', '12', '13']) {
      // The first one poses as a filler by its memo: what makes a filler is Bursar's own record, not what agents say.
      const memo = amount === '11' ? { memo: 'bursar nonce filler (not really)' } : {}
      const response = await stack.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount, ...memo },
      })
      ids.push(response.body.id)
    }
    expect(await signQueued(stack.bursar.ctx)).toBe(3)
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
    await setIntentColumns(stack.t.db, { id: ids[0]! }, { raw_tx: foreign })

    await broadcastSigned(stack.bursar.ctx) // nonce 0 refused, 1 and 2 wait in the pool, a filler is signed
    await broadcastSigned(stack.bursar.ctx) // the filler goes out and unblocks 1 and 2
    for (let i = 0; i < 50; i++) {
      await confirmBroadcast(stack.bursar.ctx)
      await setIntentColumns(stack.t.db, { status: 'broadcast' }, { next_attempt_at: 'now' })
      if ((await countIntentRows(stack.t.db, { agentId: agent.agentId, status: 'broadcast' })) === 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const rows = await listIntentRows(
      stack.t.db,
      ['id', 'status', 'nonce', 'error', 'fills_for'],
      { agentId: agent.agentId },
      { orderBy: 'nonce, id' },
    )
    const byId = new Map(rows.map((row) => [row.id, row]))
    expect(byId.get(ids[0]!)).toMatchObject({ status: 'failed', error: { code: 'BROADCAST_REJECTED' } })
    expect(byId.get(ids[1]!)?.status).toBe('confirmed')
    expect(byId.get(ids[2]!)?.status).toBe('confirmed')
    const filler = rows.find((row) => row.fills_for === ids[0])
    expect(filler).toMatchObject({ status: 'confirmed', nonce: 0 })
    // Its fee is the agent's spend: reserved at the network's cap, trued up to what was paid when mined.
    const fees = await listReservationRows(stack.t.db, ['status', 'amount'], {
      intentId: filler!.id,
      kind: 'fee',
    })
    expect(fees).toEqual([{ status: 'committed', amount: expect.any(String) }])
    expect(BigInt(fees[0]!.amount)).toBeLessThan(10n ** 16n)
    expect(await isBreakerTripped(stack.t.db, agent.agentId)).toBe(false)
    expect(
      await stack.anvil.testClient.request({
        method: 'eth_getTransactionCount',
        params: [agent.address, 'latest'],
      } as never),
    ).toBe('0x3')
    const reservations = await listReservationRows(stack.t.db, ['status'], { intentId: ids[0]! })
    expect(reservations.map((row) => row.status)).toEqual(['released', 'released'])
  })
})
