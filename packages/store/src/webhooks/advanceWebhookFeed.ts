/** Moves the webhook feed's position forward (never back), in the transaction that queued the deliveries. */
import type { Sql } from '../Db.ts'

/** @example await advanceWebhookFeed(tx, entries.at(-1).seq) */
export async function advanceWebhookFeed(tx: Sql, seq: number): Promise<void> {
  await tx.query('update webhook_feed set seq = greatest(seq, $1) where id = 1', [seq])
}
