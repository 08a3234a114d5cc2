/**
 * Reorg watch: an intent settled by a mined transaction (confirmed; failed because it reverted or its cancellation
 * took the nonce; cancelled) whose block is not yet `reorgWatchBlocks` deep is looked at again. If that transaction
 * is no longer in that block (gone, or mined in another), the intent goes back to broadcast, the reorg is audited,
 * what its settlement gave back counts again, and the confirmer follows it anew, sending the same signed bytes if the
 * node forgot them. Otherwise the nonce would stay unused on the new chain (every later transaction of the wallet
 * waiting behind it), or a payment whose cancellation was reorged out would land uncounted.
 */
import {
  appendAudit,
  type IntentRow,
  listRecentlySettled,
  reinstateFeeCeiling,
  reinstateSpend,
  transitionIntent,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { mapLimit } from './mapLimit.ts'
import { reorgEvidence } from './reorgEvidence.ts'
import { reorgSuspicions } from './reorgSuspicions.ts'

export async function watchReorgs(ctx: ServerContext): Promise<number> {
  let moved = 0
  for (const [network, entry] of ctx.networks) {
    let head: bigint
    try {
      head = await entry.adapter.getBlockNumber()
    } catch {
      ctx.metrics.rpcErrors.inc({ network })
      continue
    }
    const from = head - BigInt(ctx.config.executor.reorgWatchBlocks) + 1n
    const rows = await listRecentlySettled(ctx.db, network, Number(from > 0n ? from : 0n))
    const gone = await mapLimit(rows, 16, async (row): Promise<IntentRow | undefined> => {
      if (row.tx_hash === null) return undefined
      try {
        const receipt = await entry.adapter.getReceipt(row.tx_hash)
        const same = receipt !== null && (row.block_hash === null || receipt.blockHash === row.block_hash)
        if (same) {
          reorgSuspicions.clear(row.id)
          return undefined
        }
        // No evidence (the block is still there, or the node does not have it yet): a node behind, not a reorg.
        if (
          !(await reorgEvidence(
            entry.adapter,
            { blockNumber: row.block_number, blockHash: row.block_hash },
            receipt,
          ))
        ) {
          reorgSuspicions.clear(row.id)
          return undefined
        }
        // One look with evidence is not a reorg yet: only a later look that agrees reopens the intent.
        const settleMs = ctx.config.executor.nonceSettleSeconds * 1000
        return reorgSuspicions.confirm(row.id, new Date(), settleMs) ? row : undefined
      } catch {
        ctx.metrics.rpcErrors.inc({ network })
        return undefined
      }
    })
    for (const row of gone) {
      if (row === undefined) continue
      const reopened = await ctx.db.transaction(async (tx) => {
        // Its versions keep their marks: the one that was mined is what goes out again, never a later cancellation.
        const back = await transitionIntent(tx, row.id, [row.status], 'broadcast', {
          block_number: null,
          block_hash: null,
          last_sent_at: new Date(),
          error: null,
        })
        if (!back) return false
        // Its value was given back when it settled as failed or cancelled: it may move after all, so it counts.
        const reinstated = row.status === 'confirmed' ? 0 : await reinstateSpend(tx, row.id)
        // Its fee was trued down to what it paid; until it is mined again it may cost up to its ceiling.
        await reinstateFeeCeiling(tx, row.id)
        await appendAudit(tx, [
          {
            actor: { type: 'system', id: null },
            action: 'intent.reorged',
            subject: { type: 'intent', id: row.id },
            data: {
              tx_hash: row.tx_hash,
              block_number: row.block_number,
              block_hash: row.block_hash,
              was: row.status,
              spend_counted_again: reinstated > 0,
            },
          },
        ])
        return true
      })
      if (reopened) {
        moved++
        ctx.logger.warn(
          { intent: row.id, block: row.block_number },
          'reorg: a confirmed transaction left the chain',
        )
      }
    }
  }
  return moved
}
