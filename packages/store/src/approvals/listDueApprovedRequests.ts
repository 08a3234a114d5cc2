/** Approved requests whose timelock has passed while their intent still waits in `approved`: ready to queue. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow } from './ApprovalRequestRow.ts'

/**
 * Claims with `for update skip locked`, so several processes queue each intent once.
 * @example const due = await listDueApprovedRequests(tx, { now, limit: 100 })
 */
export async function listDueApprovedRequests(
  tx: Sql,
  parameters: { now: Date; limit: number },
): Promise<ApprovalRequestRow[]> {
  return tx.query<ApprovalRequestRow>(
    `select r.* from approval_requests r join intents i on i.id = r.intent_id
      where r.status = 'approved' and r.executable_at <= $1 and i.status = 'approved'
      order by r.executable_at limit $2 for update of r skip locked`,
    [parameters.now.toISOString(), parameters.limit],
  )
}
