/** One approval request by id. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow } from './ApprovalRequestRow.ts'

/**
 * `forUpdate` locks the row until the transaction ends (take the intent's lock first, as every decision does).
 *
 * @example const request = await getApprovalRequest(tx, id, { forUpdate: true })
 */
export async function getApprovalRequest(
  sql: Sql,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApprovalRequestRow | undefined> {
  const [row] = await sql.query<ApprovalRequestRow>(
    `select * from approval_requests where id = $1${options.forUpdate ? ' for update' : ''}`,
    [id],
  )
  return row
}
