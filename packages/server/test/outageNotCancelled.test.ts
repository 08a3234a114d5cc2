/**
 * Regression (found in review): broadcastSigned counts a transport failure (RPC_UNAVAILABLE always carries details.reason: 'ECONNREFUSED',
 * 'timeout', 'http_503', …) as an "unrecognised refusal". After maxUnrecognisedRefusals attempts (about two minutes of
 * outage with the default 8 and the 1-2-4-…-60 s backoff) the intent goes in_doubt, and once inDoubtGraceSeconds
 * have passed the first thing the confirmer does when the RPC is back is send a cancellation (followUpStep checks
 * graceOver before resend). A payment that no node ever refused is cancelled and reported BROADCAST_REJECTED.
 */
import { setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { afterAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'
import { fundedAgent, handDriven, intentState, nativeBalance, submitTransfer } from './support/handDriven.ts'

describe('an RPC outage during broadcast', () => {
  let proxy: TcpProxy | undefined
  const stack = useTestStack({
    ...handDriven({ rebroadcastAfterSeconds: 1, replaceAfterSeconds: 60, inDoubtGraceSeconds: 2 }),
    networks: async (anvil) => {
      proxy = await startTcpProxy(anvil.port)
      return [{ ...anvil.network, name: 'flaky', rpcUrls: [proxy.url] }]
    },
  })
  afterAll(() => proxy?.stop())

  test('a transaction nobody refused (the RPC was down) is sent when the RPC is back, not cancelled', async () => {
    const { agent, recipient } = await fundedAgent(stack)
    const id = await submitTransfer(stack, agent, 'flaky', recipient)
    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    await proxy!.stop() // the RPC goes away: connection refused
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await broadcastSigned(stack.bursar.ctx)
    }
    // Unreachable is no refusal: still signed, waiting for the RPC, never in doubt.
    expect((await intentState(stack, id)).status).toBe('signed')
    await new Promise((resolve) => setTimeout(resolve, 2500)) // still down past the grace
    await proxy!.restart()
    await new Promise((resolve) => setTimeout(resolve, 10_500)) // the pool's breaker cool-down
    for (let i = 0; i < 10; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await broadcastSigned(stack.bursar.ctx)
      await confirmBroadcast(stack.bursar.ctx)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect((await intentState(stack, id)).status).toBe('confirmed')
    expect(await nativeBalance(stack, 'flaky', recipient)).toBe(1000n)
  })
})
