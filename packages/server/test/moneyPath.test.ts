/**
 * The hostile review's attacks, replayed against real PostgreSQL and anvil through the HTTP API (and, for the
 * database writer, with SQL), each now refused with the attacker's balance on chain unchanged; beside each, the
 * legitimate intent that must still go through.
 */

import {
  clearPolicyMacs,
  countIntentRows,
  deleteAuditRows,
  deletePolicyVersion,
  insertAuditRow,
  insertIntentRow,
  isBreakerTripped,
  listAuditRows,
  listBucketDrift,
  listIntentRows,
  listReservationRows,
  readBreakerRow,
  readIntentRow,
  removeAuditDataKey,
  setIntentColumns,
  setPolicyDocument,
  sumSpendBuckets,
} from '@bursar/store/test-support'
import { waitForReceipt } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { compileContract, deployContract } from '@bursar/testing/contracts'
import { createTestDb } from '@bursar/testing/database'
import { useTestStack } from '@bursar/testing/stack'
import type { Address } from 'viem'
import { encodeFunctionData, erc20Abi, getAddress, maxUint256 } from 'viem'
import { describe, expect, test } from 'vitest'
import { signQueued } from '../src/workers/signQueued.ts'

const ether = 10n ** 18n
const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const attacker = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'

type Agent = Awaited<ReturnType<TestBursar['createAgent']>>

describe('money-path hardening (PostgreSQL + anvil)', () => {
  const hostile = compileContract('HostileToken')
  let token: Address
  const stack = useTestStack({
    networks: async (anvil) => {
      token = getAddress(await deployContract(anvil, hostile))
      return [{ ...anvil.network, tokens: [{ symbol: 'HST', address: token, decimals: 18 }] }]
    },
  })

  const submit = (agent: Agent, body: unknown) =>
    stack.bursar.http('POST', '/v1/intents', { token: agent.apiKey, body })
  const balance = async (address: string) =>
    BigInt(
      (await stack.anvil.testClient.request({
        method: 'eth_getBalance',
        params: [address, 'latest'],
      } as never)) as string,
    )
  const tokenBalance = async (holder: string) =>
    BigInt(
      (await stack.anvil.testClient.request({
        method: 'eth_call',
        params: [
          {
            to: token,
            data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder as Address] }),
          },
          'latest',
        ],
      } as never)) as string,
    )
  const intentRow = async (id: string) => (await readIntentRow(stack.t.db, id, ['status', 'error']))!
  async function settled(id: string, states = ['confirmed', 'failed', 'cancelled']): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const { status } = await intentRow(id)
      if (states.includes(status)) return status
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return (await intentRow(id)).status
  }
  async function funded(policy: unknown, tokens = 0n): Promise<Agent> {
    const agent = await stack.bursar.createAgent({ policy })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n * ether })
    if (tokens > 0n) await mint(agent.address, tokens)
    return agent
  }
  async function mint(to: string, amount: bigint) {
    const data = encodeFunctionData({
      abi: hostile.abi,
      functionName: 'mint',
      args: [to as Address, amount],
    })
    const hash = (await stack.anvil.testClient.request({
      method: 'eth_sendTransaction',
      params: [{ from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: token, data }],
    } as never)) as `0x${string}`
    await waitForReceipt(
      {
        getReceipt: (h) =>
          stack.anvil.testClient.request({ method: 'eth_getTransactionReceipt', params: [h] } as never),
      },
      hash,
    )
  }
  const hostileCall = (functionName: string, args: readonly unknown[]) =>
    encodeFunctionData({ abi: hostile.abi, functionName, args } as never)

  describe('1. value to an unchecked recipient', () => {
    test('error: value sent to an EOA behind transfer(alice, 0) calldata is checked against the allowlist', async () => {
      const agent = await funded({ recipients: { allow: [alice] } })
      const before = await balance(attacker)
      const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [alice, 0n] })
      const response = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: attacker,
        data,
        value: ether.toString(),
      })
      expect(response.status).toBe(403)
      expect(response.body.error.details.reasons).toEqual([
        expect.objectContaining({
          code: 'RECIPIENT_NOT_ALLOWLISTED',
          message: expect.stringContaining(attacker.toLowerCase()),
        }),
      ])
      const stored = await readIntentRow(stack.t.db, response.body.error.details.intent_id, [
        'asset',
        'recipient',
        'recipients',
      ])
      // The record says where the value would really have gone.
      expect(stored).toEqual({
        asset: 'anvil:native',
        recipient: attacker,
        recipients: [alice.toLowerCase(), attacker.toLowerCase()],
      })
      expect(await balance(attacker)).toBe(before)

      const fine = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1000' })
      expect(fine.status).toBe(201)
      expect(await settled(fine.body.id)).toBe('confirmed')
    })

    test('error: a new-recipient approval rule sees the value target too', async () => {
      const agent = await funded({
        approvals: { approvers: ['role:owner'], rules: [{ newRecipient: true }] },
      })
      const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [alice, 0n] })
      const response = await submit(agent, { type: 'call', network: 'anvil', to: attacker, data, value: '1' })
      expect(response.status).toBe(201)
      expect(response.body.status).toBe('pending_approval')
      expect(response.body.decision.approval.triggers[0].message).toContain(attacker.toLowerCase())
    })
  })

  describe('2. token functions the engine did not understand', () => {
    const limits = () => ({
      contracts: { allow: [token] },
      limits: {
        onlyListedAssets: true,
        perTransaction: [
          { asset: `anvil:${token.toLowerCase()}`, max: '1000' },
          { asset: 'anvil:native', max: (ether / 100n).toString() },
        ],
      },
    })

    test('error: transferAndCall(attacker, 10^24) is limited like a transfer; sweep() is denied as unvalued', async () => {
      const agent = await funded(limits(), 10n ** 24n)
      const big = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: hostileCall('transferAndCall', [attacker, 10n ** 24n, '0x']),
      })
      expect(big.status).toBe(403)
      expect(big.body.error.details.reasons).toEqual([
        expect.objectContaining({ code: 'LIMIT_PER_TX_EXCEEDED', observed: (10n ** 24n).toString() }),
      ])
      const sweep = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: hostileCall('sweep', [attacker]),
      })
      expect(sweep.status).toBe(403)
      expect(sweep.body.error.details.reasons).toEqual([expect.objectContaining({ code: 'UNVALUED_CALL' })])
      const multicall = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: encodeFunctionData({
          abi: [
            {
              type: 'function',
              name: 'multicall',
              inputs: [{ type: 'bytes[]' }],
              outputs: [],
              stateMutability: 'nonpayable',
            },
          ],
          args: [[hostileCall('transferAndCall', [attacker, 5000n, '0x'])]],
        }),
      })
      expect(multicall.status).toBe(403)
      expect(multicall.body.error.details.reasons[0]).toMatchObject({
        code: 'LIMIT_PER_TX_EXCEEDED',
        observed: '5000',
      })

      const within = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: hostileCall('transferAndCall', [alice, 500n, '0x']),
      })
      expect(within.status).toBe(201)
      expect(await settled(within.body.id)).toBe('confirmed')
      expect(await tokenBalance(attacker)).toBe(0n)
      expect(await tokenBalance(alice)).toBe(500n)
    })

    test('an owner can allow an unvalued function by name', async () => {
      const agent = await funded({ contracts: { allow: [token], allowUnvalued: ['sweep(address)'] } }, 7n)
      const sweep = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: hostileCall('sweep', [alice]),
      })
      expect(sweep.status).toBe(201)
      expect(await settled(sweep.body.id)).toBe('confirmed')
    })
  })

  describe('3. gas is spend', () => {
    test('error: under a policy allowing 0 wei of ETH a gas-burning call is denied and burns nothing', async () => {
      const agent = await funded({ limits: { perTransaction: [{ asset: 'anvil:native', max: '0' }] } }, 10n)
      const before = await balance(agent.address)
      const response = await submit(agent, {
        type: 'call',
        network: 'anvil',
        to: token,
        data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [alice, 1n] }),
      })
      expect(response.status).toBe(403)
      expect(response.body.error.details.reasons[0]).toMatchObject({
        code: 'LIMIT_PER_TX_EXCEEDED',
        limit: '0',
      })
      expect(await balance(agent.address)).toBe(before)
    })

    test('error: a fee above the policy fee cap is denied', async () => {
      const agent = await funded({ fees: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } })
      const response = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1' })
      expect(response.body.error.details.reasons[0]).toMatchObject({
        code: 'FEE_CAP_EXCEEDED',
        limit: '1000',
      })
    })

    test('the fee ceiling is reserved at decision, and what was really paid is committed once mined', async () => {
      const agent = await funded({
        limits: { windows: [{ window: '24h', asset: 'anvil:native', max: ether.toString() }] },
      })
      const before = await balance(agent.address)
      const response = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1000' })
      expect(response.status).toBe(201)
      const [reserved] = await listReservationRows(stack.t.db, ['amount'], {
        intentId: response.body.id,
        kind: 'fee',
      })
      expect(await settled(response.body.id)).toBe('confirmed')
      const paid = before - (await balance(agent.address)) - 1000n
      const [committed] = await listReservationRows(stack.t.db, ['amount', 'status'], {
        intentId: response.body.id,
        kind: 'fee',
      })
      expect(committed).toEqual({ amount: paid.toString(), status: 'committed' })
      expect(BigInt(reserved!.amount)).toBeGreaterThan(paid)
      // The window now holds what really left the wallet: the value and the fee paid, not the ceiling.
      const bucket = await sumSpendBuckets(stack.t.db, { agentId: agent.agentId })
      expect(BigInt(bucket!)).toBe(1000n + paid)
    })

    test('a fee budget counts fees alone: the ceiling while unmined, what was paid once mined', async () => {
      const gasDay = (max: bigint) => ({
        fees: { windows: [{ id: 'gas-day', window: '24h', asset: 'anvil:native', max: max.toString() }] },
      })
      const transfer = { type: 'transfer', network: 'anvil', to: alice, amount: '1000' }
      // What the budget already holds, read from a dry run's explanation: "<used + this ceiling> <= <max>".
      const feesUsed = async (agent: Agent) => {
        const dry = await stack.bursar.http('POST', '/v1/intents/dry-run', {
          token: agent.apiKey,
          body: transfer,
        })
        expect(dry.status).toBe(200)
        const decision = dry.body.decision as {
          reservations: Array<{ kind: string; amount: string }>
          explanation: Array<{ rule: string; detail?: string }>
        }
        const ceiling = BigInt(decision.reservations.find((r) => r.kind === 'fee')!.amount)
        const entry = decision.explanation.find((e) => e.rule === 'gas-day')!
        return { used: BigInt(entry.detail!.split(' ')[0]!) - ceiling, ceiling }
      }
      const roomy = await funded(gasDay(ether))
      expect((await feesUsed(roomy)).used).toBe(0n)
      const first = await submit(roomy, transfer)
      expect(first.status).toBe(201)
      expect(await settled(first.body.id)).toBe('confirmed')
      const [paid] = await listReservationRows(stack.t.db, ['amount'], {
        intentId: first.body.id,
        kind: 'fee',
      })
      // The 1000 wei of value moved do not count; the fee counts at what was paid, below its ceiling.
      const { used, ceiling } = await feesUsed(roomy)
      expect(used).toBe(BigInt(paid!.amount))
      expect(used).toBeGreaterThan(0n)
      expect(used).toBeLessThan(ceiling)

      // A budget that fits one transaction's ceiling (plus 1000 wei): the first fits, the next does not.
      const tight = await funded(gasDay((await feesUsed(roomy)).ceiling + 1000n))
      const one = await submit(tight, transfer)
      expect(one.status).toBe(201)
      expect(await settled(one.body.id)).toBe('confirmed')
      const two = await submit(tight, transfer)
      expect(two.status).toBe(403)
      expect(two.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual([
        'FEE_WINDOW_EXCEEDED',
      ])
      expect(two.body.error.details.reasons[0]).toMatchObject({ rule: 'gas-day', asset: 'anvil:native' })

      // A replay of a draft budget counts each past intent's fee ceiling, and fees alone (not the value moved).
      const second = await submit(roomy, transfer)
      expect(await settled(second.body.id)).toBe('confirmed')
      const ceilings = await listIntentRows(stack.t.db, ['id', 'max_fee'], {
        ids: [first.body.id, second.body.id],
      })
      const both = ceilings.reduce((sum, row) => sum + BigInt(row.max_fee!), 0n)
      const replay = (max: bigint) =>
        stack.bursar.http('POST', `/v1/agents/${roomy.agentId}/policy/replay`, {
          token: stack.bursar.ownerToken,
          body: { policy: gasDay(max), since: '1d' },
        })
      const fits = await replay(both + 500n)
      expect(fits.status).toBe(200)
      expect(fits.body.changed).toEqual([])
      const tooSmall = await replay(both - 1n)
      expect(tooSmall.body.changed).toEqual([
        expect.objectContaining({
          intent_id: second.body.id,
          before: 'allow',
          after: 'deny',
          reasons: [expect.objectContaining({ code: 'FEE_WINDOW_EXCEEDED' })],
        }),
      ])
    })
  })

  describe('4. a queued row is not signing authority', () => {
    test('error: an intent inserted with SQL is refused, the agent frozen, and nothing leaves the wallet', async () => {
      const agent = await funded({
        limits: { perTransaction: [{ asset: 'anvil:native', max: (ether / 10n).toString() }] },
      })
      const legit = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1000' })
      expect(await settled(legit.body.id)).toBe('confirmed')
      const before = await balance(attacker)
      const copy = await readIntentRow(stack.t.db, legit.body.id, [
        'decision_mac',
        'decision_expires_at',
        'policy_version',
        'wallet_id',
      ])
      // With a decision entry forged into the audit log first (the running executor may look at the row the moment it exists), so that only the MAC stands in
      // the way.
      await insertAuditRow(stack.t.db, {
        actor_type: 'agent',
        actor_id: agent.agentId,
        action: 'intent.decided',
        subject_type: 'intent',
        subject_id: 'int_forged',
        data: {},
      })
      // A forged row with a MAC and expiry copied from a real decision: it binds another intent, so it does not verify.
      await insertIntentRow(stack.t.db, {
        id: 'int_forged',
        agent_id: agent.agentId,
        wallet_id: copy!.wallet_id,
        network: 'anvil',
        status: 'queued',
        request: {
          type: 'transfer',
          network: 'anvil',
          to: attacker,
          amount: (5n * ether).toString(),
        },
        request_hash: 'x',
        asset: 'anvil:native',
        amount: (5n * ether).toString(),
        recipient: attacker,
        recipients: [attacker.toLowerCase()],
        policy_version: copy!.policy_version,
        tx: { to: attacker, value: (5n * ether).toString(), gas: '21000' },
        max_fee: '100000000000000',
        decision_mac: copy!.decision_mac,
        decision_expires_at: copy!.decision_expires_at,
      })
      stack.bursar.ctx.wakeExecutor()
      expect(await settled('int_forged')).toBe('failed')
      expect((await intentRow('int_forged')).error).toMatchObject({
        code: 'DECISION_INVALID',
        message: expect.stringContaining('decision MAC does not match'),
      })
      expect(await balance(attacker)).toBe(before)
      const breaker = await readBreakerRow(stack.t.db, agent.agentId)
      expect(breaker).toEqual({ tripped: true, signal: 'decision_invalid' })
      await stack.bursar.seal()
      const actions = await listAuditRows(
        stack.t.db,
        { subjectIds: ['int_forged', agent.agentId], actions: ['intent.failed', 'breaker.tripped'] },
        { orderBy: 'seq' },
      )
      expect(actions.map((row) => row.action)).toEqual(['intent.failed', 'breaker.tripped'])
    })

    test('error: a request waiting for approval, set to queued in the database, is not signed', async () => {
      const agent = await funded({
        approvals: { approvers: ['role:owner'], rules: [{ newRecipient: true }] },
      })
      const before = await balance(attacker)
      const pending = await submit(agent, {
        type: 'transfer',
        network: 'anvil',
        to: attacker,
        amount: ether.toString(),
      })
      expect(pending.body.status).toBe('pending_approval')
      await setIntentColumns(
        stack.t.db,
        { id: pending.body.id },
        { status: 'queued', next_attempt_at: 'now' },
      )
      stack.bursar.ctx.wakeExecutor()
      expect(await settled(pending.body.id)).toBe('failed')
      expect((await intentRow(pending.body.id)).error).toMatchObject({ code: 'DECISION_INVALID' })
      expect(await balance(attacker)).toBe(before)
    })

    test('sealing on upgrade blesses only what an older Bursar wrote, and only once', async () => {
      const own = await createTestDb('postgres')
      const start = (config = {}) =>
        startTestBursar({ db: own.db, networks: [stack.anvil.network], executor: false, config })
      const submitWith = async (instance: TestBursar, apiKey: string) =>
        (
          await instance.http('POST', '/v1/intents', {
            token: apiKey,
            body: { type: 'transfer', network: 'anvil', to: alice, amount: '1' },
          })
        ).body.id as string
      const strip = async (intentId: string, agentId: string) => {
        await setIntentColumns(own.db, { id: intentId }, { decision_mac: null })
        await clearPolicyMacs(own.db, agentId)
      }
      const statusOf = (intentId: string) => readIntentRow(own.db, intentId, ['status', 'error'])
      const lookOld = async (intentId: string) => {
        await removeAuditDataKey(own.db, { subjectId: intentId }, 'max_fee')
        await setIntentColumns(own.db, { id: intentId }, { decision_mac: null })
      }
      try {
        const first = await start()
        const agent = await first.createAgent({ policy: {} })
        const old = await first.createAgent({ policy: {} })
        await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
        await stack.anvil.testClient.setBalance({ address: old.address, value: ether })
        const stripped = await submitWith(first, agent.apiKey)
        const legacy = await submitWith(first, old.apiKey)
        await first.close()
        // Seals stripped from rows this Bursar wrote (their audit entries record hashes and fee ceilings) ...
        await strip(stripped, agent.agentId)
        // ... and rows as an older Bursar left them (entries without hashes or fee ceilings).
        await removeAuditDataKey(own.db, { subjectId: old.agentId, action: 'policy.set' }, 'document_hash')
        await strip(legacy, old.agentId)
        await lookOld(legacy)
        const second = await start({ sealExisting: true })
        try {
          await signQueued(second.ctx)
          expect(await statusOf(stripped)).toMatchObject({
            status: 'failed',
            error: { code: 'DECISION_INVALID' },
          })
          expect(await statusOf(legacy)).toMatchObject({ status: 'signed', error: null })
        } finally {
          await second.close()
        }
        // The flag left set: a row made to look old after that first sealing is not blessed.
        const third = await start()
        const later = await submitWith(third, old.apiKey)
        await third.close()
        await lookOld(later)
        const fourth = await start({ sealExisting: true })
        try {
          await signQueued(fourth.ctx)
          expect(await statusOf(later)).toMatchObject({
            status: 'failed',
            error: { code: 'DECISION_INVALID' },
          })
        } finally {
          await fourth.close()
        }
      } finally {
        await own.drop()
      }
    })

    test('error: a confirmed intent set back to queued is not signed a second time', async () => {
      const agent = await funded({})
      const paid = await submit(agent, { type: 'transfer', network: 'anvil', to: attacker, amount: '12345' })
      expect(await settled(paid.body.id)).toBe('confirmed')
      const before = await balance(attacker)
      await setIntentColumns(
        stack.t.db,
        { id: paid.body.id },
        { status: 'queued', nonce: null, raw_tx: null, tx_hash: null },
      )
      await stack.bursar.seal()
      stack.bursar.ctx.wakeExecutor()
      expect(await settled(paid.body.id)).toBe('failed')
      expect((await intentRow(paid.body.id)).error).toMatchObject({ code: 'DECISION_INVALID' })
      expect(await balance(attacker)).toBe(before)
    })

    test('error: a policy loosened in place in the database is refused before signing', async () => {
      const agent = await stack.bursar.createAgent({
        policy: { limits: { perTransaction: [{ asset: 'anvil:native', max: (ether / 10n).toString() }] } },
      })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n * ether })
      await setPolicyDocument(stack.t.db, agent.agentId, {
        limits: { perTransaction: [{ asset: 'anvil:native', max: '100000000000000000000' }] },
      })
      const response = await submit(agent, { type: 'transfer', network: 'anvil', to: attacker, amount: '1' })
      expect(response.status).toBe(403)
      expect(response.body.error.code).toBe('AGENT_FROZEN')
      expect(response.body.error.details.reason).toContain('changed outside Bursar')
    })
  })

  describe('6. stale authority at execution time', () => {
    // Its own database and instance with the executor off, so the test decides when signing happens.
    const quiet = useTestStack({ anvil: false, networks: () => [stack.anvil.network], executor: false })
    const statusIn = async (id: string) => (await readIntentRow(quiet.t.db, id, ['status']))!.status

    test("a paused agent's queued intent waits, and is signed once the agent is resumed", async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
      const queued = await quiet.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: alice, amount: '777' },
      })
      expect(queued.body.status).toBe('queued')
      await quiet.bursar.http('POST', `/v1/agents/${agent.agentId}/pause`, { token: quiet.bursar.ownerToken })
      expect(await signQueued(quiet.bursar.ctx)).toBe(0)
      expect(await statusIn(queued.body.id)).toBe('queued')
      await quiet.bursar.http('POST', `/v1/agents/${agent.agentId}/resume`, {
        token: quiet.bursar.ownerToken,
      })
      await setIntentColumns(quiet.t.db, { id: queued.body.id }, { next_attempt_at: 'now' })
      expect(await signQueued(quiet.bursar.ctx)).toBe(1)
      expect(await statusIn(queued.body.id)).toBe('signed')
    })

    test('a decision that waited past its time authorises nothing: DECISION_EXPIRED, reservation released', async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
      quiet.bursar.ctx.config.executor.decisionTtlSeconds = 1
      try {
        const queued = await quiet.bursar.http('POST', '/v1/intents', {
          token: agent.apiKey,
          body: { type: 'transfer', network: 'anvil', to: alice, amount: '5' },
        })
        await new Promise((resolve) => setTimeout(resolve, 1200))
        expect(await signQueued(quiet.bursar.ctx)).toBe(1)
        const row = await readIntentRow(quiet.t.db, queued.body.id, ['status', 'error'])
        expect(row).toMatchObject({ status: 'failed', error: { code: 'DECISION_EXPIRED' } })
        expect(await isBreakerTripped(quiet.t.db, agent.agentId)).toBe(false)
      } finally {
        quiet.bursar.ctx.config.executor.decisionTtlSeconds = 900
      }
    })

    test("error: a deleted agent's queued intent is cancelled, its reservation released, nothing sent", async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
      const before = await balance(attacker)
      const queued = await quiet.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: attacker, amount: '999' },
      })
      await quiet.bursar.http('DELETE', `/v1/agents/${agent.agentId}`, { token: quiet.bursar.ownerToken })
      expect(await signQueued(quiet.bursar.ctx)).toBe(1)
      expect(await statusIn(queued.body.id)).toBe('cancelled')
      const reservations = await listReservationRows(quiet.t.db, ['status'], { intentId: queued.body.id })
      expect(reservations.map((row) => row.status)).toEqual(['released', 'released'])
      expect(await balance(attacker)).toBe(before)
    })
    test('error: deleting the newest policy version does not bring back the looser one it replaced', async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: 2n * ether })
      const tight = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } }
      expect(
        (
          await quiet.bursar.http('PUT', `/v1/agents/${agent.agentId}/policy`, {
            token: quiet.bursar.ownerToken,
            body: tight,
          })
        ).status,
      ).toBe(200)
      const send = () =>
        quiet.bursar.http('POST', '/v1/intents', {
          token: agent.apiKey,
          body: { type: 'transfer', network: 'anvil', to: attacker, amount: ether.toString() },
        })
      expect((await send()).status).toBe(403)
      // This process decided under version 2: with it deleted, the decision refuses and the agent freezes.
      await deletePolicyVersion(quiet.t.db, agent.agentId, 2)
      const refused = await send()
      expect(refused.body.error).toMatchObject({
        code: 'AGENT_FROZEN',
        details: { reason: expect.stringContaining('deleted outside Bursar') },
      })
    })

    test('error: a decision under a policy whose successor was deleted is not signed (the audit log remembers)', async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: 2n * ether })
      const before = await balance(attacker)
      const tight = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } }
      await quiet.bursar.http('PUT', `/v1/agents/${agent.agentId}/policy`, {
        token: quiet.bursar.ownerToken,
        body: tight,
      })
      // No decision ran under version 2 in this process, so only the audit log knows it existed.
      await deletePolicyVersion(quiet.t.db, agent.agentId, 2)
      const queued = await quiet.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: attacker, amount: ether.toString() },
      })
      expect(queued.body.status).toBe('queued')
      expect(await signQueued(quiet.bursar.ctx)).toBe(1)
      const row = await readIntentRow(quiet.t.db, queued.body.id, ['status', 'error'])
      expect(row).toEqual({
        status: 'failed',
        error: expect.objectContaining({
          code: 'DECISION_INVALID',
          message: expect.stringContaining('version 2 was in force'),
        }),
      })
      expect(await balance(attacker)).toBe(before)
    })

    test('error: a cancelled intent, or one that failed before signing, set back to queued is not signed', async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
      const before = await balance(attacker)
      const send = (amount: string) =>
        quiet.bursar.http('POST', '/v1/intents', {
          token: agent.apiKey,
          body: { type: 'transfer', network: 'anvil', to: attacker, amount },
        })
      const cancelled = await send('101')
      expect(
        (await quiet.bursar.http('POST', `/v1/intents/${cancelled.body.id}/cancel`, { token: agent.apiKey }))
          .body.status,
      ).toBe('cancelled')
      quiet.bursar.ctx.config.executor.decisionTtlSeconds = 1
      const expired = await send('102').finally(() => {
        quiet.bursar.ctx.config.executor.decisionTtlSeconds = 900
      })
      await new Promise((resolve) => setTimeout(resolve, 1200))
      expect(await signQueued(quiet.bursar.ctx)).toBe(1)
      expect(await statusIn(expired.body.id)).toBe('failed')
      // A database writer sets both back, with a fresh expiry for the failed one.
      await setIntentColumns(
        quiet.t.db,
        { ids: [cancelled.body.id, expired.body.id] },
        { status: 'queued', next_attempt_at: 'now', error: null },
      )
      expect(await signQueued(quiet.bursar.ctx)).toBe(2)
      const rows = await listIntentRows(
        quiet.t.db,
        ['id', 'status', 'error'],
        { ids: [cancelled.body.id, expired.body.id] },
        { orderBy: 'amount' },
      )
      expect(rows).toEqual([
        {
          id: cancelled.body.id,
          status: 'failed',
          error: expect.objectContaining({
            code: 'DECISION_INVALID',
            message: expect.stringContaining('as cancelled'),
          }),
        },
        {
          id: expired.body.id,
          status: 'failed',
          error: expect.objectContaining({
            code: 'DECISION_INVALID',
            message: expect.stringContaining('as failed'),
          }),
        },
      ])
      expect(await balance(attacker)).toBe(before)
    })

    test('error: a cancelled intent whose audit entry is removed too is still refused (its reservations were released)', async () => {
      const agent = await quiet.bursar.createAgent({ policy: {} })
      await stack.anvil.testClient.setBalance({ address: agent.address, value: ether })
      const queued = await quiet.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: attacker, amount: '103' },
      })
      await quiet.bursar.http('POST', `/v1/intents/${queued.body.id}/cancel`, { token: agent.apiKey })
      // Not yet sealed into the chain, so the entry can be deleted without breaking it.
      await deleteAuditRows(quiet.t.db, { subjectId: queued.body.id, action: 'intent.cancelled' })
      await setIntentColumns(quiet.t.db, { id: queued.body.id }, { status: 'queued', next_attempt_at: 'now' })
      expect(await signQueued(quiet.bursar.ctx)).toBe(1)
      const row = await readIntentRow(quiet.t.db, queued.body.id, ['status', 'error'])
      expect(row).toEqual({
        status: 'failed',
        error: expect.objectContaining({
          code: 'DECISION_INVALID',
          message: expect.stringContaining('reservations were settled already'),
        }),
      })
    })

    // Every path above released, committed or trued down reservations: the rolling-window buckets must still agree.
    test('the window buckets (totals and fee parts) still sum exactly what the reservations hold', async () => {
      expect(await listBucketDrift(quiet.t.db)).toEqual([])
    })
  })

  describe('9. sums that exceed a column', () => {
    test('nine approve(2^256 − 1) in a minute are all recorded, none a 500', async () => {
      const agent = await funded({})
      const data = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [alice, maxUint256] })
      const statuses: number[] = []
      for (let i = 0; i < 9; i++) {
        statuses.push((await submit(agent, { type: 'call', network: 'anvil', to: token, data })).status)
      }
      expect(statuses).toEqual(Array(9).fill(201))
      const bucket = await sumSpendBuckets(stack.t.db, {
        agentId: agent.agentId,
        asset: `anvil:${token.toLowerCase()}`,
      })
      expect(BigInt(bucket!)).toBe(9n * maxUint256)
    })
  })

  describe('10. probing is recorded', () => {
    test('refusals before the decision count for rate limits and trip the denial breaker', async () => {
      const agent = await funded({
        rateLimits: [{ window: '1m', max: 3 }],
        breaker: { denials: { max: 5, window: '10m' } },
      })
      // Calls that revert in simulation: refused before any decision, each one recorded.
      const revert = {
        type: 'call',
        network: 'anvil',
        to: token,
        data: hostileCall('transferAndCall', [alice, 10n ** 30n, '0x']),
      }
      for (let i = 0; i < 3; i++)
        expect((await submit(agent, revert)).body.error.code).toBe('SIMULATION_REVERTED')
      const limited = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1' })
      expect(limited.body.error.details.reasons[0]).toMatchObject({ code: 'RATE_LIMITED', observed: '4' })
      // 3 refusals and 1 denial so far; one more refusal reaches 5 and freezes the agent.
      await submit(agent, revert)
      const frozen = await submit(agent, { type: 'transfer', network: 'anvil', to: alice, amount: '1' })
      expect(frozen.body.error.code).toBe('AGENT_FROZEN')
      const refused = await countIntentRows(stack.t.db, {
        agentId: agent.agentId,
        status: 'rejected',
        undecided: true,
      })
      expect(refused).toBe(5)
    })
  })

  // Every path above released, committed or trued down reservations: the rolling-window buckets must still agree.
  test('the window buckets (totals and fee parts) still sum exactly what the reservations hold', async () => {
    expect(await listBucketDrift(stack.t.db)).toEqual([])
  })
})
