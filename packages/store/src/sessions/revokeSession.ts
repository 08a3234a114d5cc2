/** Ends one of an account's sessions (logout, or revoking another device). */
import type { Sql } from '../Db.ts'
import { type SessionRow, sessionColumns } from './SessionRow.ts'

/**
 * Scoped to the account, so one person cannot end another's session by id. Revoking twice keeps the first time.
 * Undefined when the account has no such session.
 *
 * @example await revokeSession(tx, session.account_id, session.id)
 */
export async function revokeSession(
  tx: Sql,
  accountId: string,
  sessionId: string,
): Promise<SessionRow | undefined> {
  const [row] = await tx.query<SessionRow>(
    `update sessions set revoked_at = coalesce(revoked_at, now()) where id = $1 and account_id = $2
     returning ${sessionColumns}`,
    [sessionId, accountId],
  )
  return row
}
