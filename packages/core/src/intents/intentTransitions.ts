/**
 * The intent state machine as data: for each status, the statuses an intent may move to from it. The store refuses
 * any other move before it touches the database, so a bug or a stale caller can never write, say, confirmed → queued.
 */
import type { IntentStatus } from '../api/index.ts'

/** Every intent starts here (the first event is none → received); nothing moves back to it. */
export const intentInitialStatus = 'received' satisfies IntentStatus

/**
 * From-status → allowed to-statuses; a status with no way out is final. The lifecycle of ARCHITECTURE.md. An
 * approver's answer (pending_approval → approved | denied | expired) and replacement (broadcast → replaced) have no
 * caller yet; every other edge is one the server takes today.
 *
 * ```
 * received ─► rejected | pending_approval | approved | signed (a nonce filler: moves nothing, decided by Bursar)
 * pending_approval ─► approved | denied | expired | cancelled
 * approved ─► queued | cancelled | failed (its approval void: what it bound changed)
 * queued ─► signed | failed | cancelled
 * signed ─► broadcast | failed
 * broadcast ─► confirmed | failed | replaced
 * ```
 */
export const intentTransitions: { readonly [From in IntentStatus]: readonly IntentStatus[] } = {
  // Decided in one transaction at intake: a policy deny or a refusal, waiting for approval, or allowed (then queued).
  received: ['rejected', 'pending_approval', 'approved', 'signed'],
  // An approver's answer, its time running out, or a cancellation.
  pending_approval: ['approved', 'denied', 'expired', 'cancelled'],
  // The timelock before signing is cancellable.
  approved: ['queued', 'cancelled', 'failed'],
  // The executor signs it, refuses it (stale, invalid, expired decision), or the agent/owner cancels it first.
  queued: ['signed', 'failed', 'cancelled'],
  // The node takes it, or refuses it for good.
  signed: ['broadcast', 'failed'],
  // Mined at depth, mined but reverted, or replaced by another transaction at its nonce.
  broadcast: ['confirmed', 'failed', 'replaced'],
  rejected: [],
  denied: [],
  expired: [],
  confirmed: [],
  failed: [],
  replaced: [],
  cancelled: [],
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
