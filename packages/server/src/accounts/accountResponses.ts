/** How people, their sessions and memberships are shown over the API: never a hash, a secret or a sealed box. */
import type { AccountRow, MembershipRow, SessionRow } from '@bursar/store'

export const accountResponse = (account: AccountRow) => ({
  id: account.id,
  email: account.email,
  instance_admin: account.instance_admin,
  totp_enabled: account.totp_enabled_at !== null,
  created_at: account.created_at.toISOString(),
})

export const sessionResponse = (session: SessionRow, currentId: string | null) => ({
  id: session.id,
  created_at: session.created_at.toISOString(),
  expires_at: session.expires_at.toISOString(),
  last_seen_at: session.last_seen_at.toISOString(),
  step_up_at: session.step_up_at?.toISOString() ?? null,
  source_address: session.source_address,
  user_agent: session.user_agent,
  revoked_at: session.revoked_at?.toISOString() ?? null,
  current: session.id === currentId,
})

export const membershipResponse = (membership: MembershipRow & { org_name: string }) => ({
  org_id: membership.org_id,
  org_name: membership.org_name,
  role: membership.role,
})
