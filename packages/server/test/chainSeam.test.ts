/**
 * The chain seam is real: a chain family the server has never heard of (in memory, Ed25519, its own signer, no EVM
 * anywhere) is registered from outside and an intent goes submit → decide → sign → broadcast → confirm through the
 * unchanged server.
 */

import { listReservationRows, setIntentColumns } from '@bursar/store/test-support'
import { createMemoryChain } from '@bursar/testing/memory-chain'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import { broadcastSigned } from '../src/workers/broadcastSigned.ts'
import { confirmBroadcast } from '../src/workers/confirmBroadcast.ts'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = `mem${'1'.repeat(40)}`

describe('a chain family registered from outside (PostgreSQL, in-memory chain)', () => {
  const memory = createMemoryChain()
  const stack = useTestStack({
    anvil: false,
    networks: [memory.network],
    families: [{ family: memory.family, signers: memory.signers }],
    executor: false,
  })

  test('submit → decide → sign → broadcast → confirm, with the family’s own adapter and signer', async () => {
    const agent = await stack.bursar.createAgent({
      policy: { limits: { perTransaction: [{ asset: 'memnet:native', max: '1000' }] } },
    })
    expect(agent.address).toMatch(/^mem[0-9a-f]{40}$/)
    memory.fund(agent.address, 10_000n)

    const denied = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'memnet', to: recipient, amount: '5000' },
    })
    expect(denied.status).toBe(403)
    expect(denied.body.error.details.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      'LIMIT_PER_TX_EXCEEDED',
    ])
    const invalid = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: {
        type: 'transfer',
        network: 'memnet',
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        amount: '1',
      },
    })
    expect(invalid.body.error.code).toBe('INVALID_ADDRESS')

    const queued = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'memnet', to: recipient, amount: '500' },
    })
    expect(queued.status).toBe(201)
    expect(queued.body.status).toBe('queued')

    expect(await signQueued(stack.bursar.ctx)).toBe(1)
    expect(memory.signatures()).toBe(1)
    expect(await broadcastSigned(stack.bursar.ctx)).toBe(1)
    memory.mine()
    await setIntentColumns(stack.t.db, { id: queued.body.id }, { next_attempt_at: 'now' })
    expect(await confirmBroadcast(stack.bursar.ctx)).toBe(1)

    const intent = await stack.bursar.http('GET', `/v1/intents/${queued.body.id}`, { token: agent.apiKey })
    expect(intent.body).toMatchObject({ status: 'confirmed', recipient, amount: '500', block_number: 1 })
    expect(memory.balanceOf(recipient)).toBe(500n)
    expect(memory.balanceOf(agent.address)).toBe(10_000n - 500n - 7n)
    // The fee reserved at the family's ceiling is trued up to what the chain charged.
    const fees = await listReservationRows(stack.t.db, ['amount', 'status'], {
      intentId: queued.body.id,
      kind: 'fee',
    })
    expect(fees).toEqual([{ amount: '7', status: 'committed' }])
    const balances = await stack.bursar.http('GET', `/v1/wallets/${agent.walletId}/balances`, {
      token: agent.apiKey,
    })
    expect(balances.body.balances).toEqual([
      {
        network: 'memnet',
        asset: 'memnet:native',
        symbol: 'MEM',
        decimals: 6,
        amount: (10_000n - 507n).toString(),
      },
    ])
  })
})
