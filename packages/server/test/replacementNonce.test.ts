/**
 * Regression (found in review): sendVersion signs a replacement at `intents.nonce` as read from the database. The decision MAC binds the
 * transaction, fee ceiling, wallet and network but not the nonce, and nothing compares it with the nonce of the
 * version being replaced (or the audited intent.signed entry). A database writer who moves the nonce of a stuck intent
 * gets a second, fully valid signature of the decided payment at another nonce: both are mined, the value moves twice.
 */
import { listIntentTransactions } from '@bursar/store'
import { listIntentRows, setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

describe('replacement nonce from the database', () => {
  const stack = useTestStack({
    executor: false,
    config: {
      executor: {
        rebroadcastAfterSeconds: 0,
        replaceAfterSeconds: 0.2,
        inDoubtGraceSeconds: 100,
        nonceSettleSeconds: 0.2,
        reorgWatchBlocks: 12,
        maxUnrecognisedRefusals: 8,
      } as never,
    },
  })

  test('a stuck intent whose nonce was rewritten is never re-signed at that other nonce', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const tc = stack.anvil.testClient
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    // Leave room under the reserved fee for a replacement (as the commit's own stuck test does).
    await tc.request({ method: 'anvil_setNextBlockBaseFeePerGas', params: ['0x3b9aca00'] } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(false)
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    // The writer: nonce 0 → 1 on the stuck, broadcast intent (nothing else touched).
    await setIntentColumns(stack.t.db, { id }, { nonce: 1 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
    await confirmBroadcast(stack.bursar.ctx)
    // Nothing is signed at the rewritten nonce: the signing MAC binds the nonce it was signed at, and the agent stops.
    const versions = await listIntentTransactions(stack.t.db, [id])
    expect(versions).toEqual([])
    await tc.mine({ blocks: 2 })
    await tc.setAutomine(true)
    for (let i = 0; i < 5; i++) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
    }
    const [row] = await listIntentRows(stack.t.db, ['id', 'status'], { ids: [id] })
    const [received] = await stack.bursar.ctx.networks.get('anvil')!.adapter.getBalances(recipient)
    expect(received?.amount).toBe(1000n)
    expect(row!.status).toBe('confirmed')
    expect(stack.bursar.logs.text()).toContain('its signing MAC does not match')
  })
})
