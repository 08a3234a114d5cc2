/**
 * Regression (found in review): an intent settled as `cancelled` (its cancellation mined) has had its spend
 * released. When a reorg takes that block out and the original (still in some mempool) is mined on the new chain
 * instead, the value moves: the intent is reopened (audited), its spend counts again, and it ends confirmed.
 */
import { listIntentTransactions } from '@bursar/store'
import { listAuditRows, listBucketDrift, listReservationRows } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import { watchReorgs } from '../src/workers/watchReorgs.ts'
import {
  confirmPasses,
  fundedAgent,
  handDriven,
  intentState,
  nativeBalance,
  signAndSend,
  submitTransfer,
} from './support/handDriven.ts'

describe('reorg after a cancellation', () => {
  const stack = useTestStack(handDriven())

  test('the cancellation reorged out and the original mined instead: the spend is counted again', async () => {
    const { agent, recipient } = await fundedAgent(stack, { lowBaseFee: true })
    const tc = stack.anvil.testClient
    const snapshot = await tc.snapshot()
    await tc.setAutomine(false)
    const id = await submitTransfer(stack, agent, 'anvil', recipient)
    await signAndSend(stack)
    const cancel = await stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })
    expect(cancel.status).toBe(200)
    await confirmPasses(stack, id, 1) // sends the cancellation
    await tc.mine({ blocks: 1 })
    await confirmPasses(stack, id, 3)
    expect((await intentState(stack, id)).status).toBe('cancelled')

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
      // Two looks apart before a reorg is believed.
      await confirmPasses(stack, id, 1, 150)
    }
    const spend = await listReservationRows(stack.t.db, ['status'], { intentId: id, kind: 'spend' })
    const reorged = await listAuditRows(stack.t.db, { actions: ['intent.reorged'], subjectIds: [id] })
    expect(await nativeBalance(stack, 'anvil', recipient)).toBe(1000n) // the value did move on the canonical chain
    expect(spend.map((r) => r.status)).toEqual(['committed']) // ...so it counts against the limits
    expect(await listBucketDrift(stack.t.db)).toEqual([]) // ...in the rolling-window buckets too
    expect((await intentState(stack, id)).status).toBe('confirmed')
    expect(reorged).toHaveLength(1)
  })
})
