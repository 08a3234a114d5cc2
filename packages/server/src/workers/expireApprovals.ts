/** The expiry worker: approval requests nobody answered in time expire, and their reservations come back. */
import {
  appendAudit,
  listExpiredApprovalRequests,
  releaseReservationsOf,
  setApprovalStatus,
  transitionIntent,
  tryLockIntents,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'

export type ExpireApprovalsParameters = {
  /** The moment requests are expired at (tests look ahead); default: now. */
  now?: Date
  /** Most requests per transaction. */
  limit?: number
}

/**
 * One batch in one transaction: the requests and their intents are claimed with `for update skip locked`, so every
 * process may run it and none expires a request twice (one held elsewhere waits for a later pass); a process that dies mid-batch leaves every request as it was. Each intent moves
 * `pending_approval → expired` with its reservation released and an `intent.expired` audit entry. Returns how many
 * requests it expired.
 *
 * @example const expired = await expireApprovals(ctx)
 */
export async function expireApprovals(
  ctx: ServerContext,
  parameters: ExpireApprovalsParameters = {},
): Promise<number> {
  const now = parameters.now ?? new Date()
  return ctx.db.transaction(async (tx) => {
    const due = await listExpiredApprovalRequests(tx, { now, limit: parameters.limit ?? 100 })
    // Whoever holds an intent's lock (a cancel) takes its request's next: waiting for it here could deadlock.
    const locked = await tryLockIntents(
      tx,
      due.map((request) => request.intent_id),
    )
    const moved: typeof due = []
    for (const request of due) {
      if (!locked.has(request.intent_id)) continue
      const closed = await setApprovalStatus(tx, request.id, { status: 'expired', decidedAt: now })
      if (!closed) continue
      // The intent may have left pending_approval another way (cancelled in the same moment): then only the request
      // closes, and the intent's reservation is whoever moved it's to settle.
      const transitioned = await transitionIntent(
        tx,
        request.intent_id,
        ['pending_approval'],
        'expired',
        {},
        { by: 'system', approval_request_id: request.id },
      )
      if (transitioned) moved.push(request)
    }
    // All reservations in one statement, buckets in key order: never one bucket held while waiting for another.
    const released = await releaseReservationsOf(
      tx,
      moved.map((request) => request.intent_id),
    )
    await appendAudit(
      tx,
      moved.map((request) => ({
        actor: { type: 'system' as const, id: null },
        action: 'intent.expired',
        subject: { type: 'intent', id: request.intent_id },
        data: {
          approval_request_id: request.id,
          expires_at: request.expires_at.toISOString(),
          reservation_released: released.has(request.intent_id),
        },
      })),
    )
    const expired = moved.length
    return expired
  })
}
