/** Records one approver's decision on a request; each approver decides a request once. */
import type { MemberRole } from '@bursar/core/approvals'
import { BursarError } from '@bursar/core/errors'
import type { Sql } from '../Db.ts'
import type { ApprovalDecisionRow, ApprovalFactor } from './ApprovalDecisionRow.ts'

export type InsertApprovalDecisionParameters = {
  requestId: string
  accountId: string
  role: MemberRole
  decision: 'approve' | 'deny'
  factor: ApprovalFactor
  /** The moment evaluateApprovals is told; default: now. */
  decidedAt?: Date
  /** The server's MAC over the decision (integrity/approvalMac.ts), over `decidedAt`. */
  mac: string
}

/**
 * Throws APPROVAL_ALREADY_DECIDED, having written nothing, when the account has decided this request before (also
 * when two of its requests race: the primary key lets one in). The statement does not fail for it (`on conflict do
 * nothing`), so the caller's transaction stays usable, to record the refusal for instance.
 *
 * @example
 * await insertApprovalDecision(tx, { requestId, accountId, role: membership.role, decision: 'approve', factor: 'totp',
 *   decidedAt: now })
 */
export async function insertApprovalDecision(
  tx: Sql,
  parameters: InsertApprovalDecisionParameters,
): Promise<ApprovalDecisionRow> {
  const [row] = await tx.query<ApprovalDecisionRow>(
    `insert into approval_decisions (request_id, account_id, role, decision, factor, decided_at, mac)
     values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7)
     on conflict (request_id, account_id) do nothing returning *`,
    [
      parameters.requestId,
      parameters.accountId,
      parameters.role,
      parameters.decision,
      parameters.factor,
      parameters.decidedAt?.toISOString() ?? null,
      parameters.mac,
    ],
  )
  if (!row) {
    throw new BursarError(
      'APPROVAL_ALREADY_DECIDED',
      'this account has already decided this approval request',
      {
        details: { request_id: parameters.requestId },
      },
    )
  }
  return row
}
