/** Changes a member's role, or removes the member, never leaving the organisation without an admin. */
import type { MemberRole } from '@bursar/core/approvals'
import { BursarError } from '@bursar/core/errors'
import type { Sql } from '../Db.ts'
import type { MembershipRow } from './MembershipRow.ts'

/**
 * `role: null` removes the membership. The organisation's memberships are locked first, so two admins demoting each
 * other at once cannot both succeed and leave nobody in charge. Undefined when the account is not a member; throws
 * LAST_ADMIN, having changed nothing, when the change would leave no admin.
 *
 * @example await setMemberRole(tx, { orgId, accountId, role: 'viewer' })
 */
export async function setMemberRole(
  tx: Sql,
  parameters: { orgId: string; accountId: string; role: MemberRole | null },
): Promise<MembershipRow | undefined> {
  const members = await tx.query<MembershipRow>(
    'select org_id, account_id, role, created_at from memberships where org_id = $1 order by account_id for update',
    [parameters.orgId],
  )
  const member = members.find((row) => row.account_id === parameters.accountId)
  if (member === undefined) return undefined
  const adminsLeft = members.filter(
    (row) => row.role === 'admin' && (row.account_id !== parameters.accountId || parameters.role === 'admin'),
  ).length
  if (adminsLeft === 0)
    throw new BursarError('LAST_ADMIN', 'the organisation would be left without an admin', {
      details: { account_id: parameters.accountId },
    })
  if (parameters.role === null) {
    await tx.query('delete from memberships where org_id = $1 and account_id = $2', [
      parameters.orgId,
      parameters.accountId,
    ])
    return member
  }
  const [row] = await tx.query<MembershipRow>(
    `update memberships set role = $3 where org_id = $1 and account_id = $2
     returning org_id, account_id, role, created_at`,
    [parameters.orgId, parameters.accountId, parameters.role],
  )
  return row
}
