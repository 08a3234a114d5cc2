/** The approvals engine: where a request stands given every decision recorded for it. No I/O; the clock is a parameter. */
import type { ApprovalQuorum } from './approvalQuorum.ts'
import type { ApprovalRefusalCode } from './approvalRefusalCodes.ts'
import type { ApproverId } from './approverId.ts'
import { type Approver, checkApprover, countsFor } from './checkApprover.ts'

export type ApprovalDecision = Approver & {
  decision: 'approve' | 'deny'
  /** When it was made; the role is the one the approver held then. */
  at: Date
}

export type EvaluateApprovalsParameters = {
  /** Every quorum that must be met: one per approval rule the intent triggered. */
  quorums: readonly ApprovalQuorum[]
  expiresAt: Date
}

/** A decision that does not count, by its position in the list. */
export type ApprovalRefusal = { index: number; approverId: string; reason: ApprovalRefusalCode }

/** How many more approvals one quorum needs. */
export type MissingApprovals = { rule: string; needed: number }

export type EvaluateApprovalsReturnType = { approvedBy: ApproverId[]; refused: ApprovalRefusal[] } & (
  | { status: 'pending'; missing: MissingApprovals[] }
  /** `at`: the decision that completed the last quorum (a timelock runs from here). */
  | { status: 'approved'; at: Date }
  | { status: 'denied'; at: Date; deniedBy: ApproverId }
  /** `at`: when it expired. */
  | { status: 'expired'; at: Date; missing: MissingApprovals[] }
)

/**
 * Reads `decisions` in the order they were recorded. A decision is refused (listed in `refused`, counted nowhere)
 * when its id is not an account, the approver counts for no quorum, the same approver decided before, it came at or
 * after `expiresAt`, or the request was closed already. Of the rest, any deny ends the request; it is approved once
 * every quorum has its number of distinct approvals; otherwise it is pending until `now` reaches `expiresAt`, and
 * expired from then on. A quorum met in time stays met: the expiry worker racing the last approval cannot undo it.
 * A request with no quorum is never approved (fail closed: it can only expire).
 * @example
 * const state = evaluateApprovals({ quorums: [quorum], expiresAt }, [
 *   { approverId: alice, role: 'approver', decision: 'approve', at },
 * ], now)
 * // { status: 'pending', missing: [{ rule: 'big', needed: 1 }], approvedBy: [alice], refused: [] }
 */
export function evaluateApprovals(
  request: EvaluateApprovalsParameters,
  decisions: readonly ApprovalDecision[],
  now: Date,
): EvaluateApprovalsReturnType {
  const { quorums, expiresAt } = request
  const approvedBy: ApproverId[] = []
  const decided = new Set<string>()
  const refused: ApprovalRefusal[] = []
  const counts = quorums.map(() => 0)
  const missing = (): MissingApprovals[] =>
    quorums.flatMap((quorum, i) =>
      counts[i]! < quorum.quorum ? [{ rule: quorum.rule, needed: quorum.quorum - counts[i]! }] : [],
    )
  let closed:
    | { status: 'approved'; at: Date }
    | { status: 'denied'; at: Date; deniedBy: ApproverId }
    | undefined

  for (const [index, decision] of decisions.entries()) {
    const reason =
      checkApprover(quorums, decision) ??
      (decided.has(decision.approverId) ? 'APPROVER_ALREADY_DECIDED' : undefined) ??
      (decision.at.getTime() >= expiresAt.getTime() ? 'APPROVAL_EXPIRED' : undefined) ??
      (closed === undefined ? undefined : 'APPROVAL_CLOSED')
    if (reason !== undefined) {
      refused.push({ index, approverId: decision.approverId, reason })
      continue
    }
    decided.add(decision.approverId)
    if (decision.decision === 'deny') {
      closed = { status: 'denied', at: decision.at, deniedBy: decision.approverId }
      continue
    }
    approvedBy.push(decision.approverId)
    quorums.forEach((quorum, i) => {
      if (countsFor(quorum, decision)) counts[i]!++
    })
    if (quorums.length > 0 && missing().length === 0) closed = { status: 'approved', at: decision.at }
  }

  if (closed !== undefined) return { ...closed, approvedBy, refused }
  if (now.getTime() >= expiresAt.getTime()) {
    return { status: 'expired', at: expiresAt, missing: missing(), approvedBy, refused }
  }
  return { status: 'pending', missing: missing(), approvedBy, refused }
}
