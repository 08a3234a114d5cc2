/** A membership as stored: one account's one role in one organisation. */
import type { MemberRole } from '@bursar/core/approvals'

export type MembershipRow = {
  org_id: string
  account_id: string
  /** admin: everything; approver: approve, deny and breakers; viewer: read. */
  role: MemberRole
  created_at: Date
}
