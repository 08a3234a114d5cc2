import { canonicalHash } from '@bursar/core/audit'
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
    const [reserved] = await stack.t.db.query<{ total: string; n: number }>(
      `select coalesce(sum(amount), 0)::text as total, count(*)::int as n from spend_reservations
        where agent_id = $1 and status <> 'released' and kind = 'spend'`,
      [agent.agentId],
    )
    expect(reserved).toEqual({ total: (10n * amount).toString(), n: 10 })
    const [rows] = await stack.t.db.query<{ rejected: number; accepted: number }>(
      `select count(*) filter (where status = 'rejected')::int as rejected,
              count(*) filter (where status <> 'rejected')::int as accepted
         from intents where agent_id = $1`,
      [agent.agentId],
    )
    expect(rows).toEqual({ rejected: 190, accepted: 10 })
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
    expect((await stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body })).status).toBe(201)

    const holder = await import('pg').then(
      ({ default: pg }) => new pg.Client({ connectionString: stack.t.url }),
    )
    await holder.connect()
    try {
      await holder.query('begin')
      await holder.query('select 1 from agents where id = $1 for update', [agent.agentId])
      // A policy version as Bursar writes it (sealed), committed while the submission waits on the lock.
      const tighter = {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (plainTransferFee + 100n).toString() }] },
      }
      const hash = canonicalHash(tighter)
      await holder.query(
        `insert into policies (agent_id, version, document, created_by, document_hash, mac) values ($1, 2, $2, 'test', $3, $4)`,
        [
          agent.agentId,
          JSON.stringify(tighter),
          hash,
          policyMac(stack.bursar.ctx.keystore, agent.agentId, 2, hash),
        ],
      )
      const waiting = stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body })
      // Wait until the submission is blocked on the row lock, then commit the new policy under it.
      for (let i = 0; i < 200; i++) {
        const [row] = (
          await holder.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`)
        ).rows
        if (row.n > 0) break
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      await holder.query('commit')
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

      await holder.query('begin')
      await holder.query('select 1 from agents where id = $1 for update', [agent.agentId])
      await holder.query(
        `insert into breakers (scope_key, scope, agent_id, tripped, signal, reason) values ($1, 'agent', $1, true, 'manual', 'held')`,
        [agent.agentId],
      )
      const blocked = stack.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { ...body, amount: '50' },
      })
      for (let i = 0; i < 200; i++) {
        const [row] = (
          await holder.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`)
        ).rows
        if (row.n > 0) break
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      await holder.query('commit')
      expect((await blocked).body.error).toMatchObject({ code: 'AGENT_FROZEN', details: { reason: 'held' } })
    } finally {
      await holder.end()
    }
  })
})
