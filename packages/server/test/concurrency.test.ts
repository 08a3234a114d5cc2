import { canonicalHash } from '@bursar/core/audit'
import {
  countIntentsByStatus,
  holdAgentLock,
  insertPolicyRow,
  insertTrippedBreaker,
  sumReservations,
} from '@bursar/store/test-support'
import { plainTransferFee } from '@bursar/testing/anvil'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'
import { policyMac } from '../src/integrity/policyMac.ts'

const amount = 10n ** 15n
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('concurrent intents against a rolling limit (PostgreSQL)', () => {
  const stack = useTestStack({ maxConnections: 30 })

  test('200 concurrent intents against a 24 h limit that admits exactly 10: exactly 10 are accepted', async () => {
    const agent = await stack.bursar.createAgent({
      policy: {
        // Each intent spends its amount and reserves its fee ceiling: exactly ten fit.
        limits: {
          windows: [
            { window: '24h', asset: 'anvil:native', max: (10n * (amount + plainTransferFee)).toString() },
          ],
        },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 20n })
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        stack.bursar.http('POST', '/v1/intents', {
          token: agent.apiKey,
          body: { type: 'transfer', network: 'anvil', to: recipient, amount: amount.toString() },
        }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(10)
    expect(statuses.filter((s) => s === 403)).toHaveLength(190)
    expect(new Set(responses.filter((r) => r.status === 403).map((r) => r.body.error.code))).toEqual(
      new Set(['POLICY_DENIED']),
    )
    const reserved = await sumReservations(stack.t.db, {
      agentId: agent.agentId,
      excludeStatus: 'released',
      kind: 'spend',
    })
    expect(reserved).toEqual({ total: (10n * amount).toString(), n: 10 })
    const byStatus = await countIntentsByStatus(stack.t.db, agent.agentId)
    const total = (rows: typeof byStatus) => rows.reduce((sum, row) => sum + row.n, 0)
    expect({
      rejected: total(byStatus.filter((row) => row.status === 'rejected')),
      accepted: total(byStatus.filter((row) => row.status !== 'rejected')),
    }).toEqual({ rejected: 190, accepted: 10 })
  })

  test('a decision waiting on the agent lock sees the policy and breaker committed by the lock holder', async () => {
    const agent = await stack.bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (plainTransferFee + 1000n).toString() }] },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const body = { type: 'transfer', network: 'anvil', to: recipient, amount: '500' }
    // Warm the process's policy cache with version 1.
    const warm = await stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body })
    expect(warm.status).toBe(201)
    // Settled first: the lock watch below must see the submission wait, not a worker finishing the first intent.
    for (let status = ''; status !== 'confirmed'; ) {
      status = (await stack.bursar.http('GET', `/v1/intents/${warm.body.id}`, { token: agent.apiKey })).body
        .status
      if (status !== 'confirmed') await new Promise((resolve) => setTimeout(resolve, 20))
    }

    const policyHold = await holdAgentLock(stack.t.url!, agent.agentId)
    try {
      // A policy version as Bursar writes it (sealed), committed while the submission waits on the lock.
      const tighter = {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (plainTransferFee + 100n).toString() }] },
      }
      const hash = canonicalHash(tighter)
      await insertPolicyRow(policyHold.sql, {
        agent_id: agent.agentId,
        version: 2,
        document: tighter,
        created_by: 'test',
        document_hash: hash,
        mac: policyMac(stack.bursar.ctx.keystore, agent.agentId, 2, hash),
      })
      const waiting = stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body })
      // Wait until the submission is blocked on the row lock, then commit the new policy under it.
      await policyHold.waitForWaiter()
      await policyHold.commit()
      const response = await waiting
      expect(response.status).toBe(403)
      expect(response.body.error.details).toMatchObject({
        policy_version: 2,
        reasons: [
          expect.objectContaining({
            code: 'LIMIT_PER_TX_EXCEEDED',
            limit: (plainTransferFee + 100n).toString(),
          }),
        ],
      })
    } finally {
      await policyHold.close()
    }

    const breakerHold = await holdAgentLock(stack.t.url!, agent.agentId)
    try {
      await insertTrippedBreaker(breakerHold.sql, agent.agentId, 'held')
      const blocked = stack.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { ...body, amount: '50' },
      })
      await breakerHold.waitForWaiter()
      await breakerHold.commit()
      expect((await blocked).body.error).toMatchObject({ code: 'AGENT_FROZEN', details: { reason: 'held' } })
    } finally {
      await breakerHold.close()
    }
  })
})
