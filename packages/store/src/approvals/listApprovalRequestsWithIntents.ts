/** Pages of approval requests joined with their intents, in one query: what the approvals listing shows. */
import type { Sql } from '../Db.ts'
import { approvalRequestFilters } from '../fragments/approvalRequestFilters.ts'
import type { IntentRow } from '../intents/IntentRow.ts'
import type { ApprovalRequestRow } from './ApprovalRequestRow.ts'
import type { ListApprovalRequestsParameters } from './listApprovalRequests.ts'

export type ApprovalRequestWithIntent = { request: ApprovalRequestRow; intent: IntentRow }

// Both tables have id, agent_id, status, policy_version and created_at: the request's columns come prefixed.
const requestColumns = [
  'id',
  'intent_id',
  'org_id',
  'agent_id',
  'approval_hash',
  'policy_version',
  'rules',
  'quorums',
  'status',
  'created_at',
  'expires_at',
  'decided_at',
  'executable_at',
  'mac',
] as const satisfies readonly (keyof ApprovalRequestRow)[]
const prefix = 'request.'

/**
 * The same filters, order and paging as listApprovalRequests. The foreign key keeps every request's intent, so
 * each request comes with one.
 *
 * @example
 * for (const { request, intent } of await listApprovalRequestsWithIntents(db, { orgId, limit: 50 })) …
 */
export async function listApprovalRequestsWithIntents(
  sql: Sql,
  parameters: ListApprovalRequestsParameters,
): Promise<ApprovalRequestWithIntent[]> {
  const { where, params } = approvalRequestFilters(parameters, 'r')
  const selected = requestColumns.map((column) => `r.${column} as "${prefix}${column}"`).join(', ')
  const rows = await sql.query(
    `select ${selected}, i.* from approval_requests r join intents i on i.id = r.intent_id
      ${where} order by r.id desc limit $${params.length}`,
    params,
  )
  return rows.map((row) => {
    const request: Record<string, unknown> = {}
    const intent: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith(prefix)) request[key.slice(prefix.length)] = value
      else intent[key] = value
    }
    return { request: request as ApprovalRequestRow, intent: intent as IntentRow }
  })
}
