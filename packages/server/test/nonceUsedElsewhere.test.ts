/**
 * Regression (found in review): the "nonce seen used twice, apart" settlement never completes when the confirmer looks more often than
 * nonceSettleSeconds (always, with the defaults: a pass every 0.5 s, nonceSettleSeconds 10). The look in between
 * returns { kind: 'wait' } and act('wait') clears nonce_used_seen_at, so the first sighting is forgotten every other pass.
 */
import { listBucketDrift, listIntentRows, listReservationRows } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import {
  confirmPasses,
  fundedAgent,
  handDriven,
  intentState,
  signAndSend,
  submitTransfer,
} from './support/handDriven.ts'

describe('nonce used elsewhere', () => {
  const stack = useTestStack(
    handDriven({
      rebroadcastAfterSeconds: 100,
      replaceAfterSeconds: 100,
      inDoubtGraceSeconds: 100,
      nonceSettleSeconds: 1,
      maxUnrecognisedRefusals: 8,
    }),
  )

  test('an intent whose nonce another transaction took is settled (NONCE_USED) once two looks 1 s apart agree', async () => {
    const { agent, recipient } = await fundedAgent(stack)
    const tc = stack.anvil.testClient
    await tc.setAutomine(false)
    const id = await submitTransfer(stack, agent, 'anvil', recipient)
    await signAndSend(stack)
    const [row] = await listIntentRows(stack.t.db, ['id', 'status', 'tx_hash'], { ids: [id] })
    expect(row!.status).toBe('broadcast')
    // Another transaction from the same account takes nonce 0 (the key used elsewhere); Bursar's is gone.
    await tc.dropTransaction({ hash: row!.tx_hash as `0x${string}` })
    await tc.impersonateAccount({ address: agent.address })
    await tc.sendUnsignedTransaction({ from: agent.address, to: agent.address, value: 0n, nonce: 0 } as never)
    await tc.mine({ blocks: 1 })
    await tc.setAutomine(true)

    // Passes far more often than nonceSettleSeconds, as the defaults make them: the first sighting must survive them.
    const started = Date.now()
    while (Date.now() - started < 5000 && (await intentState(stack, id)).status === 'broadcast') {
      await confirmPasses(stack, id, 1, 100)
    }
    const reservations = await listReservationRows(stack.t.db, ['kind', 'status'], { intentId: id })
    // Two looks a settle interval apart agree: failed NONCE_USED, everything it reserved given back.
    expect(await intentState(stack, id)).toMatchObject({ status: 'failed', error: { code: 'NONCE_USED' } })
    expect(reservations.map((r) => r.status)).toEqual(['released', 'released'])
    expect(await listBucketDrift(stack.t.db)).toEqual([])
  })
})
