/** Removes one of an account's passkeys; scoped to the account, so nobody removes another's by id. */
import type { Sql } from '../Db.ts'

/** False when the account has no such passkey. @example await deletePasskey(tx, accountId, passkeyId) */
export async function deletePasskey(tx: Sql, accountId: string, passkeyId: string): Promise<boolean> {
  const rows = await tx.query('delete from passkeys where account_id = $1 and id = $2 returning id', [
    accountId,
    passkeyId,
  ])
  return rows.length === 1
}
