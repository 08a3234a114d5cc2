/**
 * Regression (found in review): after a reorg, an intent whose ORIGINAL was confirmed but which also has a later cancellation version (sent
 * when it was in doubt and its grace ran out) is followed with newestKind 'cancel': followUpStep treats it as being
 * cancelled and resends the cancellation, not "the same bytes" that were confirmed. The confirmed payment ends failed.
 */
import { listIntentTransactions } from '@bursar/store'
import { listIntentRows, setIntentColumns } from '@bursar/store/test-support'
import { type RpcInterposer, startRpcInterposer } from '@bursar/testing/rpc-interposer'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'
import { watchReorgs } from '../src/workers/watchReorgs.ts'

describe('reorg of an intent with a cancellation version', () => {
  let interposer: RpcInterposer | undefined
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
      interposer = await startRpcInterposer(anvil.rpcUrl)
      return [{ ...anvil.network, name: 'interposed', rpcUrls: [interposer.url] }]
    },
  })
  afterAll(() => interposer?.close())

  test('confirmed, reorged out: the confirmed bytes are sent again and it ends confirmed', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const tc = stack.anvil.testClient
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    await tc.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: ['0x3b9aca00'] } as never)
    await tc.mine({ blocks: 1 })
    const snapshot = await tc.snapshot()
    await tc.setAutomine(false)
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    interposer!.onSend(() => ({
      kind: 'refuse',
      message: 'insufficient funds for gas * price + value',
      forward: true,
    }))
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'interposed', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx) // refused (but forwarded): in doubt
    interposer!.onSend(() => ({ kind: 'pass' }))
    await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
    await confirmBroadcast(stack.bursar.ctx) // grace over: Bursar's cancellation goes out
    const versions = await listIntentTransactions(stack.t.db, [id])
    expect(versions.map((v) => v.kind)).toEqual(['original', 'cancel'])
    // The original wins (a builder that had it): mined, confirmed.
    await tc.request({ method: 'anvil_dropAllTransactions', params: [] } as never)
    await tc.request({ method: 'eth_sendRawTransaction', params: [versions[0]!.raw_tx] } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(true)
    for (let i = 0; i < 3; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    expect((await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] }))[0]!.status).toBe('confirmed')

    // Reorg: that block is gone.
    await tc.revert({ id: snapshot })
    await tc.request({ method: 'anvil_dropAllTransactions', params: [] } as never)
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    await tc.mine({ blocks: 3 })
    // Two looks, apart, agree it is gone.
    expect(await watchReorgs(stack.bursar.ctx)).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await watchReorgs(stack.bursar.ctx)).toBe(1)
    for (let i = 0; i < 5; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const [row] = await listIntentRows(stack.t.db, ['id', 'status', 'error', 'tx_hash'], { ids: [id] })
    const [received] = await stack.bursar.ctx.networks.get('interposed')!.adapter.getBalances(recipient)
    expect(row!.status).toBe('confirmed')
    expect(received?.amount).toBe(1000n)
  })
})
