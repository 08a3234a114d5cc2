/** Pages of approval requests, newest first, filtered by status, organisation, owner or agent. */
import type { Sql } from '../Db.ts'
import { approvalRequestFilters } from '../fragments/approvalRequestFilters.ts'
import type { ApprovalRequestRow, ApprovalRequestStatus } from './ApprovalRequestRow.ts'

export type ListApprovalRequestsParameters = {
  status?: ApprovalRequestStatus
  orgId?: string
  agentId?: string
  /** Exclusive: the id of the last request of the previous page (ids sort by creation time). */
  before?: string
  limit: number
}

/** @example const page = await listApprovalRequests(db, { orgId, status: 'pending', limit: 50 }) */
export async function listApprovalRequests(
  sql: Sql,
  parameters: ListApprovalRequestsParameters,
): Promise<ApprovalRequestRow[]> {
  const { where, params } = approvalRequestFilters(parameters)
  return sql.query<ApprovalRequestRow>(
    `select * from approval_requests ${where} order by id desc limit $${params.length}`,
    params,
  )
}
