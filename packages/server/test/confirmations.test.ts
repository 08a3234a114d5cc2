import { startTestAnvil, type TestAnvil, waitForReceipt } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

describe('confirmation depth (PGlite)', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('pglite')
    bursar = await startTestBursar({
      db: t.db,
      networks: [{ ...anvil.network, confirmations: 3 }],
      executor: false,
    })
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  test('an intent is confirmed only once its block has the configured number of blocks on top', async () => {
    const agent = await bursar.createAgent({ policy: {} })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const intent = await bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: {
        type: 'transfer',
        network: 'anvil',
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        amount: '3',
      },
    })
    await signQueued(bursar.ctx)
    await broadcastSigned(bursar.ctx)
    const status = async () => {
      await t.db.query(`update intents set next_attempt_at = now() where id = $1`, [intent.body.id])
      await confirmBroadcast(bursar.ctx)
      return (
        await t.db.query<{ status: string }>('select status from intents where id = $1', [intent.body.id])
      )[0]!.status
    }
    // Mined (automine answers just before it mines), but only 1 deep.
    const [row] = await t.db.query<{ tx_hash: `0x${string}` }>('select tx_hash from intents where id = $1', [
      intent.body.id,
    ])
    await waitForReceipt(bursar.ctx.networks.get('anvil')!.adapter, row!.tx_hash)
    expect(await status()).toBe('broadcast')
    await anvil.testClient.mine({ blocks: 1 })
    expect(await status()).toBe('broadcast')
    await anvil.testClient.mine({ blocks: 1 })
    expect(await status()).toBe('confirmed')
  })
})
