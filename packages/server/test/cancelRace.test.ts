/**
 * Regression (found in review): a cancellation sent while the original is being mined (the usual race when cancelling something in flight) is
 * answered "nonce too low". broadcast() classifies that as sequence_too_low (the cancellation itself is unknown), and
 * sendVersion trips the agent's breaker with signal nonce_gap ("later transactions wait behind it"), although the nonce
 * is used and nothing waits: the agent is halted until a person resets it.
 */
import { type RpcInterposer, startRpcInterposer } from '@bursar/testing/rpc-interposer'
import { useTestStack } from '@bursar/testing/stack'
import { afterAll, describe, expect, test } from 'vitest'
import {
  confirmPasses,
  fundedAgent,
  handDriven,
  intentState,
  signAndSend,
  submitTransfer,
} from './support/handDriven.ts'

describe('cancel racing the original', () => {
  let proxy: RpcInterposer | undefined
  const stack = useTestStack({
    ...handDriven(),
    networks: async (anvil) => {
      proxy = await startRpcInterposer(anvil.rpcUrl)
      // The first raw transaction is remembered; before any other one is forwarded, a block is mined.
      let first: string | undefined
      proxy.onRequest(async (request, forward) => {
        if (request.method !== 'eth_sendRawTransaction') return undefined
        const raw = String(request.params?.[0])
        if (first === undefined) first = raw
        else if (raw !== first) await forward({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] })
        return undefined
      })
      return [{ ...anvil.network, name: 'racy', rpcUrls: [proxy.url] }]
    },
  })
  afterAll(() => proxy?.close())

  test('the original wins the race: confirmed, and the agent is not halted', async () => {
    const { agent, recipient } = await fundedAgent(stack, { lowBaseFee: true })
    const tc = stack.anvil.testClient
    await tc.setAutomine(false)
    const id = await submitTransfer(stack, agent, 'racy', recipient)
    await signAndSend(stack)
    const cancel = await stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })
    expect(cancel.status).toBe(200)
    await confirmPasses(stack, id, 1) // decides "cancel"; the original is mined just before it arrives
    await tc.setAutomine(true)
    await confirmPasses(stack, id, 3)
    expect((await intentState(stack, id)).status).toBe('confirmed')
    expect(stack.bursar.logs.text()).not.toContain('nonce_gap')
  })
})
