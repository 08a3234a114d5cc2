/** One approval rule's quorum as the approvals engine reads it: who may approve, how many, holding which role. */
import type { ApproverRole } from '../policy/approverEntry.ts'
import { approverEntry } from '../policy/approverEntry.ts'
import type { CompiledApprovalRule } from '../policy/CompiledPolicy.ts'
import { type ApproverId, parseApproverId } from './approverId.ts'

/** An organisation member's role when they decide; viewers read only. */
export type MemberRole = ApproverRole | 'viewer'

export type ApprovalQuorum = {
  /** The approval rule it comes from (its id or JSON path), as the decision's requirements name it. */
  rule: string
  /** How many distinct approvers must approve. */
  quorum: number
  /** The accounts the policy names. */
  accounts: ReadonlySet<ApproverId>
  /** Every member holding at least this role counts too (a "role:…" entry); undefined: the named accounts only. */
  members: ApproverRole | undefined
  /** The least role anyone must hold when deciding, named or not (a demoted approver stops counting). */
  role: ApproverRole
}

const rank: Record<MemberRole, number> = { viewer: 0, approver: 1, admin: 2 }

/** Whether a member holding `held` has at least the role `least`. */
export function holdsRole(held: MemberRole, least: ApproverRole): boolean {
  return rank[held] >= rank[least]
}

/**
 * Reads a compiled approval rule. Entries that name nobody Bursar knows ("role:owner", "user:alice", agent ids) are
 * dropped rather than guessed at: only who the policy names exactly may approve (validatePolicy warns about them).
 * @example
 * approvalQuorum({ rule: 'big', quorum: 2, approvers: ['acc_a', 'acc_b', 'role:admin'], role: 'approver' })
 * // { rule: 'big', quorum: 2, accounts: Set { 'acc_a', 'acc_b' }, members: 'admin', role: 'approver' }
 */
export function approvalQuorum(
  rule: Pick<CompiledApprovalRule, 'rule' | 'quorum' | 'approvers' | 'role'>,
): ApprovalQuorum {
  const accounts = new Set<ApproverId>()
  let members: ApproverRole | undefined
  for (const entry of rule.approvers) {
    const id = parseApproverId(entry)
    if (id !== undefined) accounts.add(id)
    const read = approverEntry(entry)
    // "role:approver" already takes in every admin: the weakest role listed says who counts.
    if (read.kind === 'role' && (members === undefined || holdsRole(members, read.role))) members = read.role
  }
  return { rule: rule.rule, quorum: rule.quorum, accounts, members, role: rule.role }
}
