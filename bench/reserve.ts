/**
 * Decide-and-reserve on PostgreSQL: the policy decision transaction alone (agent lock, usage, evaluation, intent,
 * reservation, events, audit), called in process by 64 concurrent clients — no HTTP, no RPC.
 *
 *   npx tsx bench/reserve.ts [--n 20000] [--clients 64] [--agents 16]
 */
import { parseArgs } from 'node:util'
import { decideAndReserve } from '@bursar/server/intents'
import { prepareIntent } from '@bursar/server/prepare'
import { getWallet } from '@bursar/store'
import { runConcurrently, startBenchStack } from './benchStack.ts'
import { percentile } from './percentile.ts'

export async function main(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: { n: { type: 'string' }, clients: { type: 'string' }, agents: { type: 'string' } },
    strict: false,
  })
  const n = Number(values.n ?? 20_000)
  const clients = Number(values.clients ?? 64)
  const agentCount = Number(values.agents ?? 16)
  const { bursar, close } = await startBenchStack({ executor: false })
  try {
    const policy = {
      recipients: { deny: ['0x000000000000000000000000000000000000dEaD'] },
      limits: {
        perTransaction: [{ asset: 'anvil:native', max: '1000000000000000000' }],
        windows: [
          { window: '1h', asset: 'anvil:native', max: '100000000000000000000000' },
          { window: '24h', asset: 'anvil:native', max: '1000000000000000000000000' },
          { window: '7d', asset: 'anvil:native', max: '10000000000000000000000000' },
        ],
      },
      rateLimits: [{ window: '1m', max: 10_000_000 }],
    }
    const agents: Array<Awaited<ReturnType<typeof bursar.createAgent>>> = []
    for (let i = 0; i < agentCount; i++)
      agents.push(await bursar.createAgent({ name: `reserve-${i}`, policy }))
    const request = {
      type: 'transfer' as const,
      network: 'anvil',
      to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      amount: '1000',
    }
    // A plain transfer's fee ceiling at 10 gwei, as the simulation would size it.
    const gasLimit = 25_200n
    const maxFee = gasLimit * 10n ** 10n
    const prepared = agents.map((agent) => {
      const intent = prepareIntent(bursar.ctx, agent.agentId, request)
      const tx = { ...(intent.tx as Record<string, string>), gas: gasLimit.toString() }
      return { ...intent, tx, effective: intent.entry.adapter.withFee(intent.effective, maxFee) }
    })
    const wallets = await Promise.all(agents.map((agent) => getWallet(bursar.ctx.db, agent.walletId)))
    const started = performance.now()
    const latencies = await runConcurrently(n, clients, async (i) => {
      const agent = agents[i % agents.length]!
      await decideAndReserve(bursar.ctx, {
        agentId: agent.agentId,
        wallet: wallets[i % agents.length]!,
        request,
        prepared: prepared[i % agents.length]!,
        maxFee,
        requestHash: 'bench',
        idempotencyKey: null,
      })
    })
    const elapsed = performance.now() - started
    const result = {
      bench: 'reserve',
      n,
      clients,
      agents: agentCount,
      database: 'postgres',
      decisions_per_s: Math.round((n / elapsed) * 1000),
      p50_ms: Number(percentile(latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    }
    console.log(JSON.stringify(result))
    return result
  } finally {
    await close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
