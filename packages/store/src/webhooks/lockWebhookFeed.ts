/** The webhook feed's position, locked for this transaction (every feeding process takes turns). */
import type { Sql } from '../Db.ts'

/** Undefined when another process is feeding right now (it will take these entries). @example const at = await lockWebhookFeed(tx) */
export async function lockWebhookFeed(tx: Sql): Promise<number | undefined> {
  const [row] = await tx.query<{ seq: string | number }>(
    'select seq from webhook_feed where id = 1 for update skip locked',
  )
  return row === undefined ? undefined : Number(row.seq)
}
