/**
 * Executor, phase two: broadcast signed transactions. It is also the crash recovery path: anything signed but
 * not known to be broadcast (a process died between commit and send) is simply sent again; sending is idempotent.
 */
import { isBursarError } from '@bursar/core/errors'
import {
  claimIntents,
  getWallet,
  type IntentRow,
  markBroadcast,
  readNonceCounter,
  retryIntentAt,
  type Sql,
  scheduleIntents,
  setNextNonce,
} from '@bursar/store'
import { checkFailureSignal } from '../breakers/breakerSignals.ts'
import type { ServerContext } from '../context.ts'
import { currentCompiledPolicy } from '../intents/decideIntent.ts'
import { failIntent } from './failIntent.ts'
import { fillNonceGap } from './fillNonceGap.ts'

// Long enough that a live executor finishes sending before another process retries the same rows.
const leaseMs = 30_000

export async function broadcastSigned(ctx: ServerContext): Promise<number> {
  // Claim with a lease: another executor skips these rows until the lease runs out.
  const claimed = await ctx.db.transaction(async (tx) => {
    const rows = await claimIntents(tx, {
      status: 'signed',
      limit: ctx.config.executor.batchSize * 2,
      order: 'sequence',
    })
    await scheduleIntents(
      tx,
      rows.map((row) => row.id),
      new Date(Date.now() + leaseMs),
    )
    return rows
  })
  if (claimed.length === 0) return 0

  const sent: IntentRow[] = []
  const retry: Array<{ row: IntentRow; error: unknown }> = []
  const rejected: Array<{ row: IntentRow; reason: string; message: string }> = []
  // In nonce order within a wallet (nodes hold later nonces until the gap fills anyway); wallets in parallel.
  const byWallet = new Map<string, IntentRow[]>()
  for (const row of claimed) {
    const key = `${row.wallet_id}|${row.network}`
    byWallet.set(key, [...(byWallet.get(key) ?? []), row])
  }
  await Promise.all(
    [...byWallet.values()].map(async (rows) => {
      for (const row of rows) {
        const entry = ctx.networks.get(row.network)
        if (!entry) {
          retry.push({ row, error: new Error('network not configured') })
          continue
        }
        try {
          await entry.adapter.broadcast(row.raw_tx as string)
          sent.push(row)
        } catch (error) {
          if (isBursarError(error) && error.details.retryable === false) {
            rejected.push({ row, reason: String(error.details.reason ?? 'rejected'), message: error.message })
          } else {
            ctx.metrics.rpcErrors.inc({ network: row.network })
            retry.push({ row, error })
          }
        }
      }
    }),
  )

  // What went out is recorded first and on its own: nothing that follows may roll it back.
  await ctx.db.transaction(async (tx) => {
    await markBroadcast(tx, sent)
    for (const { row } of retry) {
      const delay = Math.min(1000 * 2 ** row.attempts, 60_000)
      await retryIntentAt(tx, row.id, new Date(Date.now() + delay))
    }
  })
  for (const { row, reason, message } of rejected) {
    try {
      await ctx.db.transaction((tx) => handleRejection(ctx, tx, row, reason, message))
    } catch (error) {
      // The row stays signed; when its lease runs out it is sent again and, if refused again, handled again.
      ctx.logger.warn({ intent: row.id, err: error }, 'handling a refused broadcast failed; will retry')
    }
  }
  ctx.metrics.intentTransitions.inc({ to: 'broadcast' }, sent.length)
  return claimed.length
}

async function handleRejection(ctx: ServerContext, tx: Sql, row: IntentRow, reason: string, message: string) {
  // Only the process that actually moves the intent to failed touches the nonce: another may have broadcast it.
  const failed = await failIntent(
    tx,
    row.id,
    ['signed'],
    { code: 'BROADCAST_REJECTED', message },
    { release: true },
  )
  if (!failed) return
  await checkFailureSignal(ctx, tx, {
    agentId: row.agent_id,
    policy: await currentCompiledPolicy(ctx, tx, row.agent_id),
  })
  const entry = ctx.networks.get(row.network)
  const wallet = await getWallet(tx, row.wallet_id)
  if (!entry || !wallet || row.nonce === null) return
  const key = { chain: entry.adapter.chainKey, address: wallet.address }
  const next = await readNonceCounter(tx, key)
  if (next === undefined) return
  if (reason === 'sequence_too_low') {
    // The nonce was spent by another transaction of this key (used outside Bursar?): follow the chain, never rewind.
    const pending = await entry.adapter.nextSequence(wallet.address)
    if (pending > next) await setNextNonce(tx, key, pending)
    return
  }
  // Give the nonce back when it was the last one handed out; otherwise later transactions wait on it: fill it.
  if (next === row.nonce + 1) await setNextNonce(tx, key, row.nonce)
  else await fillNonceGap(ctx, tx, row)
}
