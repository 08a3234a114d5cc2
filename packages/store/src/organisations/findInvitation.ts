/** The open invitation a presented token is for: not accepted, not revoked, not expired. */
import type { Sql } from '../Db.ts'
import { hashSecret } from '../secrets.ts'
import { type InvitationRow, invitationColumns } from './InvitationRow.ts'

/**
 * Undefined for an unknown, used, revoked or expired token alike. For showing what an invitation offers before
 * signing up or in; accepting is acceptInvitation's, which checks all of this again atomically.
 *
 * @example const invitation = await findInvitation(db, token) // { org_id, email, role, … }
 */
export async function findInvitation(sql: Sql, secret: string): Promise<InvitationRow | undefined> {
  const [row] = await sql.query<InvitationRow>(
    `select ${invitationColumns} from invitations
      where token_hash = $1 and accepted_at is null and revoked_at is null and expires_at > now()`,
    [hashSecret(secret)],
  )
  return row
}
