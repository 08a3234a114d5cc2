/**
 * N transfer intents through the HTTP API to anvil with PostgreSQL, at a chosen concurrency.
 * Prints one JSON line; accepted = HTTP response received, confirmed = receipt at the configured depth.
 *
 *   npx tsx bench/intents.ts [--n 2000] [--concurrency 64] [--agents 8]
 */
import { parseArgs } from 'node:util'
import { countIntents } from '@bursar/store'
import { runConcurrently, startBenchStack } from './benchStack.ts'
import { percentile } from './percentile.ts'

export async function main(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: { n: { type: 'string' }, concurrency: { type: 'string' }, agents: { type: 'string' } },
    strict: false,
  })
  const n = Number(values.n ?? 2000)
  const concurrency = Number(values.concurrency ?? 64)
  const agentCount = Number(values.agents ?? 8)
  const { anvil, t, bursar, close } = await startBenchStack({ executor: process.env.BENCH_EXECUTOR !== '0' })
  try {
    const agents: Array<Awaited<ReturnType<typeof bursar.createAgent>>> = []
    for (let i = 0; i < agentCount; i++) {
      const agent = await bursar.createAgent({
        name: `bench-${i}`,
        policy: {
          limits: {
            perTransaction: [{ asset: 'anvil:native', max: '1000000000000000' }],
            windows: [{ window: '24h', asset: 'anvil:native', max: '1000000000000000000000' }],
          },
          rateLimits: [{ window: '1m', max: 1_000_000 }],
        },
      })
      await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 21n })
      agents.push(agent)
    }
    const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
    let failures = 0
    const started = performance.now()
    const latencies = await runConcurrently(n, concurrency, async (i) => {
      const agent = agents[i % agents.length]!
      const response = await fetch(`${bursar.url}/v1/intents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'transfer', network: 'anvil', to: recipient, amount: String(1000 + i) }),
      })
      await response.arrayBuffer()
      if (response.status !== 201) failures++
    })
    const acceptedAt = performance.now()
    for (;;) {
      const done = await countIntents(t.db, ['confirmed', 'failed'])
      if (done >= n - failures || process.env.BENCH_EXECUTOR === '0') break
      if (performance.now() - started > 15 * 60_000) throw new Error(`only ${done} of ${n} intents finished`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const confirmedAt = performance.now()
    const failed = await countIntents(t.db, ['failed'])
    const result = {
      bench: 'intents',
      n,
      concurrency,
      agents: agentCount,
      database: 'postgres',
      accepted_per_s: Math.round((n / (acceptedAt - started)) * 1000),
      confirmed_per_s: Math.round((n / (confirmedAt - started)) * 1000),
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p95_ms: Number(percentile(latencies, 95).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      rejected_http: failures,
      failed_onchain: failed,
    }
    console.log(JSON.stringify(result))
    return result
  } finally {
    await close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
