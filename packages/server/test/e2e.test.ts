import { BursarApiError, createBursarClient } from '@bursar/sdk'
import { verifyAuditLog } from '@bursar/store'
import { listAuditRows, setAuditDataKey } from '@bursar/store/test-support'
import { plainTransferFee } from '@bursar/testing/anvil'
import type { TestBursar } from '@bursar/testing/bursar'
import { testDbKinds } from '@bursar/testing/database'
import { useTestStack } from '@bursar/testing/stack'
import { beforeAll, describe, expect, test } from 'vitest'

const ether = 10n ** 18n
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const stranger = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

describe.each(testDbKinds)('end to end on %s: SDK → API → policy → sign → anvil → confirmed', (kind) => {
  const stack = useTestStack({ db: kind })
  let agent: Awaited<ReturnType<TestBursar['createAgent']>>

  beforeAll(async () => {
    agent = await stack.bursar.createAgent({
      name: 'e2e',
      policy: {
        recipients: { allow: [recipient] },
        limits: {
          perTransaction: [{ asset: 'anvil:native', max: ether.toString() }],
          windows: [{ window: '24h', asset: 'anvil:native', max: (3n * ether).toString() }],
        },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n * ether })
  })

  test('a transfer reaches confirmed and moves the funds on chain', async () => {
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const before = await stack.anvil.testClient.request({
      method: 'eth_getBalance',
      params: [recipient, 'latest'],
    } as never)
    const intent = await client.sendIntent({
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: (ether / 100n).toString(),
    })
    expect(intent.status).toBe('queued')
    expect(intent.policy_version).toBe(1)
    const done = await client.waitForIntent(intent.id, { timeoutMs: 30_000 })
    expect(done.status).toBe('confirmed')
    expect(done.tx_hash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(done.block_number).toBeGreaterThan(0)
    const after = await stack.anvil.testClient.request({
      method: 'eth_getBalance',
      params: [recipient, 'latest'],
    } as never)
    expect(BigInt(after as string) - BigInt(before as string)).toBe(ether / 100n)
    const events = await stack.bursar.http('GET', `/v1/intents/${intent.id}/events`, { token: agent.apiKey })
    expect(events.body.data.map((e: { to: string }) => e.to)).toEqual([
      'received',
      'approved',
      'queued',
      'signed',
      'broadcast',
      'confirmed',
    ])
    const balances = await client.getBalances()
    const native = balances.balances.find((b) => b.asset === 'anvil:native')
    expect(BigInt(native!.amount)).toBeLessThan(10n * ether - ether / 100n)
  })

  test('denies above the per-transaction limit and outside the allowlist, with every reason', async () => {
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const error = await client
      .sendIntent({ type: 'transfer', network: 'anvil', to: stranger, amount: (ether + 1n).toString() })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BursarApiError)
    const apiError = error as BursarApiError
    expect(apiError.code).toBe('POLICY_DENIED')
    expect(apiError.status).toBe(403)
    const codes = (apiError.details.reasons as Array<{ code: string }>).map((r) => r.code).sort()
    expect(codes).toEqual(['LIMIT_PER_TX_EXCEEDED', 'RECIPIENT_NOT_ALLOWLISTED'].sort())
    const stored = await client.getIntent(apiError.details.intent_id as string)
    expect(stored.status).toBe('rejected')
  })

  test('a limit equal to the amount plus its fee passes; the rolling window then stops the next one', async () => {
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    // Fees count as spend: 1 ETH per transaction is 1 ETH minus the fee ceiling in value.
    const full = (ether - plainTransferFee).toString()
    const over = await client
      .sendIntent({
        type: 'transfer',
        network: 'anvil',
        to: recipient,
        amount: (ether - plainTransferFee + 1n).toString(),
      })
      .catch((e: BursarApiError) => e)
    expect(((over as BursarApiError).details.reasons as Array<{ code: string }>)[0]!.code).toBe(
      'LIMIT_PER_TX_EXCEEDED',
    )
    // 0.01 ETH and a fee are already spent; two full ETH fit under the 3 ETH window, a third does not.
    const a = await client.sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount: full })
    const b = await client.sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount: full })
    const c = await client
      .sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount: full })
      .catch((e: BursarApiError) => e)
    expect((c as BursarApiError).code).toBe('POLICY_DENIED')
    expect(((c as BursarApiError).details.reasons as Array<{ code: string }>)[0]!.code).toBe(
      'LIMIT_WINDOW_EXCEEDED',
    )
    expect((await client.waitForIntent(a.id)).status).toBe('confirmed')
    expect((await client.waitForIntent(b.id)).status).toBe('confirmed')
  })

  test('lists intents newest first with a cursor', async () => {
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const first = await client.listIntents({ limit: 2 })
    expect(first.data).toHaveLength(2)
    expect(first.next_cursor).not.toBeNull()
    const second = await client.listIntents({ limit: 2, cursor: first.next_cursor! })
    expect(second.data[0]!.id < first.data[1]!.id).toBe(true)
    const rejected = await client.listIntents({ status: 'rejected' })
    expect(rejected.data.every((i) => i.status === 'rejected')).toBe(true)
    expect(rejected.data.length).toBe(3)
  })

  test('the audit chain verifies, and a tampered row is found', async () => {
    await stack.bursar.seal()
    const ok = await verifyAuditLog(stack.t.db, { trustedKey: stack.bursar.ctx.keystore.auditPublicKey })
    expect(ok.ok).toBe(true)
    expect(ok.entries).toBeGreaterThan(15)
    const [row] = await listAuditRows(
      stack.t.db,
      { actions: ['intent.confirmed'] },
      { orderBy: 'seq', limit: 1 },
    )
    await setAuditDataKey(stack.t.db, row!.seq!, 'block_number', 999999)
    expect(
      await verifyAuditLog(stack.t.db, { trustedKey: stack.bursar.ctx.keystore.auditPublicKey }),
    ).toMatchObject({
      ok: false,
      brokenAt: row!.seq,
      reason: 'hash_mismatch',
    })
  })
})
