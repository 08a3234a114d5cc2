/** A network with two RPC URLs, each a TCP proxy to one anvil; the one in use is cut while intents are under way. */
import { createBursarClient } from '@bursar/sdk'
import { useTestStack } from '@bursar/testing/stack'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'

const intents = 30
const amount = 1_000n

describe('RPC failover (PostgreSQL)', () => {
  const proxies: TcpProxy[] = []
  const stack = useTestStack({
    networks: async (anvil) => {
      proxies.push(await startTcpProxy(anvil.port), await startTcpProxy(anvil.port))
      return [{ ...anvil.network, rpcUrls: proxies.map((proxy) => proxy.url) }]
    },
  })
  afterAll(() => Promise.all(proxies.map((proxy) => proxy.stop())))

  test('the first RPC cut mid-run: every intent ends confirmed, each paid exactly once', async () => {
    const [first] = proxies
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })

    const ids: string[] = []
    for (let i = 0; i < intents; i++) {
      // The executor is signing, broadcasting and confirming the first ten while this cuts their RPC.
      if (i === intents / 3) await first!.stop()
      const intent = await client.sendIntent({
        type: 'transfer',
        network: 'anvil',
        to: recipient,
        amount: amount.toString(),
      })
      ids.push(intent.id)
    }
    const done = await Promise.all(ids.map((id) => client.waitForIntent(id, { timeoutMs: 60_000 })))
    expect(done.map((intent) => intent.status)).toEqual(ids.map(() => 'confirmed'))
    expect(new Set(done.map((intent) => intent.tx_hash)).size).toBe(intents)

    // From the chain itself: one transaction per intent, no gap, nothing paid twice.
    const { adapter } = stack.bursar.ctx.networks.get('anvil')!
    expect(await adapter.nextSequence(agent.address)).toBe(intents)
    const [received] = await adapter.getBalances(recipient)
    expect(received?.amount).toBe(BigInt(intents) * amount)

    const [cut, standing] = adapter.endpoints?.() ?? []
    expect(cut).toMatchObject({ index: 0, lastError: expect.any(String) })
    expect(cut?.status).not.toBe('healthy')
    expect(standing).toMatchObject({ index: 1, status: 'healthy' })
    for (const proxy of proxies) expect(stack.bursar.logs.text()).not.toContain(`127.0.0.1:${proxy.port}`)
  })
})
