/** Once a version of an intent's transaction is mined at depth: it is 'mined', every other version 'replaced'. */
import type { Sql } from '../Db.ts'

/**
 * A no-op for an intent with a single transaction (no rows). `txHash` null (a reorg took the mined one out, or the
 * nonce went to a transaction that is none of them): every version is pending again, or stays so.
 */
export async function markMinedVersion(tx: Sql, intentId: string, txHash: string | null): Promise<void> {
  await tx.query(
    `update intent_transactions
        set status = case when $2::text is null then 'pending' when tx_hash = $2 then 'mined' else 'replaced' end
      where intent_id = $1`,
    [intentId, txHash],
  )
}
