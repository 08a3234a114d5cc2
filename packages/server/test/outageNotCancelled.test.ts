/**
 * Regression (found in review): broadcastSigned counts a transport failure (RPC_UNAVAILABLE always carries details.reason: 'ECONNREFUSED',
 * 'timeout', 'http_503', …) as an "unrecognised refusal". After maxUnrecognisedRefusals attempts (about two minutes of
 * outage with the default 8 and the 1-2-4-…-60 s backoff) the intent goes in_doubt, and once inDoubtGraceSeconds
 * have passed the first thing the confirmer does when the RPC is back is send a cancellation (followUpStep checks
 * graceOver before resend). A payment that no node ever refused is cancelled and reported BROADCAST_REJECTED.
 */
import { listIntentRows, setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

describe('an RPC outage during broadcast', () => {
  let proxy: TcpProxy | undefined
  const stack = useTestStack({
    executor: false,
    config: {
      executor: {
        rebroadcastAfterSeconds: 1,
        replaceAfterSeconds: 60,
        inDoubtGraceSeconds: 2,
        nonceSettleSeconds: 0.2,
        reorgWatchBlocks: 12,
        maxUnrecognisedRefusals: 3,
      } as never,
    },
    networks: async (anvil) => {
      proxy = await startTcpProxy(anvil.port)
      return [{ ...anvil.network, name: 'flaky', rpcUrls: [proxy.url] }]
    },
  })
  afterAll(() => proxy?.stop())

  test('a transaction nobody refused (the RPC was down) is sent when the RPC is back, not cancelled', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'flaky', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    await proxy!.stop() // the RPC goes away: connection refused
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await broadcastSigned(stack.bursar.ctx)
    }
    // Unreachable is no refusal: still signed, waiting for the RPC, never in doubt.
    const [doubt] = await listIntentRows(stack.t.db, ['id', 'status', 'error'], { ids: [id] })
    expect(doubt!.status).toBe('signed')
    await new Promise((resolve) => setTimeout(resolve, 2500)) // still down past the grace
    await proxy!.restart()
    await new Promise((resolve) => setTimeout(resolve, 10_500)) // the pool's breaker cool-down
    for (let i = 0; i < 10; i++) {
      await setIntentColumns(stack.t.db, { status: 'in_doubt' }, { next_attempt_at: 'now' })
      await setIntentColumns(stack.t.db, { status: 'broadcast' }, { next_attempt_at: 'now' })
      await setIntentColumns(stack.t.db, { status: 'signed' }, { next_attempt_at: 'now' })
      await broadcastSigned(stack.bursar.ctx)
      await confirmBroadcast(stack.bursar.ctx)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const [row] = await listIntentRows(stack.t.db, ['id', 'status', 'error'], { ids: [id] })
    const [received] = await stack.bursar.ctx.networks.get('flaky')!.adapter.getBalances(recipient)
    expect(row!.status).toBe('confirmed')
    expect(received?.amount).toBe(1000n)
  })
})
