/** Accepts an invitation: once, before it expires, by the account it was sent to; the membership comes with it. */
import type { Sql } from '../Db.ts'
import { hashSecret } from '../secrets.ts'
import { getMembership } from './getMembership.ts'
import { type InvitationRow, invitationColumns } from './InvitationRow.ts'
import type { MembershipRow } from './MembershipRow.ts'

export type AcceptInvitationParameters = { secret: string; accountId: string }

export type AcceptInvitationReturnType = {
  invitation: InvitationRow
  /** The membership the invitation gave, or the one the account already had (its role unchanged). */
  membership: MembershipRow
}

/**
 * Undefined, with nothing changed, when the token is unknown, accepted already, revoked or expired, or the account's
 * email is not the invited one (case-folded): a forwarded link does not let someone else in. Marking the invitation
 * and adding the membership is one statement, so two requests racing with one token cannot both succeed.
 *
 * @example
 * const accepted = await acceptInvitation(tx, { secret: token, accountId: account.id })
 * if (!accepted) throw new BursarError('NOT_FOUND', 'the invitation is not valid')
 */
export async function acceptInvitation(
  tx: Sql,
  parameters: AcceptInvitationParameters,
): Promise<AcceptInvitationReturnType | undefined> {
  const [invitation] = await tx.query<InvitationRow>(
    `with i as (
       update invitations v set accepted_at = now(), accepted_by = a.id from accounts a
        where v.token_hash = $1 and v.accepted_at is null and v.revoked_at is null and v.expires_at > now()
          and a.id = $2 and lower(a.email) = lower(v.email)
       returning v.*
     ), m as (
       insert into memberships (org_id, account_id, role) select org_id, accepted_by, role from i
       on conflict (org_id, account_id) do nothing
     )
     select ${invitationColumns} from i`,
    [hashSecret(parameters.secret), parameters.accountId],
  )
  if (!invitation) return undefined
  // Read after the statement, so it sees the row just added as well as one that was there before.
  const membership = await getMembership(tx, invitation.org_id, parameters.accountId)
  return { invitation, membership: membership! }
}
