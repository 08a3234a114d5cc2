/** The `where` of a listing of approval requests, shared by listApprovalRequests and its join with intents. */
import type { ListApprovalRequestsParameters } from '../approvals/listApprovalRequests.ts'
import { conditions } from './conditions.ts'

/**
 * Each filter becomes a numbered parameter; `alias` qualifies the columns when the query joins another table. The
 * page size comes last, as `$${params.length}`.
 */
export function approvalRequestFilters(
  parameters: ListApprovalRequestsParameters,
  alias = '',
): { where: string; params: unknown[] } {
  const column = alias === '' ? '' : `${alias}.`
  const filters = conditions()
  const add = (clause: string, value: unknown) => filters.add(`${column}${clause}`, value)
  if (parameters.status !== undefined) add('status = ?', parameters.status)
  if (parameters.orgId !== undefined) add('org_id = ?', parameters.orgId)
  if (parameters.agentId !== undefined) add('agent_id = ?', parameters.agentId)
  if (parameters.before !== undefined) add('id < ?', parameters.before)
  filters.params.push(parameters.limit)
  return { where: filters.where().trimStart(), params: filters.params }
}
