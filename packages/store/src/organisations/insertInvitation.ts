/** Invites someone, by email, to an organisation with a role; the token is returned once and stored hashed. */
import type { MemberRole } from '@bursar/core/approvals'
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import { newSecret } from '../secrets.ts'
import { type InvitationRow, invitationColumns } from './InvitationRow.ts'

export type InsertInvitationParameters = {
  orgId: string
  email: string
  role: MemberRole
  /** How long the invitation stays open, from now (the database's clock). */
  ttlSeconds: number
  createdBy: string
  /** Only for an instance-admin caller, while no account is instance admin. */
  instanceAdmin?: boolean
}

/**
 * @example
 * const { invitation, secret } = await insertInvitation(tx, { orgId, email: 'bo@example.com', role: 'approver',
 *   ttlSeconds: 7 * 86_400, createdBy: session.account_id })
 * // send `secret` (bsr_inv_…) to bo@example.com; it is not stored anywhere
 */
export async function insertInvitation(
  tx: Sql,
  parameters: InsertInvitationParameters,
): Promise<{ invitation: InvitationRow; secret: string }> {
  const secret = newSecret('invitation')
  const [invitation] = await tx.query<InvitationRow>(
    `insert into invitations (id, org_id, email, role, token_hash, expires_at, created_by, instance_admin)
     values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7, $8) returning ${invitationColumns}`,
    [
      newId('inv'),
      parameters.orgId,
      parameters.email,
      parameters.role,
      secret.hash,
      parameters.ttlSeconds,
      parameters.createdBy,
      parameters.instanceAdmin ?? false,
    ],
  )
  return { invitation: invitation!, secret: secret.secret }
}
