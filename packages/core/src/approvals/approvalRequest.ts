/** What a `require_approval` decision asks for, read from the policy it was made under: quorums, expiry, rules. */
import { BursarError } from '../errors/BursarError.ts'
import type { CompiledApprovalRule, CompiledPolicy } from '../policy/CompiledPolicy.ts'
import type { ApprovalRequirement } from '../policy/Decision.ts'
import { approvalExpiry } from './approvalExpiry.ts'
import { approvalQuorum } from './approvalQuorum.ts'
import type { EvaluateApprovalsParameters } from './evaluateApprovals.ts'

export type ApprovalRequest = EvaluateApprovalsParameters & {
  /** The triggered approval rules, for their timelocks (executableAt). */
  rules: CompiledApprovalRule[]
}

/**
 * Every triggered requirement becomes a quorum that must be met: when several rules with different approvers
 * trigger, each one's approvers must agree, not just the strictest group's. Throws INTERNAL when a requirement names
 * a rule the policy lacks (the decision was made under another policy version): dropping it would ask for less.
 * @example
 * const request = approvalRequest(policy, decision.approval.requirements, createdAt)
 * const state = evaluateApprovals(request, decisions, new Date())
 */
export function approvalRequest(
  policy: CompiledPolicy,
  requirements: ReadonlyArray<Pick<ApprovalRequirement, 'rule'>>,
  createdAt: Date,
): ApprovalRequest {
  const rules = requirements.map(({ rule }) => {
    const found = policy.approvals.find((candidate) => candidate.rule === rule)
    if (found === undefined) {
      throw new BursarError('INTERNAL', `the policy has no approval rule ${rule}`, { details: { rule } })
    }
    return found
  })
  return { rules, quorums: rules.map(approvalQuorum), expiresAt: approvalExpiry(createdAt, rules) }
}
