/**
 * Regression (found in review): a cancellation sent while the original is being mined (the usual race when cancelling something in flight) is
 * answered "nonce too low". broadcast() classifies that as sequence_too_low (the cancellation itself is unknown), and
 * sendVersion trips the agent's breaker with signal nonce_gap ("later transactions wait behind it"), although the nonce
 * is used and nothing waits: the agent is halted until a person resets it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { listIntentRows, setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

/** Forwards everything; the first raw transaction is remembered, and before any other one is forwarded a block is mined. */
async function mineBeforeSecondSend(target: string) {
  let first: string | undefined
  const post = async (body: unknown) =>
    (
      await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()
  const handle = async (request: { method: string; params?: unknown[] }) => {
    if (request.method === 'eth_sendRawTransaction') {
      const raw = String(request.params?.[0])
      if (first === undefined) first = raw
      else if (raw !== first) await post({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] })
    }
    return post(request)
  }
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c) => chunks.push(c))
    incoming.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      const answer = Array.isArray(body) ? await Promise.all(body.map(handle)) : await handle(body)
      outgoing.setHeader('content-type', 'application/json')
      outgoing.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}

describe('cancel racing the original', () => {
  let proxy: Awaited<ReturnType<typeof mineBeforeSecondSend>> | undefined
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
    networks: async (anvil) => {
      proxy = await mineBeforeSecondSend(anvil.rpcUrl)
      return [{ ...anvil.network, name: 'racy', rpcUrls: [proxy.url] }]
    },
  })
  afterAll(() => proxy?.close())

  test('the original wins the race: confirmed, and the agent is not halted', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const tc = stack.anvil.testClient
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    await tc.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: ['0x3b9aca00'] } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(false)
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'racy', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    expect(
      (await stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })).status,
    ).toBe(200)
    await confirmBroadcast(stack.bursar.ctx) // decides "cancel"; the original is mined just before it arrives
    await tc.setAutomine(true)
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    const [row] = await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] })
    expect(row!.status).toBe('confirmed')
    expect(stack.bursar.logs.text()).not.toContain('nonce_gap')
  })
})
