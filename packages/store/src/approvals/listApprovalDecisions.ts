/** Every decision on a request, in the order they were recorded: what evaluateApprovals reads. */
import type { Sql } from '../Db.ts'
import type { ApprovalDecisionRow } from './ApprovalDecisionRow.ts'

/**
 * @example
 * const decisions = (await listApprovalDecisions(tx, request.id)).map((d) => ({
 *   approverId: parseApproverId(d.account_id)!, role: d.role, decision: d.decision, at: d.decided_at }))
 */
export async function listApprovalDecisions(sql: Sql, requestId: string): Promise<ApprovalDecisionRow[]> {
  return sql.query<ApprovalDecisionRow>(
    'select * from approval_decisions where request_id = $1 order by seq',
    [requestId],
  )
}
