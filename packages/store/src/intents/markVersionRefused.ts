/** A node refused a version when it was first sent: never sent again, still looked for on chain. */
import type { Sql } from '../Db.ts'

export async function markVersionRefused(tx: Sql, intentId: string, txHash: string): Promise<void> {
  await tx.query(
    `update intent_transactions set status = 'refused' where intent_id = $1 and tx_hash = $2 and status = 'pending'`,
    [intentId, txHash],
  )
}
