/**
 * The intent state machine as data: for each status, the statuses an intent may move to from it. The store refuses
 * any other move before it touches the database, so a bug or a stale caller can never write, say, confirmed → queued.
 */
import type { IntentStatus } from '../api/index.ts'

/** Every intent starts here (the first event is none → received); nothing moves back to it. */
export const intentInitialStatus = 'received' satisfies IntentStatus

/**
 * From-status → allowed to-statuses; a status with no way out is final. The lifecycle of ARCHITECTURE.md, with the
 * durable-execution states of docs/execution.md: `in_doubt` holds an intent whose transaction may or may not still
 * land (refused at broadcast, dropped by the node, a cancellation sent) with its reservation and its nonce, until the
 * chain settles the question; a reorg sends a confirmed intent back to broadcast. `replaced` is kept for readers of
 * old data: a replacement is a transaction of the intent now (intent_transactions), not a status of the intent.
 *
 * ```
 * received ─► rejected | pending_approval | approved
 * pending_approval ─► approved | denied | expired | cancelled
 * approved ─► queued | cancelled | failed (its approval void: what it bound changed)
 * queued ─► signed | failed | cancelled
 * signed ─► broadcast | failed | in_doubt
 * broadcast ─► confirmed | failed (mined, reverted) | cancelled (its cancellation mined) | in_doubt
 * in_doubt ─► broadcast | confirmed | failed | cancelled
 * confirmed | failed | cancelled ─► broadcast (what settled it was mined, and a reorg took it out in the watch window)
 * ```
 */
export const intentTransitions: { readonly [From in IntentStatus]: readonly IntentStatus[] } = {
  // Decided in one transaction at intake: a policy deny or a refusal, waiting for approval, or allowed (then queued).
  received: ['rejected', 'pending_approval', 'approved'],
  // An approver's answer, its time running out, or a cancellation.
  pending_approval: ['approved', 'denied', 'expired', 'cancelled'],
  // The timelock before signing is cancellable.
  approved: ['queued', 'cancelled', 'failed'],
  // The executor signs it, refuses it (stale, invalid, expired decision), or the agent/owner cancels it first.
  queued: ['signed', 'failed', 'cancelled'],
  // The node takes it; a refusal that may not be the last word (in_doubt); failed only before any byte left.
  signed: ['broadcast', 'failed', 'in_doubt'],
  // Mined at depth (any of its versions), mined but reverted, its cancellation mined, or dropped and refused again.
  broadcast: ['confirmed', 'failed', 'cancelled', 'in_doubt'],
  // Sent again and taken; one of its versions mined; its nonce used by a cancellation or another transaction.
  in_doubt: ['broadcast', 'confirmed', 'failed', 'cancelled'],
  rejected: [],
  denied: [],
  expired: [],
  // Reorged out before the watch window closed: followed again, the same signed bytes sent again.
  confirmed: ['broadcast'],
  // Settled by a mined transaction (reverted, or its cancellation) that a reorg took out: followed again.
  failed: ['broadcast'],
  replaced: [],
  cancelled: ['broadcast'],
}

/**
 * Whether an intent may move from `from` to `to`; `from` null is its creation.
 *
 * @example isIntentTransition('signed', 'broadcast') // true
 * @example isIntentTransition('confirmed', 'queued') // false
 */
export function isIntentTransition(from: IntentStatus | null, to: IntentStatus): boolean {
  if (from === null) return to === intentInitialStatus
  return intentTransitions[from].includes(to)
}
