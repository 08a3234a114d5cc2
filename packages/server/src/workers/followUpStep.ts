/**
 * What to do next with an intent whose transaction left (broadcast) or may have (in_doubt), from what the chain said
 * this pass. Pure, so every rule of docs/execution.md is a table row in its test: settle only on a mined version at
 * depth or a nonce seen used twice, apart; never give up on a transaction that may still land; cancel what is in doubt
 * once its grace is over; replace what is stuck; send again what the node forgot.
 */
import type { Receipt } from '@bursar/core/chains'

type VersionKind = 'original' | 'replacement' | 'cancel'

export type FollowUpInput = {
  status: 'broadcast' | 'in_doubt'
  /** The chain's answer for the intent's versions: the one mined (at most one can be: they share a nonce). */
  mined: (Receipt & { txHash: string; kind: VersionKind }) | null
  head: bigint
  confirmations: number
  /** How many of the wallet's transactions are mined; undefined when not asked (sequenced families only). */
  minedSequence: number | undefined
  nonce: number | null
  /** Whether a node knows the newest version (mempool or chain); undefined when not asked. */
  known: boolean | undefined
  /** The block the intent was last seen mined in, if any. */
  seenBlockHash: string | null
  newestKind: VersionKind
  /** When the newest version was last handed to a node. */
  sentAt: Date
  cancelRequested: boolean
  nonceUsedSeenAt: Date | null
  /** A tripped breaker stops sending, resending included; following what is out goes on. */
  halted: boolean
  /** The family can sign replacements and cancellations. */
  replaceable: boolean
  /** How many versions a node refused when first sent, and whether the latest version is one of them. */
  refused: { count: number; latest: boolean }
  now: Date
  timings: {
    rebroadcastAfterMs: number
    replaceAfterMs: number
    inDoubtGraceMs: number
    nonceSettleMs: number
  }
}

export type FollowUpStep =
  /** Mined, not yet at depth: remember where (a later absence is a reorg). */
  | { kind: 'mined'; record: boolean }
  /** Mined at depth: the intent ends here. */
  | { kind: 'settle'; outcome: 'confirmed' | 'reverted' | 'cancellation_mined' }
  /** It was mined and no longer is: record the reorg, then carry on as `next` says. */
  | { kind: 'reorged'; next: FollowUpStep }
  /**
   * The nonce is used and none of the versions is mined: first sighting (record it), seen before but not long
   * enough ago (neither), or seen again long enough after (settle).
   */
  | { kind: 'nonce_used'; record: boolean; settle: boolean }
  | { kind: 'resend' }
  | { kind: 'replace' }
  | { kind: 'cancel' }
  | { kind: 'wait' }

/** Versions nodes refused, past which no more are signed for an intent (its agent's breaker says why, or a log). */
const maxRefusedVersions = 5

/** Whether the node should be asked if it still knows the newest version (costs an RPC, so only when it matters). */
export function needsKnown(input: Pick<FollowUpInput, 'sentAt' | 'now' | 'timings'>): boolean {
  return input.now.getTime() - input.sentAt.getTime() >= input.timings.rebroadcastAfterMs
}

export function followUpStep(input: FollowUpInput): FollowUpStep {
  const { mined } = input
  if (mined !== null) {
    const depth = input.head - mined.blockNumber + 1n
    if (depth < BigInt(input.confirmations)) {
      return { kind: 'mined', record: mined.blockHash !== input.seenBlockHash }
    }
    if (mined.kind === 'cancel') return { kind: 'settle', outcome: 'cancellation_mined' }
    return { kind: 'settle', outcome: mined.status === 'success' ? 'confirmed' : 'reverted' }
  }
  const rest = notMined(input)
  return input.seenBlockHash !== null ? { kind: 'reorged', next: rest } : rest
}

function notMined(input: FollowUpInput): FollowUpStep {
  const { now, timings } = input
  if (input.minedSequence !== undefined && input.nonce !== null && input.minedSequence > input.nonce) {
    // Another transaction took the nonce (or a node lags behind on receipts): only a second look settles it.
    if (input.nonceUsedSeenAt === null) return { kind: 'nonce_used', record: true, settle: false }
    const settle = now.getTime() - input.nonceUsedSeenAt.getTime() >= timings.nonceSettleMs
    return { kind: 'nonce_used', record: false, settle }
  }
  // A tripped breaker stops sending, except a cancellation someone asked for: freezing an agent and cancelling what
  // it has in flight is the incident response, and a cancellation moves nothing.
  if (input.halted && !input.cancelRequested) return { kind: 'wait' }
  const sinceSent = now.getTime() - input.sentAt.getTime()
  const graceOver = input.status === 'in_doubt' && sinceSent >= timings.inDoubtGraceMs
  // Once a cancellation is out, the intent is being cancelled: nothing but a cancellation may outbid it.
  const cancelling = input.cancelRequested || graceOver || input.newestKind === 'cancel'
  if (input.replaceable && cancelling) {
    // A cancellation out already is resent while forgotten, and outbid in turn when it is stuck. One just refused
    // is tried again only a replacement interval later, and not at all after `maxRefusedVersions`.
    if (input.newestKind !== 'cancel') {
      if (input.refused.count >= maxRefusedVersions) return { kind: 'wait' }
      if (input.refused.latest && sinceSent < timings.replaceAfterMs) return { kind: 'wait' }
      return { kind: 'cancel' }
    }
    if (input.known === false && sinceSent >= timings.rebroadcastAfterMs) return { kind: 'resend' }
    return sinceSent >= timings.replaceAfterMs ? { kind: 'cancel' } : { kind: 'wait' }
  }
  if (sinceSent < timings.rebroadcastAfterMs) return { kind: 'wait' }
  // In doubt: the same bytes again (the refusal may have been the node's moment); out: again only if forgotten.
  if (input.status === 'in_doubt' || input.known === false) return { kind: 'resend' }
  if (input.replaceable && sinceSent >= timings.replaceAfterMs && input.refused.count < maxRefusedVersions) {
    return { kind: 'replace' }
  }
  return { kind: 'wait' }
}
