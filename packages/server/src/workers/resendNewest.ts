/**
 * Sends the newest version of an intent's transaction again, the same signed bytes (a node forgot it, a reorg took
 * it out, or it is in doubt and the refusal may have been the node's moment). Sending is idempotent.
 */
import { isBursarError } from '@bursar/core/errors'
import {
  appendAudit,
  commitReservations,
  type DueIntentRow,
  reopenVersion,
  scheduleIntents,
  transitionIntent,
  updateIntent,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { markInDoubt } from './markInDoubt.ts'

/** Returns 1 when the intent's status changed. */
export async function resendNewest(
  ctx: ServerContext,
  row: DueIntentRow,
  newest: { raw: string; hash: string; kind?: string; reorged?: boolean },
): Promise<number> {
  const entry = ctx.networks.get(row.network)
  if (!entry) return 0
  const later = () => new Date(Date.now() + ctx.config.executor.rebroadcastAfterSeconds * 1000)
  try {
    await entry.adapter.broadcast(newest.raw)
  } catch (error) {
    if (!isBursarError(error) || error.details.retryable !== false) {
      ctx.metrics.rpcErrors.inc({ network: row.network })
      await scheduleIntents(ctx.db, [row.id], later())
      return 0
    }
    const reason = String(error.details.reason ?? 'rejected')
    if (row.status === 'broadcast') {
      const moved = await ctx.db.transaction((tx) => markInDoubt(tx, row, { reason, message: error.message }))
      ctx.logger.warn(
        { intent: row.id, reason },
        'confirmer: a forgotten transaction was refused again; in doubt',
      )
      return moved ? 1 : 0
    }
    // In doubt already: its grace runs on from when it got there; try again after the rebroadcast interval.
    await scheduleIntents(ctx.db, [row.id], later())
    return 0
  }
  // The bytes a reorg took out are out again: from here on they are one pending version among the others.
  if (newest.reorged) await reopenVersion(ctx.db, row.id, newest.hash)
  // In doubt and taken now: out again (unless what went out is Bursar's cancellation, which settles nothing yet).
  if (row.status === 'in_doubt' && newest.kind !== 'cancel') {
    const moved = await ctx.db.transaction(async (tx) => {
      const out = await transitionIntent(tx, row.id, ['in_doubt'], 'broadcast', {
        last_sent_at: new Date(),
        error: null,
      })
      if (out) {
        // Out again: what it reserved is spent (as markBroadcast commits it), whatever settles it later.
        await commitReservations(tx, row.id)
        await appendAudit(tx, [
          {
            actor: { type: 'system', id: null },
            action: 'intent.broadcast',
            subject: { type: 'intent', id: row.id },
            data: { tx_hash: newest.hash, nonce: row.nonce, after: 'in_doubt' },
          },
        ])
      }
      return out
    })
    return moved ? 1 : 0
  }
  await updateIntent(ctx.db, row.id, [row.status], { last_sent_at: new Date() })
  return 0
}
