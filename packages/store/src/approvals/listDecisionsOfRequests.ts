/** The decisions of several requests in one query (a page of the approval inbox), each request's in order. */
import type { Sql } from '../Db.ts'
import type { ApprovalDecisionRow } from './ApprovalDecisionRow.ts'

/** @example const byRequest = await listDecisionsOfRequests(db, page.map((r) => r.id)) */
export async function listDecisionsOfRequests(
  sql: Sql,
  requestIds: readonly string[],
): Promise<Map<string, ApprovalDecisionRow[]>> {
  const rows =
    requestIds.length === 0
      ? []
      : await sql.query<ApprovalDecisionRow>(
          'select * from approval_decisions where request_id = any($1::text[]) order by seq',
          [requestIds],
        )
  const grouped = new Map<string, ApprovalDecisionRow[]>(requestIds.map((id) => [id, []]))
  for (const row of rows) grouped.get(row.request_id)?.push(row)
  return grouped
}
