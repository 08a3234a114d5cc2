import { createDb, type Db, insertOrganisationWithToken, migrate } from '@bursar/store'
import {
  countIntentRows,
  countIntentsByStatus,
  listIntentRows,
  sumReservationsByStatus,
} from '@bursar/store/test-support'
import { plainTransferFee, startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { createTestDatabaseUrl } from '@bursar/testing/database'
import { type BursarProcess, startBursarProcess } from '@bursar/testing/processes'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const recipient = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
const amount = 1_000_000n
const admits = 37n

async function post(url: string, token: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as any }
}

async function burst(processes: BursarProcess[], apiKey: string, count: number, to = recipient) {
  let next = 0
  const results: Array<{ status: number; body: any }> = []
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < count) {
        const i = next++
        const server = processes[i % processes.length]!
        results.push(
          await post(server.url, apiKey, '/v1/intents', {
            type: 'transfer',
            network: 'anvil',
            to,
            amount: amount.toString(),
          }),
        )
      }
    }),
  )
  return results
}

describe('race: concurrent intents from 4 API processes (and 2 executor processes) on one PostgreSQL', () => {
  let anvil: TestAnvil
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>
  let db: Db
  const processes: BursarProcess[] = []
  const executors: BursarProcess[] = []
  // Two executor processes, started once, when a test first needs them (the first test fills the queue before).
  const startExecutors = async () => {
    if (executors.length > 0) return
    executors.push(
      ...(await Promise.all(
        [0, 1].map(() =>
          startBursarProcess({ databaseUrl: database.url, networks: [anvil.network], executor: true }),
        ),
      )),
    )
  }

  beforeAll(async () => {
    anvil = await startTestAnvil()
    database = await createTestDatabaseUrl()
    db = await createDb({ kind: 'postgres', url: database.url })
    await migrate(db)
    // One process first, so the master seed is created once; then three more in parallel.
    processes.push(
      await startBursarProcess({ databaseUrl: database.url, networks: [anvil.network], executor: false }),
    )
    processes.push(
      ...(await Promise.all(
        [1, 2, 3].map(() =>
          startBursarProcess({ databaseUrl: database.url, networks: [anvil.network], executor: false }),
        ),
      )),
    )
  }, 120_000)
  afterAll(async () => {
    await Promise.all([...processes, ...executors].map((p) => p.stop()))
    await db?.close()
    await database?.drop()
    await anvil?.stop()
  })

  const reservations = async (agentId: string) =>
    // What the intents move; their fee ceilings are reserved beside it (kind 'fee') and trued up when mined.
    (await sumReservationsByStatus(db, agentId, 'spend')).reduce<
      Record<string, { total: bigint; n: number }>
    >((acc, row) => {
      acc[row.status] = { total: BigInt(row.total), n: row.n }
      return acc
    }, {})

  test('1,000 concurrent intents against a 24 h limit admitting exactly K: zero overspend, released amounts return', async () => {
    const { token } = await db.transaction((tx) => insertOrganisationWithToken(tx, 'race owner'))
    const created = await post(processes[0]!.url, token, '/v1/agents', {
      name: 'racer',
      policy: {
        // Each admitted intent spends its amount and reserves its fee ceiling (fees are native spend).
        limits: {
          windows: [
            { window: '24h', asset: 'anvil:native', max: (admits * (amount + plainTransferFee)).toString() },
          ],
        },
      },
    })
    expect(created.status).toBe(201)
    const agentId: string = created.body.agent.id
    const apiKey: string = created.body.api_key.secret
    await anvil.testClient.setBalance({ address: created.body.agent.wallets[0].address, value: 10n ** 20n })

    const first = await burst(processes, apiKey, 1000)
    const accepted = first.filter((r) => r.status === 201)
    expect(accepted).toHaveLength(Number(admits))
    expect(first.filter((r) => r.status === 403 && r.body.error.code === 'POLICY_DENIED')).toHaveLength(
      1000 - Number(admits),
    )
    expect(await reservations(agentId)).toEqual({ reserved: { total: admits * amount, n: Number(admits) } })

    // Cancel some through different processes: each cancellation gives its exact amount back to the window.
    const cancelled = accepted.slice(0, 12)
    for (const [i, r] of cancelled.entries()) {
      expect((await post(processes[i % 4]!.url, apiKey, `/v1/intents/${r.body.id}/cancel`)).body.status).toBe(
        'cancelled',
      )
    }
    expect(await reservations(agentId)).toEqual({
      released: { total: 12n * amount, n: 12 },
      reserved: { total: (admits - 12n) * amount, n: Number(admits) - 12 },
    })

    const second = await burst(processes, apiKey, 300)
    expect(second.filter((r) => r.status === 201)).toHaveLength(12)
    const after = await reservations(agentId)
    expect(after.reserved).toEqual({ total: admits * amount, n: Number(admits) })

    // Two executor processes drain the queue; nonces never collide and every admitted intent lands on chain.
    await startExecutors()
    const deadline = Date.now() + 60_000
    for (;;) {
      const confirmed = await countIntentRows(db, { agentId, status: 'confirmed' })
      if (confirmed === Number(admits) || Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const statuses = await countIntentsByStatus(db, agentId)
    expect(statuses).toEqual([
      { status: 'cancelled', n: 12 },
      { status: 'confirmed', n: Number(admits) },
      { status: 'rejected', n: 1300 - Number(admits) - 12 },
    ])
    const nonces = await listIntentRows(db, ['nonce'], { agentId, status: 'confirmed' }, { orderBy: 'nonce' })
    expect(nonces.map((row) => row.nonce)).toEqual(Array.from({ length: Number(admits) }, (_, i) => i))
    const onChain = await anvil.testClient.request({
      method: 'eth_getBalance',
      params: [recipient, 'latest'],
    } as never)
    expect(BigInt(onChain as string) - 10n ** 22n).toBe(admits * amount)
    expect((await reservations(agentId)).committed).toEqual({ total: admits * amount, n: Number(admits) })
  }, 180_000)

  test('two API and two executor processes, one wallet: 300 intents while the executors run, each nonce used once', async () => {
    await startExecutors()
    const { token } = await db.transaction((tx) => insertOrganisationWithToken(tx, 'one-wallet owner'))
    const created = await post(processes[0]!.url, token, '/v1/agents', { name: 'one-wallet', policy: {} })
    expect(created.status).toBe(201)
    const agentId: string = created.body.agent.id
    const wallet = created.body.agent.wallets[0].address as `0x${string}`
    await anvil.testClient.setBalance({ address: wallet, value: 10n ** 20n })
    const payee = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65'
    const before = BigInt(
      (await anvil.testClient.request({
        method: 'eth_getBalance',
        params: [payee, 'latest'],
      } as never)) as string,
    )

    const results = await burst(processes.slice(0, 2), created.body.api_key.secret, 300, payee)
    expect(results.filter((r) => r.status === 201)).toHaveLength(300)
    const deadline = Date.now() + 120_000
    while ((await countIntentRows(db, { agentId, status: 'confirmed' })) < 300 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(await countIntentsByStatus(db, agentId)).toEqual([{ status: 'confirmed', n: 300 }])
    const rows = await listIntentRows(db, ['nonce', 'tx_hash'], { agentId }, { orderBy: 'nonce' })
    expect(rows.map((row) => row.nonce)).toEqual(Array.from({ length: 300 }, (_, i) => i))
    expect(new Set(rows.map((row) => row.tx_hash)).size).toBe(300)
    // The chain agrees: 300 transactions from the wallet, the payee paid 300 times the amount, nothing more.
    const sent = await anvil.testClient.request({
      method: 'eth_getTransactionCount',
      params: [wallet, 'latest'],
    } as never)
    expect(Number(sent as string)).toBe(300)
    const after = BigInt(
      (await anvil.testClient.request({
        method: 'eth_getBalance',
        params: [payee, 'latest'],
      } as never)) as string,
    )
    expect(after - before).toBe(300n * amount)
  }, 180_000)
})
