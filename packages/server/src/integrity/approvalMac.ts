/**
 * MACs over approval requests and decisions, keyed from the master seed like decision and policy MACs: a database
 * writer can delete or corrupt them (denying service) but cannot forge an approval, a quorum, a timelock or a
 * decision that the timelock worker and queuing will accept.
 */
import { timingSafeEqual } from 'node:crypto'
import { canonicalJson } from '@bursar/core/audit'
import type { Keystore } from '@bursar/keys/keystore'

export type ApprovalRequestBinding = {
  id: string
  intentId: string
  agentId: string
  orgId: string
  approvalHash: string
  policyVersion: number
  rules: unknown
  quorums: unknown
  expiresAt: Date
}

export type ApprovalDecisionBinding = {
  requestId: string
  accountId: string
  role: string
  decision: 'approve' | 'deny'
  factor: string
  decidedAt: Date
}

export function approvalRequestMac(keystore: Pick<Keystore, 'mac'>, binding: ApprovalRequestBinding): string {
  return keystore.mac(
    'approval',
    canonicalJson({
      v: 1,
      kind: 'request',
      id: binding.id,
      intent: binding.intentId,
      agent: binding.agentId,
      org: binding.orgId,
      approval_hash: binding.approvalHash,
      policy_version: binding.policyVersion,
      rules: binding.rules,
      quorums: binding.quorums,
      expires_at: binding.expiresAt.toISOString(),
    }),
  )
}

export function approvalDecisionMac(
  keystore: Pick<Keystore, 'mac'>,
  binding: ApprovalDecisionBinding,
): string {
  return keystore.mac(
    'approval',
    canonicalJson({
      v: 1,
      kind: 'decision',
      request: binding.requestId,
      account: binding.accountId,
      role: binding.role,
      decision: binding.decision,
      factor: binding.factor,
      decided_at: binding.decidedAt.toISOString(),
    }),
  )
}

/** Constant-time comparison of a stored MAC with the expected one; a missing or malformed one never matches. */
export function macMatches(expected: string, stored: string | null | undefined): boolean {
  if (typeof stored !== 'string' || !/^[0-9a-f]{64}$/.test(stored)) return false
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(stored, 'hex'))
}
