/**
 * Regression (found in review): the "nonce seen used twice, apart" settlement never completes when the confirmer looks more often than
 * nonceSettleSeconds (always, with the defaults: a pass every 0.5 s, nonceSettleSeconds 10). The look in between
 * returns { kind: 'wait' } and act('wait') clears nonce_used_seen_at, so the first sighting is forgotten every other pass.
 */
import { listIntentRows, listReservationRows, setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

describe('nonce used elsewhere', () => {
  const stack = useTestStack({
    executor: false,
    config: {
      executor: {
        rebroadcastAfterSeconds: 100,
        replaceAfterSeconds: 100,
        inDoubtGraceSeconds: 100,
        nonceSettleSeconds: 1,
        reorgWatchBlocks: 12,
        maxUnrecognisedRefusals: 8,
      } as never,
    },
  })

  test('an intent whose nonce another transaction took is settled (NONCE_USED) once two looks 1 s apart agree', async () => {
    const agent = await stack.bursar.createAgent({ policy: {} })
    const tc = stack.anvil.testClient
    await tc.setBalance({ address: agent.address, value: 10n ** 18n })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    await tc.setAutomine(false)
    const res = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' },
    })
    const id = res.body.id as string
    await signQueued(stack.bursar.ctx)
    await broadcastSigned(stack.bursar.ctx)
    const [row] = await listIntentRows(stack.t.db, ['id', 'status', 'tx_hash', 'nonce'], { ids: [id] })
    expect(row!.status).toBe('broadcast')
    // Another transaction from the same account takes nonce 0 (the key used elsewhere); Bursar's is gone.
    await tc.dropTransaction({ hash: row!.tx_hash as `0x${string}` })
    await tc.impersonateAccount({ address: agent.address })
    await tc.sendUnsignedTransaction({ from: agent.address, to: agent.address, value: 0n, nonce: 0 } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(true)

    const seen: Array<string | null> = []
    const started = Date.now()
    while (Date.now() - started < 5000) {
      await setIntentColumns(stack.t.db, { id }, { next_attempt_at: 'now' })
      await confirmBroadcast(stack.bursar.ctx)
      const [r] = await listIntentRows(stack.t.db, ['status', 'nonce_used_seen_at'], { ids: [id] })
      seen.push(r!.nonce_used_seen_at === null ? null : 'set')
      if (r!.status !== 'broadcast') break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const [after] = await listIntentRows(stack.t.db, ['id', 'status', 'error'], { ids: [id] })
    const reservations = await listReservationRows(stack.t.db, ['kind', 'status'], { intentId: id })
    // Two looks a settle interval apart agree: failed NONCE_USED, everything it reserved given back.
    expect(after).toMatchObject({ status: 'failed', error: { code: 'NONCE_USED' } })
    expect(reservations.map((r) => r.status)).toEqual(['released', 'released'])
  })
})
