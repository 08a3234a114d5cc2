/**
 * Regression (found in review): watchReorgs decides "reorged" on ONE null receipt, from whichever endpoint the pool used. When the primary RPC
 * fails over to a node a few blocks behind, a confirmed intent is sent back to broadcast, a false intent.reorged
 * entry goes into the hash chain, and the intent is confirmed (and announced) a second time.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  listAuditRows,
  listIntentRows,
  listReservationRows,
  setIntentColumns,
} from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { startTcpProxy, type TcpProxy } from '@bursar/testing/tcp-proxy'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'
import { watchReorgs } from '../src/workers/watchReorgs.ts'

/** A node that lags: it has not seen recent receipts yet (answers null for them), everything else forwarded. */
async function laggingNode(target: string) {
  const post = async (body: unknown) =>
    (
      await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()
  const handle = async (r: { id: unknown; method: string }) =>
    r.method === 'eth_getTransactionReceipt' ? { jsonrpc: '2.0', id: r.id, result: null } : post(r)
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

describe('failover to a lagging node', () => {
  let primary: TcpProxy | undefined
  let lagging: Awaited<ReturnType<typeof laggingNode>> | undefined
  const stack = useTestStack({
    executor: false,
    config: {
      executor: {
        rebroadcastAfterSeconds: 15,
        replaceAfterSeconds: 60,
        inDoubtGraceSeconds: 30,
        nonceSettleSeconds: 1,
        reorgWatchBlocks: 12,
        maxUnrecognisedRefusals: 8,
      } as never,
    },
    networks: async (anvil) => {
      primary = await startTcpProxy(anvil.port)
      lagging = await laggingNode(anvil.rpcUrl)
      return [{ ...anvil.network, name: 'pair', rpcUrls: [primary.url, lagging.url] }]
    },
  })
  afterAll(async () => {
    await primary?.stop()
    lagging?.close()
  })

  test('a confirmed intent is not reorged by one null receipt', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'pair', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
    await confirmBroadcast(stack.bursar.ctx)
    expect((await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] }))[0]!.status).toBe('confirmed')
    await primary!.stop() // the primary goes away; the pool fails over to the lagging node
    await watchReorgs(stack.bursar.ctx)
    const [row] = await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] })
    const reorged = await listAuditRows(stack.t.db, { actions: ['intent.reorged'], subjectIds: [id] })
    // The confirmer, its passes slower than nonceSettleSeconds apart (as when the primary times out at 10 s a request):
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
      await new Promise((resolve) => setTimeout(resolve, 1200))
    }
    const [later] = await listIntentRows(stack.t.db, ['id', 'status', 'error'], { ids: [id] })
    const reservations = await listReservationRows(stack.t.db, ['kind', 'status'], { intentId: id })
    const [received] = await stack.bursar.ctx.networks.get('pair')!.adapter.getBalances(recipient)
    expect(reorged).toHaveLength(0)
    expect(row!.status).toBe('confirmed')
    // Still confirmed after more looks through the lagging node, and what it spent still counts.
    expect(later!.status).toBe('confirmed')
    expect(reservations.map((r) => r.status)).toEqual(['committed', 'committed'])
    expect(received?.amount).toBe(1000n)
  })
})
