/** Marks one recovery code used: the one statement that makes a code work once. */
import type { Sql } from '../Db.ts'

/**
 * True when the code at `index` was unused and now is used; false when it was used already (or never existed). Of
 * two requests racing with one code, one gets true.
 *
 * @example if (!(await useRecoveryCodeSlot(tx, account.id, index))) throw new BursarError('FORBIDDEN', '…')
 */
export async function useRecoveryCodeSlot(tx: Sql, accountId: string, index: number): Promise<boolean> {
  const rows = await tx.query(
    `update recovery_codes set used_at = now() where account_id = $1 and idx = $2 and used_at is null
     returning idx`,
    [accountId, index],
  )
  return rows.length === 1
}
