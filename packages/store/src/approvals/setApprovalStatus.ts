/** Closes an approval request, or ends an approved one; refuses any change its current status does not allow. */
import type { Sql } from '../Db.ts'
import type { ApprovalRequestRow, ApprovalRequestStatus } from './ApprovalRequestRow.ts'

export type ApprovalStatusChange =
  /** Quorum met: the intent may be queued from `executableAt` (the timelock's end). */
  | { status: 'approved'; decidedAt?: Date; executableAt: Date }
  | { status: 'denied' | 'expired' | 'cancelled' | 'void'; decidedAt?: Date }

/**
 * Pending requests are approved, denied, expired or cancelled; approved ones may still be cancelled (during the
 * timelock) or voided (the bound hash no longer matches before queuing). Nothing else moves.
 */
const allowedFrom: Record<ApprovalStatusChange['status'], readonly ApprovalRequestStatus[]> = {
  approved: ['pending'],
  denied: ['pending'],
  expired: ['pending'],
  cancelled: ['pending', 'approved'],
  void: ['approved'],
}

/**
 * Undefined, with nothing changed, when the request's status does not allow the change (decided already, by
 * another approver or the expiry worker): a compare-and-set, so two closers cannot both win. `decided_at` is
 * `decidedAt`, else kept when set (an approval later cancelled keeps its time), else now.
 *
 * @example
 * const state = evaluateApprovals(request, decisions, now)
 * if (state.status === 'approved') await setApprovalStatus(tx, request.id, { status: 'approved',
 *   decidedAt: state.at, executableAt: executableAt(state, rules) })
 */
export async function setApprovalStatus(
  tx: Sql,
  id: string,
  change: ApprovalStatusChange,
): Promise<ApprovalRequestRow | undefined> {
  const [row] = await tx.query<ApprovalRequestRow>(
    `update approval_requests
        set status = $2, decided_at = coalesce($3::timestamptz, decided_at, now()),
            executable_at = coalesce($4::timestamptz, executable_at)
      where id = $1 and status = any($5::text[]) returning *`,
    [
      id,
      change.status,
      change.decidedAt?.toISOString() ?? null,
      change.status === 'approved' ? change.executableAt.toISOString() : null,
      allowedFrom[change.status],
    ],
  )
  return row
}
