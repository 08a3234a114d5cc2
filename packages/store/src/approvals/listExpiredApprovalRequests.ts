/** Work for the expiry worker: pending requests past their expiry, locked; rows another worker holds are skipped. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow } from './ApprovalRequestRow.ts'

export type ListExpiredApprovalRequestsParameters = {
  /** Requests expiring at or before this moment (evaluateApprovals' `now`). */
  now: Date
  limit: number
}

/**
 * Oldest expiry first. Call it in the transaction that expires them (setApprovalStatus, then the intent's
 * transition and the release of its reservation): the locks keep two workers off the same request.
 *
 * @example
 * const due = await listExpiredApprovalRequests(tx, { now: new Date(), limit: 100 })
 */
export async function listExpiredApprovalRequests(
  tx: Sql,
  parameters: ListExpiredApprovalRequestsParameters,
): Promise<ApprovalRequestRow[]> {
  // The status is a literal so that the partial index on pending requests serves the generic plan too.
  return tx.query<ApprovalRequestRow>(
    `select * from approval_requests where status = 'pending' and expires_at <= $1
      order by expires_at, id limit $2 for update skip locked`,
    [parameters.now.toISOString(), parameters.limit],
  )
}
