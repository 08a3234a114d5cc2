/**
 * The webhook feed: every sealed audit entry of an organisation becomes a delivery to each of its endpoints that
 * subscribed to the entry's action. The position is a row, moved in the same transaction as the deliveries it
 * queued, so a crash neither loses an event nor queues one twice.
 */
import { advanceWebhookFeed, listTaggedAudit, lockWebhookFeed } from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { enqueueWebhookEvent } from '../webhooks/enqueueWebhookEvent.ts'

/** One batch; returns how many entries it read (0 when there was nothing, or another process is feeding). */
export async function feedWebhooks(ctx: Pick<ServerContext, 'db'>, limit = 500): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const at = await lockWebhookFeed(tx)
    if (at === undefined) return 0
    const entries = await listTaggedAudit(tx, { afterSeq: at, limit })
    for (const entry of entries) if (entry.orgId !== null) await enqueueWebhookEvent(tx, entry.orgId, entry)
    const last = entries.at(-1)
    if (last !== undefined) await advanceWebhookFeed(tx, last.seq)
    return entries.length
  })
}
