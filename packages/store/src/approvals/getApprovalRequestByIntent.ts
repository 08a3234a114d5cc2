/** The approval request of an intent, if it ever needed one. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow } from './ApprovalRequestRow.ts'

/**
 * `forUpdate` locks the row until the transaction ends.
 *
 * @example const request = await getApprovalRequestByIntent(tx, intent.id, { forUpdate: true })
 */
export async function getApprovalRequestByIntent(
  sql: Sql,
  intentId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApprovalRequestRow | undefined> {
  const [row] = await sql.query<ApprovalRequestRow>(
    `select * from approval_requests where intent_id = $1${options.forUpdate ? ' for update' : ''}`,
    [intentId],
  )
  return row
}
