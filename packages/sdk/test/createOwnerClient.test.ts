import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BursarApiError, createBursarClient, createOwnerClient, type OwnerClient } from '../src/index.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const limit = (max: string) => ({ limits: { perTransaction: [{ asset: 'anvil:native', max }] } })

describe('createOwnerClient against a running Bursar (PostgreSQL, anvil)', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar
  let owner: OwnerClient

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('postgres')
    // No executor: submitted intents stay queued, so they can be listed and cancelled.
    bursar = await startTestBursar({ db: t.db, networks: [anvil.network], executor: false })
    owner = createOwnerClient({ url: bursar.url, token: bursar.ownerToken })
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  test('create agent → set policy → list agents → create and revoke a key → halt and reset → audit head', async () => {
    const created = await owner.createAgent({ name: 'sdk-agent' })
    expect(created).toMatchObject({
      agent: { name: 'sdk-agent', status: 'active', wallets: [{ family: 'evm' }] },
      api_key: { secret: expect.stringMatching(/^bsr_/), revoked_at: null },
      policy_version: null,
      warnings: [],
    })
    const agentId = created.agent.id

    const set = await owner.setPolicy(agentId, limit('1000'))
    expect(set).toMatchObject({ agent_id: agentId, version: 1, document: limit('1000') })

    const { data: agents } = await owner.listAgents()
    expect(agents).toContainEqual(
      expect.objectContaining({ id: agentId, name: 'sdk-agent', wallets: created.agent.wallets }),
    )

    const key = await owner.createKey(agentId, { name: 'second' })
    expect(key).toMatchObject({ agent_id: agentId, name: 'second', secret: expect.stringMatching(/^bsr_/) })
    const revoked = await owner.revokeKey(agentId, key.id)
    expect(revoked).toMatchObject({ id: key.id, revoked_at: expect.any(String) })
    expect(revoked).not.toHaveProperty('secret')
    const { data: keys } = await owner.listKeys(agentId)
    expect(keys.map((k) => [k.id, k.revoked_at === null])).toEqual(
      expect.arrayContaining([
        [created.api_key!.id, true],
        [key.id, false],
      ]),
    )
    const rotated = await owner.rotateKey(agentId, created.api_key!.id)
    expect(rotated.id).not.toBe(created.api_key!.id)
    expect(rotated.secret).toMatch(/^bsr_/)

    expect(await owner.halt({ reason: 'sdk drill' })).toEqual({
      scope: 'global',
      tripped: true,
      already_tripped: false,
    })
    const { data: breakers } = await owner.listBreakers()
    expect(breakers).toContainEqual(
      expect.objectContaining({ scope: 'global', tripped: true, reason: 'sdk drill' }),
    )
    expect(await owner.resetHalt()).toMatchObject({
      scope: 'global',
      tripped: false,
      reset_by: bursar.ownerTokenId,
    })

    // The server's own sealer runs every 100 ms, so what is still unsealed here is a race; the sum is not.
    const before = await owner.getAuditHead()
    await bursar.seal()
    const head = await owner.getAuditHead()
    expect(head).toEqual({ seq: expect.any(Number), hash: expect.any(String), unsealed: 0 })
    expect(head.seq).toBeGreaterThanOrEqual(before.seq + before.unsealed)
    expect(head.seq).toBeGreaterThan(0)
    const checkpoint = await owner.getAuditCheckpoint()
    expect(checkpoint).toMatchObject({ seq: head.seq, hash: head.hash, signature: expect.any(String) })
  })

  test('agents pause, resume, freeze, unfreeze and delete', async () => {
    const { agent } = await owner.createAgent({ name: 'lifecycle', create_api_key: false })
    expect(await owner.getAgent(agent.id)).toEqual(agent)
    expect((await owner.pauseAgent(agent.id)).status).toBe('paused')
    expect((await owner.resumeAgent(agent.id)).status).toBe('active')
    expect(await owner.freezeAgent(agent.id, { reason: 'odd' })).toEqual({
      scope: 'agent',
      agent_id: agent.id,
      tripped: true,
      already_tripped: false,
    })
    expect((await owner.freezeAgent(agent.id)).already_tripped).toBe(true)
    expect(await owner.unfreezeAgent(agent.id)).toMatchObject({ agent_id: agent.id, tripped: false })
    expect((await owner.deleteAgent(agent.id)).status).toBe('deleted')
  })

  test('policy versions, replay and dry-run; intents listed by filter and cursor, their events, cancel; wallets', async () => {
    const created = await owner.createAgent({ name: 'spender', policy: limit('100000000000000000') })
    const agentId = created.agent.id
    const wallet = created.agent.wallets[0]!
    await anvil.testClient.setBalance({ address: wallet.address as `0x${string}`, value: 10n ** 18n })
    const agent = createBursarClient({ url: bursar.url, apiKey: created.api_key!.secret })
    const submitted = []
    for (const amount of ['1000', '2000', '3000']) {
      submitted.push(await agent.sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount }))
    }

    await owner.setPolicy(agentId, limit('2500'))
    expect(await owner.getPolicy(agentId)).toMatchObject({
      agent_id: agentId,
      version: 2,
      document: limit('2500'),
    })
    const { data: versions } = await owner.listPolicyVersions(agentId)
    expect(versions.map((v) => [v.version, v.created_by])).toEqual([
      [1, bursar.ownerTokenId],
      [2, bursar.ownerTokenId],
    ])
    const replay = await owner.replayPolicy(agentId, { policy: limit('0'), since: '1d' })
    expect(replay).toMatchObject({ agent_id: agentId, since: '1d', evaluated: 3 })
    expect(replay.changed.map((c) => [c.before, c.after])).toEqual([
      ['allow', 'deny'],
      ['allow', 'deny'],
      ['allow', 'deny'],
    ])

    const dryRun = await owner.dryRunIntent(agentId, {
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '3000',
    })
    expect(dryRun.decision.outcome).toBe('deny')
    expect(dryRun.decision.reasons[0]).toMatchObject({ code: 'LIMIT_PER_TX_EXCEEDED' })
    expect(dryRun.policy_version).toBe(2)

    const first = await owner.listIntents({ agent_id: agentId, limit: 2 })
    expect(first.data.map((i) => i.id)).toEqual([submitted[2]!.id, submitted[1]!.id])
    expect(first.next_cursor).not.toBeNull()
    const second = await owner.listIntents({ agent_id: agentId, limit: 2, cursor: first.next_cursor! })
    expect(second).toEqual({ data: [expect.objectContaining({ id: submitted[0]!.id })], next_cursor: null })
    expect((await owner.listIntents({ agent_id: agentId, status: 'cancelled' })).data).toEqual([])

    expect(await owner.getIntent(submitted[0]!.id)).toMatchObject({ id: submitted[0]!.id, amount: '1000' })
    const cancelled = await owner.cancelIntent(submitted[0]!.id)
    expect(cancelled.status).toBe('cancelled')
    const { data: events } = await owner.listIntentEvents(submitted[0]!.id)
    expect(events.at(-1)).toMatchObject({ to: 'cancelled' })
    expect((await owner.listIntents({ agent_id: agentId, status: 'cancelled' })).data).toEqual([
      expect.objectContaining({ id: submitted[0]!.id }),
    ])

    expect(await owner.getWallet(wallet.id)).toEqual(wallet)
    const balances = await owner.getBalances(wallet.id, { network: 'anvil' })
    expect(balances).toMatchObject({ wallet_id: wallet.id, address: wallet.address })
    expect(balances.balances).toContainEqual(
      expect.objectContaining({ network: 'anvil', asset: 'anvil:native', amount: (10n ** 18n).toString() }),
    )
  })

  test('approval requests: listed by status and agent, read one, closed when the intent is cancelled', async () => {
    const created = await owner.createAgent({
      name: 'asks first',
      policy: {
        ...limit('100000000000000000'),
        approvals: {
          approvers: ['role:approver'],
          rules: [{ id: 'big', asset: 'anvil:native', above: '500' }],
        },
      },
    })
    const agentId = created.agent.id
    await anvil.testClient.setBalance({
      address: created.agent.wallets[0]!.address as `0x${string}`,
      value: 10n ** 18n,
    })
    const agent = createBursarClient({ url: bursar.url, apiKey: created.api_key!.secret })
    const intent = await agent.sendIntent({
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '1000',
    })
    expect(intent.status).toBe('pending_approval')

    const { data, next_cursor } = await owner.listApprovals({ status: 'pending', agent_id: agentId })
    expect(next_cursor).toBeNull()
    expect(data).toEqual([
      expect.objectContaining({
        intent_id: intent.id,
        agent_id: agentId,
        status: 'pending',
        action: expect.objectContaining({
          network: 'anvil',
          asset: 'anvil:native',
          amount: { base_units: '1000', units: '0.000000000000001', symbol: 'ETH', decimals: 18 },
        }),
        rules: [expect.objectContaining({ rule: 'big', quorum: 1, approvals: 0 })],
      }),
    ])
    expect(await owner.getApproval(data[0]!.id)).toMatchObject({
      id: data[0]!.id,
      expires_at: data[0]!.expires_at,
    })
    await owner.cancelIntent(intent.id)
    expect(await owner.getApproval(data[0]!.id)).toMatchObject({
      status: 'cancelled',
      expires_in_seconds: null,
    })
    expect((await owner.listApprovals({ status: 'pending', agent_id: agentId })).data).toEqual([])
    await expect(owner.getApproval('apr_doesnotexist')).rejects.toMatchObject({ code: 'APPROVAL_NOT_FOUND' })
  })

  test('audit entries page by sequence number and filter by action and subject', async () => {
    const { agent } = await owner.createAgent({ name: 'audited' })
    await owner.pauseAgent(agent.id)
    await bursar.seal()
    const mine = await owner.listAudit({ subject_type: 'agent', subject_id: agent.id })
    expect(mine.data.map((entry) => ('action' in entry ? entry.action : 'redacted'))).toEqual([
      'agent.created',
      'agent.paused',
    ])
    expect(mine.next_after_seq).toBeNull()
    const created = await owner.listAudit({ action: 'agent.created', subject_id: agent.id })
    expect(created.data).toEqual([
      expect.objectContaining({
        action: 'agent.created',
        actor: { type: 'service_token', id: bursar.ownerTokenId },
      }),
    ])

    const page = await owner.listAudit({ limit: 2 })
    expect(page.data.map((entry) => entry.seq)).toEqual([1, 2])
    expect(page.next_after_seq).toBe(2)
    const next = await owner.listAudit({ after_seq: page.next_after_seq!, limit: 1 })
    expect(next.data[0]).toMatchObject({ seq: 3, prev_hash: page.data[1]!.hash })
  })

  test('error: the server refuses with its stable code, as a BursarApiError', async () => {
    const missing = await owner.getAgent('agt_missing').catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(BursarApiError)
    expect(missing).toMatchObject({
      code: 'AGENT_NOT_FOUND',
      status: 404,
      details: { agent_id: 'agt_missing' },
    })

    const stranger = createOwnerClient({ url: bursar.url, token: 'bsr_owner_not-a-token' })
    await expect(stranger.listAgents()).rejects.toMatchObject({ code: 'INVALID_API_KEY', status: 401 })

    const { agent } = await owner.createAgent({ name: 'policy-less', create_api_key: false })
    await expect(
      owner.setPolicy(agent.id, { limits: { perTransaction: [{ asset: 'anvil:native', max: '-1' }] } }),
    ).rejects.toMatchObject({ code: 'POLICY_INVALID', status: 422 })
  })

  test('error: an invalid dry-run intent is refused before any request is made', async () => {
    let requests = 0
    const counting = createOwnerClient({
      url: bursar.url,
      token: bursar.ownerToken,
      fetch: (input, init) => {
        requests++
        return fetch(input, init)
      },
    })
    const error = await counting
      .dryRunIntent('agt_any', { type: 'transfer', network: 'anvil', to: recipient, amount: '1.5' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'amount' })] },
    })
    expect(requests).toBe(0)
  })
})
