/**
 * Regression (found in review): an intent settled as `cancelled` (its cancellation mined) has had its spend
 * released. When a reorg takes that block out and the original (still in some mempool) is mined on the new chain
 * instead, the value moves: the intent is reopened (audited), its spend counts again, and it ends confirmed.
 */
import { listIntentTransactions } from '@bursar/store'
import {
  listAuditRows,
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
import { watchReorgs } from '../src/workers/watchReorgs.ts'

describe('reorg after a cancellation', () => {
  const stack = useTestStack({
    executor: false,
    config: {
      executor: {
        rebroadcastAfterSeconds: 0,
        replaceAfterSeconds: 0.2,
        inDoubtGraceSeconds: 0,
        nonceSettleSeconds: 0.2,
        reorgWatchBlocks: 12,
        maxUnrecognisedRefusals: 3,
      } as never,
    },
  })

  test('the cancellation reorged out and the original mined instead: the spend is counted again', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const tc = stack.anvil.testClient
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    await tc.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: ['0x3b9aca00'] } as never)
    await tc.mine({ blocks: 1 })
    const snapshot = await tc.snapshot()
    await tc.setAutomine(false)
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    const cancel = await stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })
    expect(cancel.status).toBe(200)
    await confirmBroadcast(stack.bursar.ctx) // sends the cancellation
    await tc.mine({ blocks: 1 })
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    const [cancelled] = await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] })
    expect(cancelled!.status).toBe('cancelled')

    // Reorg: the block with the cancellation is gone; a node that still held the original mines it instead.
    const [original] = await listIntentTransactions(stack.t.db, [id])
    await tc.revert({ id: snapshot })
    await tc.request({ method: 'anvil_dropAllTransactions', params: [] } as never)
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    await tc.request({ method: 'eth_sendRawTransaction', params: [original!.raw_tx] } as never)
    await tc.mine({ blocks: 3 })
    await tc.setAutomine(true)

    for (let i = 0; i < 6; i++) {
      await watchReorgs(stack.bursar.ctx)
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
      // Two looks apart before a reorg is believed.
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    const [after] = await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] })
    const spend = await listReservationRows(stack.t.db, ['status'], { intentId: id, kind: 'spend' })
    const reorged = await listAuditRows(stack.t.db, { actions: ['intent.reorged'], subjectIds: [id] })
    expect(received?.amount).toBe(1000n) // the value did move on the canonical chain
    expect(spend.map((r) => r.status)).toEqual(['committed']) // ...so it counts against the limits
    expect(after!.status).toBe('confirmed')
    expect(reorged).toHaveLength(1)
  })
})
