/**
 * The crash test: 500 intents through three executor processes that are killed (SIGKILL) at random — by an outside
 * killer at any moment, and by themselves at the execution path's worst points (signed but not sent, sent but not
 * recorded, settling) — and restarted each time, with two API processes taking the intents. Afterwards the chain
 * itself is read: every intent paid exactly once, no nonce gap, nothing else sent from the wallets; every intent
 * confirmed exactly once in Bursar's records, every reservation accounted for, the audit chain intact. Then a
 * graceful shutdown (SIGTERM) under load, which must lose nothing either.
 */
import { createDb, type Db, insertOrganisationWithToken, migrate, verifyAuditLog } from '@bursar/store'
import {
  listAuditRows,
  listBucketDrift,
  listIntentRows,
  listReservationRows,
} from '@bursar/store/test-support'
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { createTestDatabaseUrl } from '@bursar/testing/database'
import { type BursarProcess, startBursarProcess } from '@bursar/testing/processes'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

// A fresh address: its balance is exactly what the intents paid.
const recipient = privateKeyToAccount(generatePrivateKey()).address
const intents = 500
const minimumKills = 20
// Amounts are distinct per intent, so the chain tells which intent each transfer paid.
const amountOf = (i: number) => 1_000_000n + BigInt(i)
const faults = { before_broadcast: 0.01, after_broadcast: 0.01, before_settle: 0.01 }
// Short leases and rebroadcasts: a killed executor's claimed rows come back in seconds, not half a minute.
// Few connections per process: five or more processes at once (and another test file's) stay under PostgreSQL's 100.
const maxConnections = 4
const executorConfig = { broadcastLeaseSeconds: 2, rebroadcastAfterSeconds: 2, replaceAfterSeconds: 30 }

async function request(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as any }
}

describe('crash: intents through executor processes killed at random (PostgreSQL, anvil)', () => {
  let anvil: TestAnvil
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>
  let db: Db
  const api: BursarProcess[] = []
  const executors: Array<BursarProcess | undefined> = [undefined, undefined, undefined]
  let supervising = true
  const kills = { outside: 0, total: 0 }

  // Every process ever started, and every start under way: none may outlive the test.
  const everyProcess: BursarProcess[] = []
  const starting = new Set<Promise<void>>()
  const startExecutor = (slot: number): Promise<void> => {
    const start = startBursarProcess({
      databaseUrl: database.url,
      networks: [anvil.network],
      executor: true,
      faults,
      executorConfig,
      maxConnections,
    }).then((started) => {
      everyProcess.push(started)
      executors[slot] = started
      // Restart whatever dies, whoever killed it, for as long as the test supervises.
      void started.exited.then(({ signal }) => {
        if (signal === 'SIGKILL' && executors[slot] === started) {
          kills.total++
          executors[slot] = undefined
          if (supervising) void startExecutor(slot).catch(() => {})
        }
      })
    })
    starting.add(start)
    void start.finally(() => starting.delete(start)).catch(() => {})
    return start
  }

  beforeAll(async () => {
    anvil = await startTestAnvil()
    database = await createTestDatabaseUrl()
    db = await createDb({ kind: 'postgres', url: database.url })
    await migrate(db)
    // One process first, so the master seed is created once.
    api.push(
      await startBursarProcess({
        databaseUrl: database.url,
        networks: [anvil.network],
        executor: false,
        maxConnections,
      }),
    )
    api.push(
      await startBursarProcess({
        databaseUrl: database.url,
        networks: [anvil.network],
        executor: false,
        maxConnections,
      }),
    )
  }, 120_000)
  afterAll(async () => {
    supervising = false
    await Promise.allSettled([...starting])
    await Promise.all([...api, ...everyProcess].map((p) => p.kill()))
    await db?.close()
    await database?.drop()
    await anvil?.stop()
  })

  test('500 intents, at least 20 kills: each paid exactly once, no nonce gap, everything accounted for', async () => {
    const { token } = await db.transaction((tx) => insertOrganisationWithToken(tx, 'crash owner'))
    const agents: Array<{ id: string; apiKey: string; address: string }> = []
    for (const name of ['crash-a', 'crash-b']) {
      const created = await request(api[0]!.url, token, 'POST', '/v1/agents', { name, policy: {} })
      expect(created.status).toBe(201)
      const address: string = created.body.agent.wallets[0].address
      await anvil.testClient.setBalance({ address: address as `0x${string}`, value: 10n ** 20n })
      agents.push({ id: created.body.agent.id, apiKey: created.body.api_key.secret, address })
    }
    await Promise.all([0, 1, 2].map(startExecutor))

    // The outside killer: every 0.3–1.1 s, one running executor dies, wherever it was.
    let killing = true
    const killer = (async () => {
      while (killing) {
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 800))
        const running = executors.filter((p): p is BursarProcess => p !== undefined)
        const victim = running[Math.floor(Math.random() * running.length)]
        if (victim) {
          kills.outside++
          await victim.kill()
        }
      }
    })()

    // Intents arrive in waves while executors die, through both API processes, for both wallets.
    const ids: string[] = []
    for (let wave = 0; wave < 20; wave++) {
      const batch = await Promise.all(
        Array.from({ length: intents / 20 }, async (_, k) => {
          const i = wave * (intents / 20) + k
          const agent = agents[i % 2]!
          const response = await request(api[i % 2]!.url, agent.apiKey, 'POST', '/v1/intents', {
            type: 'transfer',
            network: 'anvil',
            to: recipient,
            amount: amountOf(i).toString(),
          })
          if (response.status !== 201)
            console.log(JSON.stringify(response.body), api[i % 2]!.output().slice(-3000))
          expect(response.status).toBe(201)
          return response.body.id as string
        }),
      )
      ids.push(...batch)
      // At least one kill per wave, so the kills are spread over the whole run, not bunched at its start.
      for (let waited = 0; kills.outside <= wave && waited < 300; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }

    const finalCount = async () =>
      (await listIntentRows(db, ['status'], {})).filter(
        (row) => row.status === 'confirmed' || row.status === 'failed',
      ).length
    for (let waited = 0; waited < 600 && (await finalCount()) < intents; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      if (kills.outside >= minimumKills * 2) killing = false
    }
    killing = false
    await killer
    supervising = false
    await Promise.allSettled([...starting])
    for (const slot of [0, 1, 2]) await executors[slot]?.stop()

    // Deaths the processes chose themselves (at the fault points) come on top of these.
    expect(kills.outside).toBeGreaterThanOrEqual(minimumKills)

    // Bursar's records: every intent confirmed, exactly once, at consecutive nonces per wallet.
    const rows = await listIntentRows(db, ['id', 'status', 'nonce', 'wallet_id', 'amount', 'tx_hash'], {})
    expect(rows).toHaveLength(intents)
    const unfinished = rows.filter((row) => row.status !== 'confirmed')
    if (unfinished.length > 0) {
      const detail = await listIntentRows(
        db,
        ['id', 'status', 'nonce', 'wallet_id', 'error', 'attempts', 'next_attempt_at'],
        {
          ids: unfinished.slice(0, 5).map((row) => row.id),
        },
      )
      console.log(
        JSON.stringify({
          unfinished: unfinished.length,
          statuses: [...new Set(unfinished.map((r) => r.status))],
          detail,
        }),
      )
    }
    expect(unfinished).toEqual([])
    for (const walletId of new Set(rows.map((row) => row.wallet_id))) {
      const nonces = rows
        .filter((row) => row.wallet_id === walletId)
        .map((row) => row.nonce!)
        .sort((a, b) => a - b)
      expect(nonces).toEqual(nonces.map((_, i) => i))
    }
    const confirmedEntries = await listAuditRows(db, { actions: ['intent.confirmed'] })
    expect(confirmedEntries).toHaveLength(intents)
    expect(new Set(confirmedEntries.map((entry) => entry.subject_id)).size).toBe(intents)

    // The chain's records: every block read, every transaction from the wallets counted by what it paid.
    const client = createPublicClient({ transport: http(anvil.rpcUrl) })
    const head = await client.getBlockNumber()
    const wallets = new Set(agents.map((agent) => agent.address.toLowerCase()))
    const paid = new Map<bigint, number>()
    let fromWallets = 0
    for (let n = 1n; n <= head; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true })
      for (const tx of block.transactions) {
        if (!wallets.has(tx.from.toLowerCase())) continue
        fromWallets++
        paid.set(tx.value, (paid.get(tx.value) ?? 0) + 1)
      }
    }
    expect(fromWallets).toBe(intents)
    for (let i = 0; i < intents; i++) expect(paid.get(amountOf(i))).toBe(1)
    for (const agent of agents) {
      expect(await client.getTransactionCount({ address: agent.address as `0x${string}` })).toBe(intents / 2)
    }
    expect(await client.getBalance({ address: recipient })).toBe(
      Array.from({ length: intents }, (_, i) => amountOf(i)).reduce((a, b) => a + b, 0n),
    )

    // Reservations: each intent's value committed exactly, each fee committed at what the chain charged.
    for (const row of rows.slice(0, 50)) {
      const reservations = await listReservationRows(db, ['kind', 'status', 'amount'], { intentId: row.id })
      expect(reservations.find((r) => r.kind === 'spend')).toEqual({
        kind: 'spend',
        status: 'committed',
        amount: row.amount,
      })
      const receipt = await client.getTransactionReceipt({ hash: row.tx_hash as `0x${string}` })
      expect(reservations.find((r) => r.kind === 'fee')).toEqual({
        kind: 'fee',
        status: 'committed',
        amount: (receipt.gasUsed * receipt.effectiveGasPrice).toString(),
      })
    }
    const pending = (await listReservationRows(db, ['status'], {})).filter((r) => r.status === 'reserved')
    expect(pending).toEqual([])
    // The rolling-window buckets (totals and fee parts) still sum exactly what the reservations hold.
    expect(await listBucketDrift(db)).toEqual([])

    const checkpoint = await request(api[0]!.url, token, 'GET', '/v1/audit/checkpoint')
    const verified = await verifyAuditLog(db, { trustedKey: checkpoint.body.public_key })
    expect(verified).toMatchObject({ ok: true })
  }, 600_000)

  test('graceful shutdown under load: executors stopped with SIGTERM mid-run lose nothing; another finishes the work', async () => {
    const { token } = await db.transaction((tx) => insertOrganisationWithToken(tx, 'shutdown owner'))
    const created = await request(api[0]!.url, token, 'POST', '/v1/agents', { name: 'shutdown', policy: {} })
    expect(created.status).toBe(201)
    const apiKey: string = created.body.api_key.secret
    await anvil.testClient.setBalance({ address: created.body.agent.wallets[0].address, value: 10n ** 20n })
    const running = await Promise.all(
      [0, 1].map(() =>
        startBursarProcess({
          databaseUrl: database.url,
          networks: [anvil.network],
          executor: true,
          executorConfig,
          maxConnections,
        }),
      ),
    )
    everyProcess.push(...running)
    const ids = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const response = await request(api[i % 2]!.url, apiKey, 'POST', '/v1/intents', {
          type: 'transfer',
          network: 'anvil',
          to: recipient,
          amount: '7',
        })
        expect(response.status).toBe(201)
        return response.body.id as string
      }),
    )
    // Both stop while they work: each finishes the step it is in and exits on its own (code 0, no signal).
    const exits = await Promise.all(running.map(async (p) => (await Promise.all([p.stop(), p.exited]))[1]))
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ])
    const successor = await startBursarProcess({
      databaseUrl: database.url,
      networks: [anvil.network],
      executor: true,
      executorConfig,
      maxConnections,
    })
    everyProcess.push(successor)
    try {
      const done = async () =>
        (await listIntentRows(db, ['status'], { ids })).filter((row) => row.status === 'confirmed').length
      for (let waited = 0; waited < 240 && (await done()) < ids.length; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      expect(await done()).toBe(ids.length)
      const nonces = (await listIntentRows(db, ['nonce'], { ids }))
        .map((row) => row.nonce!)
        .sort((a, b) => a - b)
      expect(nonces).toEqual(nonces.map((_, i) => i))
    } finally {
      await successor.stop()
    }
  }, 300_000)
})
