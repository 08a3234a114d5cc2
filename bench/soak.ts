/**
 * The soak of issue 10: sustained, open-loop mixed load through two API and two executor processes sharing one
 * PostgreSQL and one anvil — native transfers of distinct amounts over four agents, a share of them cancelled just
 * after submission, and dry-runs — optionally while a crash injector SIGKILLs executors (an outside killer every few
 * seconds, and self-kills at the execution path's fault points) and a supervisor restarts them. Once every accepted
 * intent is final, the chain itself is read: lost = an intent Bursar confirmed that paid nothing (or one that never
 * finished), duplicated = a transfer beyond what Bursar's records account for (a confirmed intent paid twice, a
 * cancelled or failed one paid at all). Prints one JSON line; exits non-zero when anything was lost or duplicated.
 *
 *   npx tsx bench/soak.ts [--minutes 5] [--rate 20] [--crash]
 *
 * The HTTP budgets (6,000 requests/min per API key, 12,000 per source address, counted per process without Redis)
 * are far above the default load (about 5 requests/s per agent key, 11 per API process); past about 350 offered/s
 * the per-key budget of the four agents starts answering 429, counted as not accepted.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createDb, type Db, insertOrganisationWithToken, listIntentEvents, migrate } from '@bursar/store'
import { listIntentRows } from '@bursar/store/test-support'
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { createTestDatabaseUrl } from '@bursar/testing/database'
import { type BursarProcess, startBursarProcess } from '@bursar/testing/processes'
import { createPublicClient, http } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { percentile } from './percentile.ts'

const finalStatuses = new Set(['confirmed', 'failed', 'cancelled', 'rejected', 'denied', 'expired'])
// As in the crash test: at each fault point of the execution path (once per batch an executor works on), the chance
// that the executor kills itself there.
const faults = { before_broadcast: 0.01, after_broadcast: 0.01, before_settle: 0.01 }
// As in the crash test: a killed executor's claimed rows come back in seconds.
const crashExecutorConfig = { broadcastLeaseSeconds: 2, rebroadcastAfterSeconds: 2, replaceAfterSeconds: 30 }
const policy = {
  limits: {
    perTransaction: [{ asset: 'anvil:native', max: '1000000000000000' }],
    windows: [{ window: '24h', asset: 'anvil:native', max: '1000000000000000000000' }],
  },
  rateLimits: [{ window: '1m', max: 1_000_000 }],
}
const drainLimitMs = 5 * 60_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function main(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: { minutes: { type: 'string' }, rate: { type: 'string' }, crash: { type: 'boolean' } },
    strict: false,
  })
  const minutes = Number(values.minutes ?? 5)
  const rate = Number(values.rate ?? 20)
  const crash = values.crash === true
  // A fresh address: everything it holds was paid by the intents.
  const recipient = privateKeyToAccount(generatePrivateKey()).address

  let anvil: TestAnvil | undefined
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> | undefined
  let db: Db | undefined
  const api: BursarProcess[] = []
  const executors: Array<BursarProcess | undefined> = [undefined, undefined]
  // Every process ever started and every start under way: none may outlive the run.
  const everyProcess: BursarProcess[] = []
  const starting = new Set<Promise<void>>()
  const killedByUs = new Set<BursarProcess>()
  const kills = { outside: 0, self: 0, restarts: 0 }
  const boots: number[] = []
  // Seconds sampled with 0, 1 or 2 executors running.
  const upSeconds: Record<number, number> = {}
  let supervising = true
  let killing = crash
  let killer: Promise<void> | undefined
  let sampler: NodeJS.Timeout | undefined
  let rssMaxKiB = 0
  // Per role: the largest sample in each minute since the load began, to tell growth from a steady footprint.
  const roleRssKiB = { api: [] as number[], executor: [] as number[] }
  let sampling = 0
  const kill = (p: BursarProcess) => {
    killedByUs.add(p)
    return p.kill()
  }

  const startExecutor = (slot: number): Promise<void> => {
    const booting = performance.now()
    const start = startBursarProcess({
      databaseUrl: database!.url,
      networks: [anvil!.network],
      executor: true,
      ...(crash ? { faults, executorConfig: crashExecutorConfig } : {}),
    }).then((started) => {
      boots.push((performance.now() - booting) / 1000)
      everyProcess.push(started)
      executors[slot] = started
      // Restart whatever dies, whoever killed it.
      void started.exited.then(() => {
        if (executors[slot] !== started) return
        executors[slot] = undefined
        if (!killedByUs.has(started)) kills.self++
        if (!supervising) return
        kills.restarts++
        void startExecutor(slot).catch(() => {})
      })
    })
    starting.add(start)
    void start
      .finally(() => starting.delete(start))
      .catch(async () => {
        // A start that failed (killed while booting, say) is tried again while the run supervises.
        await sleep(1000)
        if (supervising && executors[slot] === undefined) void startExecutor(slot).catch(() => {})
      })
    return start
  }

  try {
    anvil = await startTestAnvil()
    database = await createTestDatabaseUrl()
    db = await createDb({ kind: 'postgres', url: database.url })
    await migrate(db)
    // One process first, so the master seed is created once; then the rest together.
    api.push(
      await startBursarProcess({ databaseUrl: database.url, networks: [anvil.network], executor: false }),
    )
    await Promise.all([
      startBursarProcess({ databaseUrl: database.url, networks: [anvil.network], executor: false }).then(
        (p) => {
          api.push(p)
        },
      ),
      startExecutor(0),
      startExecutor(1),
    ])

    const { token } = await db.transaction((tx) => insertOrganisationWithToken(tx, 'soak owner'))
    const agents: Array<{ apiKey: string; address: `0x${string}` }> = []
    for (let i = 0; i < 4; i++) {
      const created = await request(api[0]!.url, token, 'POST', '/v1/agents', { name: `soak-${i}`, policy })
      if (created.status !== 201)
        throw new Error(`creating an agent: ${created.status} ${JSON.stringify(created.body)}`)
      const body = created.body as {
        agent: { wallets: Array<{ address: `0x${string}` }> }
        api_key: { secret: string }
      }
      const address = body.agent.wallets[0]!.address
      await anvil.testClient.setBalance({ address, value: 10n ** 21n })
      agents.push({ apiKey: body.api_key.secret, address })
    }

    // RSS of each Bursar process (with its children, should it ever have any), once a second.
    sampling = performance.now()
    sampler = setInterval(() => {
      const up = executors.filter((p) => p !== undefined).length
      upSeconds[up] = (upSeconds[up] ?? 0) + 1
      for (const p of [...api, ...executors]) {
        if (p?.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) continue
        const rss = treeRssKiB(p.child.pid)
        rssMaxKiB = Math.max(rssMaxKiB, rss)
        const role = roleRssKiB[api.includes(p) ? 'api' : 'executor']
        const minute = Math.floor((performance.now() - sampling) / 60_000)
        role[minute] = Math.max(role[minute] ?? 0, rss)
      }
    }, 1000)

    // The outside killer: every 2–5 s, one of the running executors dies (SIGKILL), wherever it was —
    // never the last one running, so that the load meets rolling crashes rather than an executor-less system while a
    // restart boots (seconds: tsx compiles the server at every start). Self-kills may still take both down.
    if (crash) {
      killer = (async () => {
        while (killing) {
          await sleep(2000 + Math.random() * 3000)
          const running = executors.filter((p): p is BursarProcess => p !== undefined)
          const victim = running.length > 1 ? running[Math.floor(Math.random() * running.length)] : undefined
          if (victim && killing) {
            kills.outside++
            await kill(victim)
          }
        }
      })()
    }

    // Open loop: operation k is offered at k / rate seconds, whether or not earlier ones have been answered. Of
    // every ten: one dry-run, nine transfers of which one is cancelled as soon as it is accepted.
    const accepted: string[] = []
    const latencies: number[] = []
    const counts = {
      offered: 0,
      rejected_http: 0,
      dry_runs: 0,
      dry_run_errors: 0,
      cancels: 0,
      cancel_answers: {} as Record<string, number>,
    }
    const offer = async (k: number) => {
      const agent = agents[k % agents.length]!
      const url = api[k % api.length]!.url
      const intent = { type: 'transfer', network: 'anvil', to: recipient, amount: String(1_000_000 + k) }
      if (k % 10 === 9) {
        counts.dry_runs++
        const answer = await request(url, agent.apiKey, 'POST', '/v1/intents/dry-run', intent)
        if (answer.status !== 200) counts.dry_run_errors++
        return
      }
      const t0 = performance.now()
      const answer = await request(url, agent.apiKey, 'POST', '/v1/intents', intent)
      latencies.push(performance.now() - t0)
      if (answer.status !== 201) {
        counts.rejected_http++
        return
      }
      const id = (answer.body as { id: string }).id
      accepted.push(id)
      if (k % 10 === 4) {
        counts.cancels++
        // Through the other API process: it must see what the first one committed.
        const cancel = await request(
          api[(k + 1) % api.length]!.url,
          agent.apiKey,
          'POST',
          `/v1/intents/${id}/cancel`,
        )
        const key =
          cancel.status === 200 ? String((cancel.body as { status: string }).status) : String(cancel.status)
        counts.cancel_answers[key] = (counts.cancel_answers[key] ?? 0) + 1
      }
    }
    const inFlight = new Set<Promise<void>>()
    const interval = 1000 / rate
    const loadStarted = performance.now()
    const loadEnds = loadStarted + minutes * 60_000
    for (let k = 0; performance.now() < loadEnds; ) {
      const due = Math.floor((performance.now() - loadStarted) / interval)
      for (; k <= due; k++) {
        counts.offered++
        const operation = offer(k)
        inFlight.add(operation)
        void operation.finally(() => inFlight.delete(operation))
      }
      await sleep(Math.max(1, loadStarted + k * interval - performance.now()))
    }
    await Promise.all([...inFlight])
    const loadSeconds = (performance.now() - loadStarted) / 1000
    latencies.sort((a, b) => a - b)

    // The killer stops with the load; the supervisor keeps restarting (self-kills go on) until all is final.
    killing = false
    await killer
    const drainStarted = performance.now()
    const unfinished = async () =>
      (await listIntentRows(db!, ['id', 'status'], {})).filter((row) => !finalStatuses.has(row.status))
    while ((await unfinished()).length > 0 && performance.now() - drainStarted < drainLimitMs)
      await sleep(500)
    const drainSeconds = (performance.now() - drainStarted) / 1000
    supervising = false
    await Promise.allSettled([...starting])
    clearInterval(sampler)
    await Promise.allSettled([...api, ...everyProcess].map(kill))

    // Bursar's records, then the chain's: every block, every transaction from the agents' wallets by what it paid.
    const rows = await listIntentRows(
      db,
      [
        'id',
        'status',
        'amount',
        'fills_for',
        'cancel_requested_at',
        'nonce',
        'wallet_id',
        'error',
        'created_at',
        'updated_at',
      ],
      {},
    )
    const client = createPublicClient({ transport: http(anvil.rpcUrl, { batch: true }) })
    const head = await client.getBlockNumber()
    const wallets = new Set(agents.map((agent) => agent.address.toLowerCase()))
    const paid = new Map<bigint, number>()
    let zeroValue = 0
    for (let from = 1n; from <= head; from += 100n) {
      const blocks = await Promise.all(
        Array.from({ length: Number(head - from + 1n < 100n ? head - from + 1n : 100n) }, (_, i) =>
          client.getBlock({ blockNumber: from + BigInt(i), includeTransactions: true }),
        ),
      )
      for (const tx of blocks.flatMap((block) => block.transactions)) {
        if (!wallets.has(tx.from.toLowerCase())) continue
        if (tx.value === 0n) zeroValue++
        else paid.set(tx.value, (paid.get(tx.value) ?? 0) + 1)
      }
    }

    const byId = new Map(rows.map((row) => [row.id, row]))
    const statuses: Record<string, number> = {}
    const problems: unknown[] = []
    let lost = 0
    let duplicated = 0
    for (const id of accepted) {
      if (!byId.has(id)) {
        lost++
        problems.push({ id, problem: 'accepted but not in the database' })
      }
    }
    const accounted = new Set<bigint>()
    for (const row of rows) {
      statuses[row.status] = (statuses[row.status] ?? 0) + 1
      const amount = BigInt(row.amount)
      if (amount === 0n) continue
      accounted.add(amount)
      const times = paid.get(amount) ?? 0
      const expected = row.status === 'confirmed' ? 1 : 0
      if (!finalStatuses.has(row.status)) {
        lost++
        problems.push({ ...row, paid: times, problem: 'not final' })
      } else if (times < expected) {
        lost++
        problems.push({ ...row, paid: times, problem: 'confirmed, never paid' })
      } else if (times > expected) {
        duplicated += times - expected
        problems.push({ ...row, paid: times, problem: `${row.status}, paid ${times}×` })
      }
    }
    for (const [amount, times] of paid) {
      if (accounted.has(amount)) continue
      duplicated += times
      problems.push({ amount: String(amount), paid: times, problem: 'paid, no intent of this amount' })
    }

    // How long intents took from submission to their final status, per status, and the slowest ones' histories.
    const settle: Record<string, { p50: number; p99: number; max: number }> = {}
    const slowest: Record<string, unknown> = {}
    for (const status of new Set(rows.map((row) => row.status))) {
      const ofStatus = rows
        .filter((row) => row.status === status)
        .map((row) => ({
          id: row.id,
          created: row.created_at,
          seconds: (row.updated_at.getTime() - row.created_at.getTime()) / 1000,
        }))
        .sort((a, b) => a.seconds - b.seconds)
      const seconds = ofStatus.map((entry) => entry.seconds)
      settle[status] = {
        p50: Number(percentile(seconds, 50).toFixed(2)),
        p99: Number(percentile(seconds, 99).toFixed(2)),
        max: Number((seconds[seconds.length - 1] ?? 0).toFixed(2)),
      }
      const last = ofStatus[ofStatus.length - 1]
      if (last === undefined) continue
      slowest[status] = {
        id: last.id,
        events: (await listIntentEvents(db, last.id)).map((event) => ({
          to: event.to_status,
          after_s: Number(((event.created_at.getTime() - last.created.getTime()) / 1000).toFixed(2)),
          data: event.data,
        })),
      }
    }

    const result = {
      bench: 'soak',
      crash,
      minutes,
      intents: accepted.length,
      confirmed_per_s: Number(((statuses.confirmed ?? 0) / loadSeconds).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      lost,
      duplicated,
      rss_mb_max: Math.round(rssMaxKiB / 1024),
    }
    // What the line does not say, for whoever reads the run: on stderr, so stdout stays one line per benchmark.
    console.error(
      JSON.stringify({
        soak: crash ? 'crash' : 'steady',
        rate,
        ...counts,
        p50_ms: Number(percentile(latencies, 50).toFixed(1)),
        p95_ms: Number(percentile(latencies, 95).toFixed(1)),
        statuses,
        zero_value_transactions: zeroValue,
        rss_mb_by_minute: {
          api: roleRssKiB.api.map((kib) => Math.round(kib / 1024)),
          executor: roleRssKiB.executor.map((kib) => Math.round(kib / 1024)),
        },
        settle_s: settle,
        slowest,
        drain_s: Number(drainSeconds.toFixed(1)),
        blocks: Number(head),
        ...(crash
          ? {
              kills: {
                ...kills,
                boot_s_mean: Number((boots.reduce((a, b) => a + b, 0) / boots.length).toFixed(1)),
                boot_s_max: Number(Math.max(...boots).toFixed(1)),
                seconds_with_executors_up: upSeconds,
              },
            }
          : {}),
        problems: problems.slice(0, 20),
      }),
    )
    console.log(JSON.stringify(result))
    if (lost > 0 || duplicated > 0) process.exitCode = 1
    return result
  } finally {
    supervising = false
    killing = false
    clearInterval(sampler)
    await Promise.allSettled([killer, ...starting])
    await Promise.allSettled([...api, ...everyProcess].map(kill))
    await db?.close().catch(() => {})
    await database?.drop().catch((error: unknown) => console.error('dropping the soak database:', error))
    await anvil?.stop().catch(() => {})
  }
}

async function request(url: string, token: string, method: string, path: string, body?: unknown) {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    })
    return { status: response.status, body: (await response.json()) as unknown }
  } catch (error) {
    // No answer (timed out, connection refused): status 0, counted as not accepted.
    return { status: 0, body: { error: String(error) } }
  }
}

/** The pid and every descendant's (from /proc), children after their parent; empty once the process is gone. */
function processTree(pid: number): number[] {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const children = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim()
        if (children !== '') tree.push(...children.split(' ').map(Number))
      }
    } catch {
      if (i === 0) return []
    }
  }
  return tree
}

/** The resident set of a process and its descendants, in KiB. */
function treeRssKiB(pid: number): number {
  let total = 0
  for (const member of processTree(pid)) {
    try {
      const line = readFileSync(`/proc/${member}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)
      total += Number(line?.[1] ?? 0)
    } catch {
      // Gone between listing and reading.
    }
  }
  return total
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
