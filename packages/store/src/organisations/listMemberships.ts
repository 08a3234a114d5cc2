/** Every organisation an account belongs to, with its name and the account's role there. */
import type { Sql } from '../Db.ts'
import type { MembershipRow } from './MembershipRow.ts'

/** @example const memberships = await listMemberships(db, session.account_id) */
export async function listMemberships(
  sql: Sql,
  accountId: string,
): Promise<Array<MembershipRow & { org_name: string }>> {
  return sql.query<MembershipRow & { org_name: string }>(
    `select m.org_id, m.account_id, m.role, m.created_at, o.name as org_name
       from memberships m join organisations o on o.id = m.org_id
      where m.account_id = $1 order by m.org_id`,
    [accountId],
  )
}
