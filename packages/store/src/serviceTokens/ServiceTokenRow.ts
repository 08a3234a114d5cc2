/** A service token as stored, without its hash: the secret is shown once, to whoever creates it. */
import type { MemberRole } from '@bursar/core/approvals'

export type ServiceTokenRow = {
  id: string
  org_id: string
  name: string
  /** What the token may do in its organisation; a token can never approve, whatever its role (ADR 0007). */
  role: MemberRole
  /** May trip and reset the global halt: the token made at setup, before any account exists. */
  instance_admin: boolean
  /** The first characters of the secret, for telling tokens apart in a list. */
  prefix: string
  created_by: string | null
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

/** The columns of ServiceTokenRow, for a statement's select or returning list. */
export const serviceTokenColumns =
  'id, org_id, name, role, instance_admin, prefix, created_by, created_at, last_used_at, revoked_at'
