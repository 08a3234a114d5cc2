import { readIntentRow, setIntentColumns } from '@bursar/store/test-support'
import { waitForReceipt } from '@bursar/testing/anvil'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

describe('confirmation depth (PGlite)', () => {
  const stack = useTestStack({
    db: 'pglite',
    networks: (anvil) => [{ ...anvil.network, confirmations: 3 }],
    executor: false,
  })

  test('an intent is confirmed only once its block has the configured number of blocks on top', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const intent = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: {
        type: 'transfer',
        network: 'anvil',
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        amount: '3',
      },
    })
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    const status = async () => {
      await setIntentColumns(stack.t.db, { id: intent.body.id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
      return (await readIntentRow(stack.t.db, intent.body.id, ['status']))!.status
    }
    // Mined (automine answers just before it mines), but only 1 deep.
    const row = await readIntentRow(stack.t.db, intent.body.id, ['tx_hash'])
    await waitForReceipt(stack.bursar.ctx.networks.get('anvil')!.adapter, row!.tx_hash as `0x${string}`)
    expect(await status()).toBe('broadcast')
    await stack.anvil.testClient.mine({ blocks: 1 })
    expect(await status()).toBe('broadcast')
    await stack.anvil.testClient.mine({ blocks: 1 })
    expect(await status()).toBe('confirmed')
  })
})
