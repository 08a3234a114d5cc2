/** Whether someone may decide a request at all: the part of the rules that does not depend on other decisions. */
import type { ApprovalQuorum, MemberRole } from './approvalQuorum.ts'
import { holdsRole } from './approvalQuorum.ts'
import type { ApprovalRefusalCode } from './approvalRefusalCodes.ts'
import { type ApproverId, parseApproverId } from './approverId.ts'

export type Approver = { approverId: ApproverId; role: MemberRole }

/** Whether `approver` counts towards `quorum`: named or holding a role the policy lets approve, and the least role. */
export function countsFor(quorum: ApprovalQuorum, approver: Approver): boolean {
  if (!holdsRole(approver.role, quorum.role)) return false
  if (quorum.accounts.has(approver.approverId)) return true
  return quorum.members !== undefined && holdsRole(approver.role, quorum.members)
}

/**
 * Undefined when `approver` counts towards at least one of the quorums, else why not. Decides who may decide, and
 * who may cancel an approved intent during its timelock. The id is checked again at run time: the brand keeps agent
 * ids out at compile time, a cast would not.
 * @example
 * checkApprover(request.quorums, { approverId, role: 'viewer' }) // 'APPROVER_ROLE_INSUFFICIENT'
 */
export function checkApprover(
  quorums: readonly ApprovalQuorum[],
  approver: Approver,
): ApprovalRefusalCode | undefined {
  if (parseApproverId(approver.approverId) === undefined) return 'APPROVER_NOT_AN_ACCOUNT'
  if (quorums.some((quorum) => countsFor(quorum, approver))) return undefined
  // Named, or a member by role, yet not counted: the role is what is missing, not the membership.
  const named = quorums.some(
    (quorum) => quorum.accounts.has(approver.approverId) || quorum.members !== undefined,
  )
  return named ? 'APPROVER_ROLE_INSUFFICIENT' : 'APPROVER_NOT_IN_SET'
}
