/** An account's recovery code hashes by index, used ones as null: what useRecoveryCode takes. */
import type { Sql } from '../Db.ts'

/**
 * @example
 * const index = useRecoveryCode(typed, await listRecoveryCodes(db, account.id))
 * if (index !== undefined && (await useRecoveryCodeSlot(tx, account.id, index))) { ... }
 */
export async function listRecoveryCodes(sql: Sql, accountId: string): Promise<Array<string | null>> {
  const rows = await sql.query<{ hash: string | null }>(
    `select case when used_at is null then hash end as hash from recovery_codes where account_id = $1 order by idx`,
    [accountId],
  )
  return rows.map((row) => row.hash)
}
