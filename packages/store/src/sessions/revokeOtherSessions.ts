/** Ends every live session of an account but one: after a password change, the other devices must log in again. */
import type { Sql } from '../Db.ts'

/** How many it ended. @example await revokeOtherSessions(tx, accountId, session.id) */
export async function revokeOtherSessions(
  tx: Sql,
  accountId: string,
  keepSessionId: string,
): Promise<number> {
  const rows = await tx.query(
    `update sessions set revoked_at = now() where account_id = $1 and id <> $2 and revoked_at is null returning id`,
    [accountId, keepSessionId],
  )
  return rows.length
}
