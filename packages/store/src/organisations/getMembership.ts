/** An account's membership of one organisation: what authorization reads for a session. */
import type { Sql } from '../Db.ts'
import type { MembershipRow } from './MembershipRow.ts'

/** @example const membership = await getMembership(db, orgId, session.account_id) // undefined: not a member */
export async function getMembership(
  sql: Sql,
  orgId: string,
  accountId: string,
): Promise<MembershipRow | undefined> {
  const [row] = await sql.query<MembershipRow>(
    'select org_id, account_id, role, created_at from memberships where org_id = $1 and account_id = $2',
    [orgId, accountId],
  )
  return row
}
