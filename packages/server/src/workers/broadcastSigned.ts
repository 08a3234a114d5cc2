/**
 * Executor, phase two: broadcast signed transactions. It is also the crash recovery path: anything signed but
 * not known to be broadcast (a process died between commit and send) is simply sent again; sending is idempotent.
 */
import { isBursarError } from '@bursar/core/errors'
import { claimIntents, type IntentRow, markBroadcast, retryIntentAt, scheduleIntents } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { markInDoubt } from './markInDoubt.ts'

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
      new Date(Date.now() + ctx.config.executor.broadcastLeaseSeconds * 1000),
    )
    return rows
  })
  if (claimed.length === 0) return 0
  // Signed and committed, nothing sent yet: a crash here must end with each sent exactly once.
  ctx.faultPoint?.('before_broadcast')

  const sent: IntentRow[] = []
  const retry: Array<{ row: IntentRow; error: unknown }> = []
  const rejected: Array<{ row: IntentRow; reason: string; message: string; cancelled?: boolean }> = []
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
        if (row.cancel_requested_at !== null) {
          // Cancelled before it went out (as far as we know: a process may have died after sending): not sent; the
          // confirmer settles its nonce with a cancellation.
          rejected.push({
            row,
            reason: 'cancel_requested',
            message: 'cancelled before it was sent',
            cancelled: true,
          })
          continue
        }
        try {
          await entry.adapter.broadcast(row.raw_tx as string)
          sent.push(row)
        } catch (error) {
          // A node's refusal, not a transport failure (RPC_UNAVAILABLE carries a reason too: ECONNREFUSED, …).
          const refused =
            isBursarError(error) && error.code !== 'RPC_UNAVAILABLE' && error.details.reason !== undefined
          // A refusal Bursar does not recognise (or a nonce gap the node holds against it) is retried a few times,
          // then treated like any other: in doubt, never retried forever.
          const givenUp = refused && row.attempts + 1 >= ctx.config.executor.maxUnrecognisedRefusals
          if (isBursarError(error) && (error.details.retryable === false || givenUp)) {
            rejected.push({ row, reason: String(error.details.reason ?? 'rejected'), message: error.message })
          } else {
            ctx.metrics.rpcErrors.inc({ network: row.network })
            retry.push({ row, error })
          }
        }
      }
    }),
  )

  // Sent, not yet recorded: a crash here must not send anything twice nor lose what was sent.
  ctx.faultPoint?.('after_broadcast')
  // What went out is recorded first and on its own: nothing that follows may roll it back.
  await ctx.db.transaction(async (tx) => {
    await markBroadcast(tx, sent)
    for (const { row } of retry) {
      const delay = Math.min(1000 * 2 ** row.attempts, 60_000)
      await retryIntentAt(tx, row.id, new Date(Date.now() + delay))
    }
  })
  // Refused: not failed, because another node may hold it and mine it, and its nonce may not be handed out again
  // while that can happen. In doubt, it keeps its reservation and nonce until the chain settles it (confirmBroadcast).
  for (const { row, ...refusal } of rejected) {
    const { reason } = refusal
    try {
      await ctx.db.transaction((tx) => markInDoubt(tx, row, refusal))
      ctx.logger.warn({ intent: row.id, reason }, 'broadcast refused; in doubt until the chain settles it')
    } catch (error) {
      // The row stays signed; when its lease runs out it is sent again and, if refused again, handled again.
      ctx.logger.warn({ intent: row.id, err: error }, 'recording a refused broadcast failed; will retry')
    }
  }
  ctx.metrics.intentTransitions.inc({ to: 'broadcast' }, sent.length)
  return claimed.length
}
