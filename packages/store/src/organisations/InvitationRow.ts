/** An invitation as stored, without its token's hash: the token itself is shown once, to whoever invites. */
import type { MemberRole } from '@bursar/core/approvals'

export type InvitationRow = {
  id: string
  org_id: string
  /** As typed by whoever invited; matched case-folded against the accepting account's email. */
  email: string
  role: MemberRole
  expires_at: Date
  /** The principal that invited (an account id). */
  created_by: string
  created_at: Date
  accepted_at: Date | null
  accepted_by: string | null
  revoked_at: Date | null
  /** The account it signs up becomes the instance admin (minted by an instance-admin credential). */
  instance_admin: boolean
}

/** The columns of InvitationRow, for a statement's select or returning list. */
export const invitationColumns =
  'id, org_id, email, role, expires_at, created_by, created_at, accepted_at, accepted_by, revoked_at, instance_admin'
