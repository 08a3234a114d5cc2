/** Confirmer: follows broadcast transactions to the configured depth; rebroadcasts ones the node has forgotten. */
import {
  appendAudit,
  type IntentRow,
  listDueIntents,
  type NewAuditEntry,
  scheduleIntents,
  settleMined,
  transitionIntent,
} from '@bursar/store'
import { checkFailureSignal } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { currentCompiledPolicy } from '../intents/decideIntent.ts'
import { failIntent } from './failIntent.ts'

// A transaction the node does not know after this long is sent again (mempool eviction, node restart).
const rebroadcastAfterMs = 15_000
const concurrency = 16
// Intents looked at per pass.
const batchSize = 500

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        results[i] = await fn(items[i]!)
      }
    }),
  )
  return results
}

export async function confirmBroadcast(ctx: ServerContext): Promise<number> {
  const rows = await listDueIntents(ctx.db, 'broadcast', batchSize)
  if (rows.length === 0) return 0
  const heads = new Map<string, bigint>()
  for (const network of new Set(rows.map((row) => row.network))) {
    const entry = ctx.networks.get(network)
    if (!entry) continue
    try {
      heads.set(network, await entry.adapter.getBlockNumber())
    } catch {
      ctx.metrics.rpcErrors.inc({ network })
    }
  }
  type Outcome =
    | {
        row: IntentRow
        kind: 'confirmed' | 'reverted'
        blockNumber: bigint
        feePaid: bigint
      }
    | { row: IntentRow; kind: 'wait' }
  const outcomes = await mapLimit(rows, concurrency, async (row): Promise<Outcome> => {
    const entry = ctx.networks.get(row.network)
    const head = heads.get(row.network)
    if (!entry || head === undefined) return { row, kind: 'wait' }
    try {
      const receipt = await entry.adapter.getReceipt(row.tx_hash as string)
      if (!receipt) {
        if (Date.now() - row.updated_at.getTime() > rebroadcastAfterMs) {
          const known = await entry.adapter.isKnown(row.tx_hash as string)
          // A tripped breaker stops sending, resending included; following what is already out goes on.
          if (!known && !row.halted) await entry.adapter.broadcast(row.raw_tx as string).catch(() => {})
        }
        return { row, kind: 'wait' }
      }
      const depth = head - receipt.blockNumber + 1n
      if (depth < BigInt(entry.adapter.network.confirmations)) return { row, kind: 'wait' }
      return {
        row,
        kind: receipt.status === 'success' ? 'confirmed' : 'reverted',
        blockNumber: receipt.blockNumber,
        feePaid: receipt.feePaid,
      }
    } catch {
      ctx.metrics.rpcErrors.inc({ network: row.network })
      return { row, kind: 'wait' }
    }
  })
  const done = outcomes.filter((outcome) => outcome.kind !== 'wait')
  const waiting = outcomes.filter((outcome) => outcome.kind === 'wait')
  await ctx.db.transaction(async (tx) => {
    const audit: NewAuditEntry[] = []
    const settled: Array<{ intentId: string; paid: bigint; reverted: boolean }> = []
    for (const outcome of done) {
      const blockNumber = Number(outcome.blockNumber)
      if (outcome.kind === 'reverted') {
        // The nonce was used and the gas paid (the fee stays spent, trued up); the value never moved: released.
        const failed = await failIntent(
          tx,
          outcome.row.id,
          ['broadcast'],
          { code: 'ONCHAIN_REVERTED', message: 'the transaction was mined but reverted' },
          { release: false, patch: { block_number: blockNumber } },
        )
        if (!failed) continue
        settled.push({ intentId: outcome.row.id, paid: outcome.feePaid, reverted: true })
        await checkFailureSignal(ctx, tx, {
          agentId: outcome.row.agent_id,
          policy: await currentCompiledPolicy(ctx, tx, outcome.row.agent_id),
        })
        continue
      }
      const moved = await transitionIntent(tx, outcome.row.id, ['broadcast'], 'confirmed', {
        block_number: blockNumber,
      })
      if (!moved) continue
      // What the network really charged replaces the ceiling reserved for the fee.
      settled.push({ intentId: outcome.row.id, paid: outcome.feePaid, reverted: false })
      audit.push({
        actor: { type: 'system', id: null },
        action: 'intent.confirmed',
        subject: { type: 'intent', id: outcome.row.id },
        data: {
          tx_hash: outcome.row.tx_hash,
          block_number: blockNumber,
          fee_paid: outcome.feePaid.toString(),
        },
      })
    }
    await appendAudit(tx, audit)
    // Last, in one statement: the spend buckets are hot rows that intake writes too.
    await settleMined(tx, settled)
    // Look at unfinished ones again shortly, not in a hot loop.
    await scheduleIntents(
      tx,
      waiting.map((outcome) => outcome.row.id),
      new Date(Date.now() + 500),
      { onlyIf: 'broadcast' },
    )
  })
  ctx.metrics.intentTransitions.inc({ to: 'confirmed' }, done.length)
  return done.length
}
