/** Every member of an organisation, with their email, oldest membership first. */
import type { Sql } from '../Db.ts'
import type { MembershipRow } from './MembershipRow.ts'

/** @example const members = await listMembers(db, orgId) */
export async function listMembers(
  sql: Sql,
  orgId: string,
): Promise<Array<MembershipRow & { email: string }>> {
  return sql.query<MembershipRow & { email: string }>(
    `select m.org_id, m.account_id, m.role, m.created_at, a.email
       from memberships m join accounts a on a.id = m.account_id
      where m.org_id = $1 order by m.created_at, m.account_id`,
    [orgId],
  )
}
