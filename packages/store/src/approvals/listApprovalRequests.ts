/** Pages of approval requests, newest first, filtered by status, organisation, owner or agent. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow, ApprovalRequestStatus } from './ApprovalRequestRow.ts'

export type ListApprovalRequestsParameters = {
  status?: ApprovalRequestStatus
  orgId?: string
  ownerId?: string
  agentId?: string
  /** Exclusive: the id of the last request of the previous page (ids sort by creation time). */
  before?: string
  limit: number
}

/** @example const page = await listApprovalRequests(db, { ownerId, status: 'pending', limit: 50 }) */
export async function listApprovalRequests(
  sql: Sql,
  parameters: ListApprovalRequestsParameters,
): Promise<ApprovalRequestRow[]> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (clause: string, value: unknown) => {
    params.push(value)
    where.push(clause.replace('?', `$${params.length}`))
  }
  if (parameters.status !== undefined) add('status = ?', parameters.status)
  if (parameters.orgId !== undefined) add('org_id = ?', parameters.orgId)
  if (parameters.ownerId !== undefined) add('owner_id = ?', parameters.ownerId)
  if (parameters.agentId !== undefined) add('agent_id = ?', parameters.agentId)
  if (parameters.before !== undefined) add('id < ?', parameters.before)
  params.push(parameters.limit)
  return sql.query<ApprovalRequestRow>(
    `select * from approval_requests ${where.length ? `where ${where.join(' and ')}` : ''}
      order by id desc limit $${params.length}`,
    params,
  )
}
