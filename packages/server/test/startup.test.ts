/**
 * Configuration is checked before anything starts: chain ids against every RPC (never assumed), network names the
 * asset grammar can express, unique names, numeric ids and depths. Nonces belong to a chain, not to a network name.
 */
import { anvilNetwork } from '@bursar/chains/evm'
import { listIntentRows, listNonceCounterRows } from '@bursar/store/test-support'
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { networksFromEnv, validateNetworks } from '../src/config.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('configuration and chain identity', () => {
  let anvil: TestAnvil
  const dbs: TestDb[] = []
  beforeAll(async () => {
    anvil = await startTestAnvil()
  })
  afterAll(async () => {
    for (const t of dbs) await t.drop()
    await anvil?.stop()
  })
  const db = async () => {
    const t = await createTestDb('pglite')
    dbs.push(t)
    return t.db
  }

  test('error: a network whose RPC reports another chain id refuses to start (CHAIN_ID_MISMATCH)', async () => {
    const mainnet = { ...anvil.network, chainId: 1 }
    await expect(startTestBursar({ db: await db(), networks: [mainnet] })).rejects.toMatchObject({
      code: 'CHAIN_ID_MISMATCH',
      message: expect.stringContaining('configured with chain id 1 but RPC #1 reports 31337'),
    })
  })

  test('error: without BURSAR_EVM_CHAIN_ID the one-network environment config is refused, never defaulted', () => {
    const networks = networksFromEnv({ BURSAR_EVM_RPC_URL: anvil.rpcUrl })
    expect(() => validateNetworks(networks)).toThrow(/chainId is required/)
    expect(
      validateNetworks(networksFromEnv({ BURSAR_EVM_RPC_URL: anvil.rpcUrl, BURSAR_EVM_CHAIN_ID: '31337' })),
    ).toEqual([expect.objectContaining({ chainId: 31337, name: 'evm' })])
  })

  test.each([
    ['a name the asset grammar cannot express', { name: 'Anvil' }, 'name must be 1-64 lowercase'],
    ['a non-numeric chain id', { chainId: 'abc' }, 'chainId must be a number'],
    ['a chain id of 0', { chainId: 0 }, 'chainId must be positive'],
    ['a fractional confirmation depth', { confirmations: 1.5 }, 'confirmations must be a whole number'],
    ['no RPC URL', { rpcUrls: [] }, 'needs at least one RPC URL'],
    [
      'a malformed token address',
      { tokens: [{ symbol: 'X', address: '0x12', decimals: 6 }] },
      'address must be',
    ],
  ])('error: %s is refused at start with where it is', (_name, change, message) => {
    const network = { ...anvilNetwork(anvil.rpcUrl), ...change }
    expect(() => validateNetworks([network])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    expect(() => validateNetworks([network])).toThrow(
      new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    )
  })

  test('error: two networks with one name are refused', () => {
    const network = anvilNetwork(anvil.rpcUrl)
    expect(() => validateNetworks([network, network])).toThrow(/"anvil" is already network 0/)
  })

  test('two names for one chain share one nonce counter: their transactions never collide', async () => {
    const networks = [anvil.network, { ...anvil.network, name: 'anvil-too' }]
    const bursar = await startTestBursar({ db: await db(), networks })
    try {
      const agent = await bursar.createAgent({ policy: {} })
      await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
      const ids: string[] = []
      for (const network of ['anvil', 'anvil-too', 'anvil', 'anvil-too']) {
        const response = await bursar.http('POST', '/v1/intents', {
          token: agent.apiKey,
          body: { type: 'transfer', network, to: recipient, amount: '1' },
        })
        expect(response.status).toBe(201)
        ids.push(response.body.id)
      }
      let rows: Array<{ status: string; nonce: number | null }> = []
      for (let i = 0; i < 400; i++) {
        rows = await listIntentRows(bursar.ctx.db, ['status', 'nonce'], { ids }, { orderBy: 'nonce' })
        if (rows.every((row) => row.status === 'confirmed')) break
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      expect(rows).toEqual([0, 1, 2, 3].map((nonce) => ({ status: 'confirmed', nonce })))
      const counters = await listNonceCounterRows(bursar.ctx.db)
      expect(counters).toEqual([{ chain: 'evm:31337', next_nonce: 4 }])
    } finally {
      await bursar.close()
    }
  })
})
