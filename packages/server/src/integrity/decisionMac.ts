/**
 * The decision MAC: binds a decision to exactly what it allows to be signed. A queued row is not signing authority by
 * itself; the executor signs only what carries a valid MAC, which needs a key derived from the master seed (never
 * stored in the database).
 */
import { timingSafeEqual } from 'node:crypto'
import { canonicalJson } from '@bursar/core/audit'
import type { Keystore } from '@bursar/keys/keystore'

export type DecisionBinding = {
  /** What the decision authorises: 'allow' may be signed; 'require_approval' only binds what approvers will see. */
  outcome: 'allow' | 'require_approval'
  /** ISO 8601: after this the decision authorises nothing (bounds how long a replayed row could be signed). */
  notAfter: string
  intentId: string
  agentId: string
  walletId: string
  derivationIndex: number
  network: string
  /** The chain's identity ("evm:8453"): a decision for one chain authorises nothing on another. */
  chainKey: string
  /** The chain's transaction exactly as decided (JSON, compared canonically). */
  tx: unknown
  maxFee: string
  policyVersion: number
  /** canonicalHash of the policy document the decision was made under. */
  policyHash: string
}

function message(binding: DecisionBinding): string {
  return canonicalJson({
    v: 2,
    outcome: binding.outcome,
    not_after: binding.notAfter,
    intent: binding.intentId,
    agent: binding.agentId,
    wallet: binding.walletId,
    derivation_index: binding.derivationIndex,
    network: binding.network,
    chain: binding.chainKey,
    tx: binding.tx,
    max_fee: binding.maxFee,
    policy_version: binding.policyVersion,
    policy_hash: binding.policyHash,
  })
}

/** @example const mac = decisionMac(ctx.keystore, binding) // stored with the intent */
export function decisionMac(keystore: Keystore, binding: DecisionBinding): string {
  return keystore.mac('decision', message(binding))
}

export function isDecisionMacValid(
  keystore: Keystore,
  binding: DecisionBinding,
  mac: string | null,
): boolean {
  if (mac === null || !/^[0-9a-f]{64}$/.test(mac)) return false
  return timingSafeEqual(Buffer.from(decisionMac(keystore, binding), 'hex'), Buffer.from(mac, 'hex'))
}
