/**
 * Regression (found in review): watchReorgs decides "reorged" on ONE null receipt, from whichever endpoint the pool used. When the primary RPC
 * fails over to a node a few blocks behind, a confirmed intent is sent back to broadcast, a false intent.reorged
 * entry goes into the hash chain, and the intent is confirmed (and announced) a second time.
 */
import { listAuditRows, listReservationRows } from '@bursar/store/test-support'
import { type RpcInterposer, startRpcInterposer } from '@bursar/testing/rpc-interposer'
import { useTestStack } from '@bursar/testing/stack'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { afterAll, describe, expect, test } from 'vitest'
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

describe('failover to a lagging node', () => {
  let primary: TcpProxy | undefined
  let lagging: RpcInterposer | undefined
  const stack = useTestStack({
    ...handDriven({
      rebroadcastAfterSeconds: 15,
      replaceAfterSeconds: 60,
      inDoubtGraceSeconds: 30,
      nonceSettleSeconds: 1,
      maxUnrecognisedRefusals: 8,
    }),
    networks: async (anvil) => {
      primary = await startTcpProxy(anvil.port)
      // A node behind the chain: it has not seen any receipt yet, the rest it answers like the node it follows.
      lagging = await startRpcInterposer(anvil.rpcUrl)
      lagging.onRequest((request) =>
        request.method === 'eth_getTransactionReceipt'
          ? Promise.resolve({ jsonrpc: '2.0', id: request.id, result: null })
          : undefined,
      )
      return [{ ...anvil.network, name: 'pair', rpcUrls: [primary.url, lagging.url] }]
    },
  })
  afterAll(async () => {
    await primary?.stop()
    await lagging?.close()
  })

  test('a confirmed intent is not reorged by one null receipt', async () => {
    const { agent, recipient } = await fundedAgent(stack)
    const id = await submitTransfer(stack, agent, 'pair', recipient)
    await signAndSend(stack)
    await confirmPasses(stack, id, 1)
    expect((await intentState(stack, id)).status).toBe('confirmed')
    await primary!.stop() // the primary goes away; the pool fails over to the lagging node
    await watchReorgs(stack.bursar.ctx)
    const after = await intentState(stack, id)
    const reorged = await listAuditRows(stack.t.db, { actions: ['intent.reorged'], subjectIds: [id] })
    // The confirmer, its passes slower than nonceSettleSeconds apart (as when the primary times out at 10 s a request):
    await confirmPasses(stack, id, 3, 1200)
    const later = await intentState(stack, id)
    const reservations = await listReservationRows(stack.t.db, ['kind', 'status'], { intentId: id })
    expect(reorged).toHaveLength(0)
    expect(after.status).toBe('confirmed')
    // Still confirmed after more looks through the lagging node, and what it spent still counts.
    expect(later.status).toBe('confirmed')
    expect(reservations.map((r) => r.status)).toEqual(['committed', 'committed'])
    expect(await nativeBalance(stack, 'pair', recipient)).toBe(1000n)
  })
})
