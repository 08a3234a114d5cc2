/** The timelock worker: approved intents whose delay has passed go to the signer, whether or not anyone looks. */
import { getIntent, listDueApprovedRequests, tryLockIntents } from '@bursar/store'
import { queueApproved } from '../approvals/queueApproved.ts'
import type { ServerContext } from '../context.ts'

/**
 * One batch in one transaction. Requests are claimed `skip locked` and their intents try-locked (a cancel holding an
 * intent takes the request next: waiting here could deadlock), so every process may run it. Each intent's approval
 * hash is recomputed before it is queued (queueApproved). Returns how many it queued or voided.
 */
export async function queueTimelocked(ctx: ServerContext, parameters: { now?: Date } = {}): Promise<number> {
  const now = parameters.now ?? new Date()
  const moved = await ctx.db.transaction(async (tx) => {
    const due = await listDueApprovedRequests(tx, { now, limit: 100 })
    const locked = await tryLockIntents(
      tx,
      due.map((request) => request.intent_id),
    )
    let count = 0
    for (const request of due) {
      if (!locked.has(request.intent_id)) continue
      const intent = await getIntent(tx, request.intent_id)
      if (intent?.status !== 'approved') continue
      if ((await queueApproved(ctx, tx, intent, request, now)) !== 'waiting') count++
    }
    return count
  })
  if (moved > 0) ctx.wakeExecutor()
  return moved
}
