/**
 * Cancels an intent. Not signed yet: at once, its reservation given back. Signed or out already: the request is
 * recorded and the confirmer sends a cancellation (a zero-value self-transfer at its nonce); the intent ends
 * cancelled if that is mined, confirmed if its own transaction wins the race, and keeps its reservation until then.
 */
import type { IntentStatus } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  getApprovalRequestByIntent,
  getIntent,
  type IntentRow,
  releaseReservations,
  type Sql,
  setApprovalStatus,
  transitionIntent,
  updateIntent,
} from '@bursar/store'
import type { Principal } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { visibleIntent } from './visibleIntent.ts'

const cancellable: readonly IntentStatus[] = ['pending_approval', 'approved', 'queued']
const inFlight: readonly IntentStatus[] = ['signed', 'broadcast', 'in_doubt']

export async function cancelIntent(
  ctx: ServerContext,
  principal: Principal,
  intentId: string,
): Promise<IntentRow> {
  // Viewers read; cancelling (a timelocked intent among others) is for approvers and admins.
  if (principal.type === 'member' && principal.role === 'viewer')
    throw new BursarError('ROLE_FORBIDDEN', 'cancelling an intent needs the approver role', {
      details: { required: 'approver' },
    })
  return ctx.db.transaction(async (tx) => {
    // Locking the intent row waits out an executor that has claimed it, so we never cancel mid-signing.
    const intent = visibleIntent(principal, await getIntent(tx, intentId, { forUpdate: true }), intentId)
    if (intent.status === 'cancelled') return intent
    if (inFlight.includes(intent.status)) return requestCancellation(ctx, tx, principal, intent)
    const moved = await transitionIntent(tx, intentId, cancellable, 'cancelled', {}, { by: principal.type })
    if (!moved) {
      throw new BursarError(
        'INTENT_NOT_CANCELLABLE',
        `an intent in status "${intent.status}" can no longer be cancelled`,
        {
          details: { intent_id: intentId, status: intent.status },
        },
      )
    }
    // Its approval request closes with it: nobody may approve what will never be signed. Locked before the
    // reservation's buckets, so the order is intent → request → buckets here and request → intent (never waited
    // for) → buckets in the expiry worker: neither waits for what the other holds.
    const request = await getApprovalRequestByIntent(tx, intentId, { forUpdate: true })
    const closed = request ? await setApprovalStatus(tx, request.id, { status: 'cancelled' }) : undefined
    const released = await releaseReservations(tx, intentId)
    await appendAudit(tx, [
      {
        actor: principal.type === 'agent' ? { type: 'agent', id: principal.agentId } : principal.actor,
        action: 'intent.cancelled',
        subject: { type: 'intent', id: intentId },
        data: {
          from: intent.status,
          reservation_released: released > 0,
          ...(closed ? { approval_request_id: closed.id } : {}),
        },
      },
    ])
    return moved
  })
}

async function requestCancellation(
  ctx: ServerContext,
  tx: Sql,
  principal: Principal,
  intent: IntentRow,
): Promise<IntentRow> {
  if (intent.cancel_requested_at !== null) return intent
  const updated = await updateIntent(tx, intent.id, [intent.status], {
    cancel_requested_at: new Date(),
    next_attempt_at: new Date(),
  })
  if (!updated) return intent
  await appendAudit(tx, [
    {
      actor: principal.type === 'agent' ? { type: 'agent', id: principal.agentId } : principal.actor,
      action: 'intent.cancel_requested',
      subject: { type: 'intent', id: intent.id },
      data: { status: intent.status, nonce: intent.nonce },
    },
  ])
  ctx.wakeExecutor()
  return updated
}
