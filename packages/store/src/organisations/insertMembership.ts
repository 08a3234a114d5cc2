/** Gives an account a role in an organisation. */
import type { MemberRole } from '@bursar/core/approvals'
import type { Sql } from '../Db.ts'
import type { MembershipRow } from './MembershipRow.ts'

export type InsertMembershipParameters = { orgId: string; accountId: string; role: MemberRole }

/**
 * Undefined when the account is a member already: its role is left as it was (changing a role is another operation).
 *
 * @example await insertMembership(tx, { orgId: org.id, accountId: account.id, role: 'admin' })
 */
export async function insertMembership(
  tx: Sql,
  parameters: InsertMembershipParameters,
): Promise<MembershipRow | undefined> {
  const [row] = await tx.query<MembershipRow>(
    `insert into memberships (org_id, account_id, role) values ($1, $2, $3)
     on conflict (org_id, account_id) do nothing returning org_id, account_id, role, created_at`,
    [parameters.orgId, parameters.accountId, parameters.role],
  )
  return row
}
