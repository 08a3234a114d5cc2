/** The role an approver's recorded decision counts with now: the lesser of the role held then and the role held today. */
import { holdsRole, type MemberRole } from '@bursar/core/approvals'

/** A removed member (no role today) counts as a viewer, which approves nothing. */
export function countedRole(recorded: MemberRole, current: MemberRole | undefined): MemberRole {
  const now = current ?? 'viewer'
  if (now === 'viewer' || recorded === 'viewer') return 'viewer'
  return holdsRole(now, recorded) ? recorded : now
}
