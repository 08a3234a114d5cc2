/**
 * Regression (found in review): sendVersion signs a replacement at `intents.nonce` as read from the database. The decision MAC binds the
 * transaction, fee ceiling, wallet and network but not the nonce, and nothing compares it with the nonce of the
 * version being replaced (or the audited intent.signed entry). A database writer who moves the nonce of a stuck intent
 * gets a second, fully valid signature of the decided payment at another nonce: both are mined, the value moves twice.
 */
import { listIntentTransactions } from '@bursar/store'
import { setIntentColumns } from '@bursar/store/test-support'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import {
  confirmPasses,
  fundedAgent,
  handDriven,
  intentState,
  nativeBalance,
  signAndSend,
  submitTransfer,
} from './support/handDriven.ts'

describe('replacement nonce from the database', () => {
  const stack = useTestStack(handDriven({ inDoubtGraceSeconds: 100, maxUnrecognisedRefusals: 8 }))

  test('a stuck intent whose nonce was rewritten is never re-signed at that other nonce', async () => {
    const { agent, recipient } = await fundedAgent(stack, { lowBaseFee: true })
    const tc = stack.anvil.testClient
    await tc.setAutomine(false)
    const id = await submitTransfer(stack, agent, 'anvil', recipient)
    await signAndSend(stack)
    // The writer: nonce 0 → 1 on the stuck, broadcast intent (nothing else touched).
    await setIntentColumns(stack.t.db, { id }, { nonce: 1 })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await confirmPasses(stack, id, 1)
    // Nothing is signed at the rewritten nonce: the signing MAC binds the nonce it was signed at, and the agent stops.
    expect(await listIntentTransactions(stack.t.db, [id])).toEqual([])
    await tc.mine({ blocks: 2 })
    await tc.setAutomine(true)
    await confirmPasses(stack, id, 5)
    expect(await nativeBalance(stack, 'anvil', recipient)).toBe(1000n)
    expect((await intentState(stack, id)).status).toBe('confirmed')
    expect(stack.bursar.logs.text()).toContain('its signing MAC does not match')
  })
})
