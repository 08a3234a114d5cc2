/** Replaces an account's password hash (password change, or a rehash at stronger parameters). */
import type { Sql } from '../Db.ts'

/** False when there is no such account. @example await setPasswordHash(tx, accountId, phc) */
export async function setPasswordHash(tx: Sql, accountId: string, passwordHash: string): Promise<boolean> {
  const rows = await tx.query('update accounts set password_hash = $2 where id = $1 returning id', [
    accountId,
    passwordHash,
  ])
  return rows.length === 1
}
