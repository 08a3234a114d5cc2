/**
 * Approval requests without approvers yet (issue 8): a `require_approval` decision creates one, its owner (and only
 * its owner) reads it, the expiry worker expires it and gives the reservation back, a cancel closes it.
 */
import { createBursarClient } from '@bursar/sdk'
import { getApprovalRequestByIntent, insertOrganisationWithToken, listIntentEvents } from '@bursar/store'
import { listAuditRows, listBucketDrift, readIntentRow, sumReservations } from '@bursar/store/test-support'
import { plainTransferFee } from '@bursar/testing/anvil'
import { useTestStack } from '@bursar/testing/stack'
import { encodeFunctionData, erc20Abi } from 'viem'
import { describe, expect, test } from 'vitest'
import { expireApprovals } from '../src/workers/expireApprovals.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const transfer = (amount: string) => ({ type: 'transfer' as const, network: 'anvil', to: recipient, amount })
const day = 86_400_000

/** Approval above 500 wei besides the fee; at most `windowMax` wei a day (fees count as native spend in both). */
const askingPolicy = (options: { expiresAfter?: string; windowMax?: bigint } = {}) => ({
  limits: {
    perTransaction: [{ asset: 'anvil:native', max: (10n ** 18n).toString() }],
    ...(options.windowMax === undefined
      ? {}
      : { windows: [{ asset: 'anvil:native', window: '1d', max: options.windowMax.toString() }] }),
  },
  approvals: {
    approvers: ['role:approver'],
    ...(options.expiresAfter === undefined ? {} : { expiresAfter: options.expiresAfter }),
    rules: [{ id: 'big', asset: 'anvil:native', above: (plainTransferFee + 500n).toString() }],
  },
})

describe('approval requests (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false })

  async function asker(policy: object = askingPolicy()) {
    const agent = await stack.bursar.createAgent({ policy })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    return agent
  }
  const submit = (apiKey: string, amount: string) =>
    stack.bursar.http('POST', '/v1/intents', { token: apiKey, body: transfer(amount) })
  const owner = (path: string, token = stack.bursar.ownerToken) => stack.bursar.http('GET', path, { token })

  test('an intent above the threshold waits with a request its owner sees, and nobody else', async () => {
    const agent = await asker()
    const submitted = await submit(agent.apiKey, '1000')
    expect(submitted.status).toBe(201)
    expect(submitted.body.status).toBe('pending_approval')
    const intentId = submitted.body.id as string

    const list = await owner(`/v1/approvals?status=pending&agent_id=${agent.agentId}`)
    expect(list.status).toBe(200)
    expect(list.body.next_cursor).toBeNull()
    expect(list.body.data).toHaveLength(1)
    const approval = list.body.data[0]
    expect(approval).toMatchObject({
      intent_id: intentId,
      agent_id: agent.agentId,
      status: 'pending',
      action: {
        type: 'transfer',
        network: 'anvil',
        asset: 'anvil:native',
        amount: { base_units: '1000', units: '0.000000000000001', symbol: 'ETH', decimals: 18 },
        recipient,
        contract: null,
        function: null,
        arguments: null,
      },
      rules: [{ rule: 'big', quorum: 1, approvals: 0, reasons: [expect.any(String)] }],
      approval_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      policy_version: 1,
      decided_at: null,
    })
    // The default wait is a day; the decision binding what approvers see lasts exactly as long.
    const expiresAt = new Date(approval.expires_at).getTime()
    expect(expiresAt - new Date(approval.created_at).getTime()).toBe(day)
    expect(approval.expires_in_seconds).toBeGreaterThan(86_000)
    const row = await readIntentRow(stack.t.db, intentId, ['decision_expires_at'])
    expect(row!.decision_expires_at!.getTime()).toBe(expiresAt)

    const one = await owner(`/v1/approvals/${approval.id}`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ id: approval.id, intent_id: intentId, expires_at: approval.expires_at })

    const decided = await listAuditRows(stack.t.db, { subjectIds: [intentId], actions: ['intent.decided'] })
    expect(decided.map((entry) => entry.data)).toEqual([
      expect.objectContaining({
        outcome: 'require_approval',
        approval_request_id: approval.id,
        approval_expires_at: approval.expires_at,
      }),
    ])

    // Another owner: the request does not exist for it.
    const other = await stack.bursar.ctx.db.transaction((tx) =>
      insertOrganisationWithToken(tx, 'someone else'),
    )
    expect((await owner('/v1/approvals', other.token)).body.data).toEqual([])
    expect((await owner(`/v1/approvals?agent_id=${agent.agentId}`, other.token)).body.data).toEqual([])
    const hidden = await owner(`/v1/approvals/${approval.id}`, other.token)
    const missing = await owner('/v1/approvals/apr_doesnotexist', other.token)
    expect(hidden.status).toBe(404)
    expect(hidden.body.error.code).toBe('APPROVAL_NOT_FOUND')
    expect(hidden.body.error.message).toBe(missing.body.error.message)
    // Its own agent cannot read it either: approvals are for people.
    const asAgent = await owner(`/v1/approvals/${approval.id}`, agent.apiKey)
    expect(asAgent.status).toBe(403)
    expect(asAgent.body.error.code).toBe('FORBIDDEN')
  })

  test('a call shows its contract, function and encoded arguments', async () => {
    const agent = await asker({
      ...askingPolicy(),
      approvals: { approvers: ['role:approver'], rules: [{ id: 'transfers', selectors: ['0xa9059cbb'] }] },
    })
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [recipient, 7n] })
    const submitted = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'call', network: 'anvil', to: recipient, data, memo: 'pay the invoice' },
    })
    expect(submitted.body.status).toBe('pending_approval')
    const { body } = await owner(`/v1/approvals?agent_id=${agent.agentId}`)
    expect(body.data[0].action).toMatchObject({
      type: 'call',
      contract: recipient,
      function: { selector: '0xa9059cbb', name: 'transfer' },
      arguments: `0x${data.slice(10)}`,
      memo: 'pay the invoice',
    })
    expect(body.data[0].rules).toEqual([expect.objectContaining({ rule: 'transfers' })])
  })

  test('an unanswered request expires: the agent sees expired, the reservation returns, the audit log says so', async () => {
    // Room for the big intent and its fee, not for a second intent beside it.
    const agent = await asker(
      askingPolicy({ expiresAfter: '2s', windowMax: 1000n + 400n + 2n * plainTransferFee - 1n }),
    )
    const big = await submit(agent.apiKey, '1000')
    expect(big.body.status).toBe('pending_approval')
    const crowded = await submit(agent.apiKey, '400')
    expect(crowded.status).toBe(403)
    expect(crowded.body.error.code).toBe('POLICY_DENIED')

    // The expiry loop every process runs does this on its own; nobody looks.
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const expired = await client.waitForIntent(big.body.id, { timeoutMs: 15_000 })
    expect(expired.status).toBe('expired')
    expect(
      await sumReservations(stack.t.db, { intentId: big.body.id, excludeStatus: 'released' }),
    ).toMatchObject({ n: 0 })
    const request = await getApprovalRequestByIntent(stack.t.db, big.body.id)
    expect(request).toMatchObject({ status: 'expired', decided_at: expect.any(Date) })
    const audit = await listAuditRows(stack.t.db, { subjectIds: [big.body.id], actions: ['intent.expired'] })
    expect(audit).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        data: expect.objectContaining({ approval_request_id: request!.id, reservation_released: true }),
      }),
    ])
    const listed = await owner(`/v1/approvals/${request!.id}`)
    expect(listed.body).toMatchObject({ status: 'expired', expires_in_seconds: null })

    // The headroom it held is back.
    const fits = await submit(agent.apiKey, '400')
    expect(fits.status).toBe(201)
    expect(fits.body.status).toBe('queued')
  })

  test('cancelling a pending intent cancels its request in the same transaction', async () => {
    const agent = await asker()
    const pending = await submit(agent.apiKey, '1000')
    const cancelled = await stack.bursar.http('POST', `/v1/intents/${pending.body.id}/cancel`, {
      token: agent.apiKey,
    })
    expect(cancelled.body.status).toBe('cancelled')
    const request = await getApprovalRequestByIntent(stack.t.db, pending.body.id)
    expect(request).toMatchObject({ status: 'cancelled', decided_at: expect.any(Date) })
    // The worker has nothing to expire: a closed request stays closed.
    await expireApprovals(stack.bursar.ctx, { now: new Date(Date.now() + 2 * day) })
    expect((await getApprovalRequestByIntent(stack.t.db, pending.body.id))?.status).toBe('cancelled')
    expect((await readIntentRow(stack.t.db, pending.body.id, ['status']))?.status).toBe('cancelled')
  })

  test('cancels racing an expiry pass over the same agent (shared spend buckets) all finish, each intent once', async () => {
    const agent = await asker()
    const ids: string[] = []
    // Same agent, same minute: every reservation lands in the same buckets, the case where lock order matters.
    for (let i = 0; i < 6; i++) ids.push((await submit(agent.apiKey, '1000')).body.id)
    const later = new Date(Date.now() + 2 * day)
    const cancel = (id: string) =>
      stack.bursar.http('POST', `/v1/intents/${id}/cancel`, { token: agent.apiKey })
    const results = await Promise.all([
      cancel(ids[1]!),
      expireApprovals(stack.bursar.ctx, { now: later }),
      cancel(ids[3]!),
      expireApprovals(stack.bursar.ctx, { now: later }),
      cancel(ids[5]!),
    ])
    // A cancel that lost the race to the worker answers INTENT_NOT_CANCELLABLE; nothing answers 500 (a deadlock).
    for (const response of [results[0], results[2], results[4]] as Array<{ status: number; body: any }>)
      expect([200, 409]).toContain(response.status)
    await expireApprovals(stack.bursar.ctx, { now: later })
    for (const id of ids) {
      const status = (await readIntentRow(stack.t.db, id, ['status']))?.status
      expect(['cancelled', 'expired']).toContain(status)
      const events = await listIntentEvents(stack.t.db, id)
      expect(
        events.filter((event) => event.to_status === 'cancelled' || event.to_status === 'expired'),
      ).toHaveLength(1)
    }
    expect(
      await sumReservations(stack.t.db, { agentId: agent.agentId, excludeStatus: 'released' }),
    ).toMatchObject({ n: 0 })
  })

  test('two expiry passes racing expire each request once, releasing each reservation once', async () => {
    const agent = await asker()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await submit(agent.apiKey, '1000')).body.id)
    const later = new Date(Date.now() + 2 * day)
    const passes = await Promise.all([
      expireApprovals(stack.bursar.ctx, { now: later, limit: 3 }),
      expireApprovals(stack.bursar.ctx, { now: later, limit: 3 }),
      expireApprovals(stack.bursar.ctx, { now: later, limit: 3 }),
    ])
    // Skipped rows wait for a later pass; whatever is left, one more pass finishes.
    const rest = await expireApprovals(stack.bursar.ctx, { now: later })
    expect(passes.reduce((sum, n) => sum + n, 0) + rest).toBe(ids.length)
    expect(await expireApprovals(stack.bursar.ctx, { now: later })).toBe(0)
    for (const id of ids) {
      const events = await listIntentEvents(stack.t.db, id)
      expect(events.filter((event) => event.to_status === 'expired')).toHaveLength(1)
      expect((await getApprovalRequestByIntent(stack.t.db, id))?.status).toBe('expired')
    }
    const audit = await listAuditRows(stack.t.db, { subjectIds: ids, actions: ['intent.expired'] })
    expect(audit).toHaveLength(ids.length)
    expect(
      await sumReservations(stack.t.db, { agentId: agent.agentId, excludeStatus: 'released' }),
    ).toMatchObject({ n: 0 })
  })

  // Every path above released, committed or trued down reservations: the rolling-window buckets must still agree.
  test('the window buckets (totals and fee parts) still sum exactly what the reservations hold', async () => {
    expect(await listBucketDrift(stack.t.db)).toEqual([])
  })
})
