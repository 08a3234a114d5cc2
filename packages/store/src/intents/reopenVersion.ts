/** After a reorg, the version that was mined has been sent again: it is pending again, like any version out. */
import type { Sql } from '../Db.ts'

export async function reopenVersion(sql: Sql, intentId: string, txHash: string): Promise<void> {
  await sql.query(
    `update intent_transactions set status = 'pending' where intent_id = $1 and tx_hash = $2 and status = 'mined'`,
    [intentId, txHash],
  )
}
