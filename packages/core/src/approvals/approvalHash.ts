/** The fingerprint an approval binds to: what the signer will receive, less what the executor assigns later. */
import { canonicalHash } from '../audit/canonicalHash.ts'
import type { JsonValue } from '../chains/ChainAdapter.ts'

export type ApprovalHashParameters = {
  network: string
  agentId: string
  intentId: string
  /** The adapter's `approvalBinding(tx)`: the chain's transaction without sequence number and fees. */
  binding: JsonValue
  /** The policy version the request was decided under: approvers judged it by that policy's rules. */
  policyVersion: number
}

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of the parameters, under a tag of its own so that it can never equal
 * another canonical hash Bursar takes (policy documents, decisions). Computed when the request is made and again
 * right before the approved intent is queued: if anything bound differs, the approval is void.
 * @example
 * approvalHash({ network: 'anvil', agentId: 'agt_1', intentId: 'int_1', binding: adapter.approvalBinding(tx), policyVersion: 3 })
 * // '5c0b…' (64 hex digits)
 */
export function approvalHash(parameters: ApprovalHashParameters): string {
  return canonicalHash({
    kind: 'bursar.approval',
    v: 1,
    network: parameters.network,
    agent: parameters.agentId,
    intent: parameters.intentId,
    binding: parameters.binding,
    policy_version: parameters.policyVersion,
  })
}
