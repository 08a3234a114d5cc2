/**
 * Regression (found in review): after a reorg, an intent whose ORIGINAL was confirmed but which also has a later cancellation version (sent
 * when it was in doubt and its grace ran out) is followed with newestKind 'cancel': followUpStep treats it as being
 * cancelled and resends the cancellation, not "the same bytes" that were confirmed. The confirmed payment ends failed.
 */
import { listIntentTransactions } from '@bursar/store'
import { type RpcInterposer, startRpcInterposer } from '@bursar/testing/rpc-interposer'
import { useTestStack } from '@bursar/testing/stack'
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

describe('reorg of an intent with a cancellation version', () => {
  let interposer: RpcInterposer | undefined
  const stack = useTestStack({
    ...handDriven(),
    networks: async (anvil) => {
      interposer = await startRpcInterposer(anvil.rpcUrl)
      return [{ ...anvil.network, name: 'interposed', rpcUrls: [interposer.url] }]
    },
  })
  afterAll(() => interposer?.close())

  test('confirmed, reorged out: the confirmed bytes are sent again and it ends confirmed', async () => {
    const { agent, recipient } = await fundedAgent(stack, { lowBaseFee: true })
    const tc = stack.anvil.testClient
    const snapshot = await tc.snapshot()
    await tc.setAutomine(false)
    interposer!.onSend(() => ({
      kind: 'refuse',
      message: 'insufficient funds for gas * price + value',
      forward: true,
    }))
    const id = await submitTransfer(stack, agent, 'interposed', recipient)
    await signAndSend(stack) // refused (but forwarded): in doubt
    interposer!.onSend(() => ({ kind: 'pass' }))
    await confirmPasses(stack, id, 1) // grace over: Bursar's cancellation goes out
    const versions = await listIntentTransactions(stack.t.db, [id])
    expect(versions.map((v) => v.kind)).toEqual(['original', 'cancel'])
    // The original wins (a builder that had it): mined, confirmed.
    await tc.request({ method: 'anvil_dropAllTransactions', params: [] } as never)
    await tc.request({ method: 'eth_sendRawTransaction', params: [versions[0]!.raw_tx] } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(true)
    await confirmPasses(stack, id, 3)
    expect((await intentState(stack, id)).status).toBe('confirmed')

    // Reorg: that block is gone.
    await tc.revert({ id: snapshot })
    await tc.request({ method: 'anvil_dropAllTransactions', params: [] } as never)
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    await tc.mine({ blocks: 3 })
    // Two looks, apart, agree it is gone.
    expect(await watchReorgs(stack.bursar.ctx)).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await watchReorgs(stack.bursar.ctx)).toBe(1)
    await confirmPasses(stack, id, 5, 50)
    expect((await intentState(stack, id)).status).toBe('confirmed')
    expect(await nativeBalance(stack, 'interposed', recipient)).toBe(1000n)
  })
})
