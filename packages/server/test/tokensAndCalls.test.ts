import { createBursarClient } from '@bursar/sdk'
import {
  countIntentRows,
  listAuditRows,
  listIntentRows,
  listReservationRows,
  readIntentRow,
} from '@bursar/store/test-support'
import { deployRevertingContract, deployTestToken } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { createTestDb } from '@bursar/testing/database'
import { useTestStack } from '@bursar/testing/stack'
import { encodeAbiParameters, encodeFunctionData, erc20Abi, toFunctionSelector } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { signQueued } from '../src/workers/signQueued.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('ERC-20 transfers and contract calls through Bursar (PostgreSQL)', () => {
  let token: Awaited<ReturnType<typeof deployTestToken>>
  const stack = useTestStack({
    // Installed before Bursar starts, so that the network lists it.
    networks: async (anvil) => {
      token = await deployTestToken(anvil, { symbol: 'TST' })
      return [{ ...anvil.network, tokens: [token] }]
    },
  })
  let agent: Awaited<ReturnType<TestBursar['createAgent']>>

  beforeAll(async () => {
    const tokenAsset = `anvil:${token.address.toLowerCase()}`
    agent = await stack.bursar.createAgent({
      policy: {
        limits: {
          perTransaction: [
            { asset: tokenAsset, max: '500' },
            // Room for the fee of each token call (fees are native spend): 0.01 ETH.
            { asset: 'anvil:native', max: (10n ** 16n).toString() },
          ],
        },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    await deployTestToken(stack.anvil, {
      symbol: 'TST',
      address: token.address,
      balances: { [agent.address]: 10_000n },
    })
  })

  const tokenBalance = async (holder: string) =>
    BigInt(
      (await stack.anvil.testClient.request({
        method: 'eth_call',
        params: [
          {
            to: token.address,
            data: encodeFunctionData({
              abi: erc20Abi,
              functionName: 'balanceOf',
              args: [holder as `0x${string}`],
            }),
          },
          'latest',
        ],
      } as never)) as string,
    )

  test('a token transfer by symbol is limited in token units and lands on chain', async () => {
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const intent = await client.sendIntent({
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '500',
      asset: 'TST',
    })
    expect(intent.asset).toBe(`anvil:${token.address.toLowerCase()}`)
    expect(intent.recipient).toBe(recipient)
    expect((await client.waitForIntent(intent.id)).status).toBe('confirmed')
    expect(await tokenBalance(recipient)).toBe(500n)
    const balances = await client.getBalances()
    expect(balances.balances.find((b) => b.symbol === 'TST')?.amount).toBe('9500')
    const over = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '501', asset: token.address },
    })
    expect(over.body.error.details.reasons[0]).toMatchObject({
      code: 'LIMIT_PER_TX_EXCEEDED',
      limit: '500',
      observed: '501',
    })
  })

  test('a transfer encoded as a contract call is still counted against the token limit', async () => {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [recipient, 600n] })
    const response = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'call', network: 'anvil', to: token.address, data },
    })
    expect(response.status).toBe(403)
    expect(response.body.error.details.reasons[0]).toMatchObject({
      code: 'LIMIT_PER_TX_EXCEEDED',
      observed: '600',
    })
  })

  test('error: a call that reverts is refused with the decoded reason, recorded without a reservation', async () => {
    const reason = encodeAbiParameters([{ type: 'string' }], ['vault is closed'])
    const target = await deployRevertingContract(
      stack.anvil,
      `${toFunctionSelector('Error(string)')}${reason.slice(2)}`,
    )
    const before = await countIntentRows(stack.t.db)
    const response = await stack.bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'call', network: 'anvil', to: target, data: '0x12345678' },
    })
    expect(response.status).toBe(422)
    expect(response.body.error.code).toBe('SIMULATION_REVERTED')
    expect(response.body.error.message).toContain('vault is closed')
    // Recorded as a refusal (it counts for rate limits and the denial breaker), with nothing reserved.
    expect(await countIntentRows(stack.t.db)).toEqual(before + 1)
    const [row] = await listIntentRows(
      stack.t.db,
      ['id', 'status', 'error'],
      { agentId: agent.agentId },
      { orderBy: 'id desc', limit: 1 },
    )
    expect(row).toMatchObject({ status: 'rejected', error: { code: 'SIMULATION_REVERTED' } })
    expect(await listReservationRows(stack.t.db, ['id'], { intentId: row!.id })).toEqual([])
    await stack.bursar.seal()
    const [audit] = await listAuditRows(stack.t.db, { subjectIds: [row!.id] })
    expect(audit).toMatchObject({ action: 'intent.refused', data: { code: 'SIMULATION_REVERTED' } })
  })

  test('a queued token transfer is not signed if the token configuration changed since the decision', async () => {
    // Its own database: the suite's running executor must not sign the intent first.
    const own = await createTestDb('postgres')
    const first = await startTestBursar({
      db: own.db,
      networks: [{ ...stack.anvil.network, tokens: [token] }],
      executor: false,
    })
    const sender = await first.createAgent({ policy: {} })
    await stack.anvil.testClient.setBalance({ address: sender.address, value: 10n ** 18n })
    await deployTestToken(stack.anvil, {
      symbol: 'TST',
      address: token.address,
      balances: { [sender.address]: 100n },
    })
    const queued = await first.http('POST', '/v1/intents', {
      token: sender.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '5', asset: 'TST' },
    })
    expect(queued.status).toBe(201)
    await first.close()
    const moved = { ...token, address: '0x7e57000000000000000000000000000000000002' as const }
    const second = await startTestBursar({
      db: own.db,
      networks: [{ ...stack.anvil.network, tokens: [moved] }],
      executor: false,
    })
    try {
      await signQueued(second.ctx)
      const row = await readIntentRow(own.db, queued.body.id, ['status', 'error'])
      expect(row).toMatchObject({ status: 'failed', error: { code: 'INTENT_STALE' } })
      const reservations = await listReservationRows(own.db, ['status'], { intentId: queued.body.id })
      expect(reservations.map((reservation) => reservation.status)).toEqual(['released', 'released'])
    } finally {
      await second.close()
      await own.drop()
    }
  })
})
