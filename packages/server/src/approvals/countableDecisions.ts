/**
 * The recorded decisions of a request as the approvals engine must count them now: each with the lesser of the role
 * the approver held when deciding and the one held today, and as a viewer (counting nowhere) once no longer a member.
 * A removed or demoted approver's approval stops counting; a promotion after deciding does not make it count more.
 */
import type { ApprovalDecision } from '@bursar/core/approvals'
import { type ApprovalDecisionRow, listMembers, type Sql } from '@bursar/store'
import { countedRole } from './countedRole.ts'

export async function countableDecisions(
  sql: Sql,
  orgId: string,
  decisions: readonly ApprovalDecisionRow[],
): Promise<ApprovalDecision[]> {
  const current = new Map((await listMembers(sql, orgId)).map((member) => [member.account_id, member.role]))
  return decisions.map((row) => ({
    approverId: row.account_id as ApprovalDecision['approverId'],
    role: countedRole(row.role, current.get(row.account_id)),
    decision: row.decision,
    at: row.decided_at,
  }))
}
