/** An approval request as stored: what an intent waits on, bound to what will be signed (ADR 0007). */
import type { ApproverRole } from '@bursar/core/approvals'
import type { JsonValue } from '@bursar/core/chains'

export type ApprovalRequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'void' | 'cancelled'

/**
 * One quorum (core's ApprovalQuorum) as JSON: the accounts as a list, no role-wide entry as null. Stored as the
 * request was made, so a later policy version cannot change who may approve it.
 */
export type ApprovalQuorumRecord = {
  rule: string
  quorum: number
  accounts: string[]
  members: ApproverRole | null
  role: ApproverRole
}

export type ApprovalRequestRow = {
  id: string
  intent_id: string
  org_id: string
  agent_id: string
  /** core's approvalHash at the time of the request; recomputed before queuing, a mismatch voids the approval. */
  approval_hash: string
  policy_version: number
  /** The triggered approval rules as JSON, as the server chose to record them (timelocks, names). */
  rules: JsonValue
  quorums: ApprovalQuorumRecord[]
  status: ApprovalRequestStatus
  created_at: Date
  expires_at: Date
  /** When it was approved, denied, expired or cancelled. */
  decided_at: Date | null
  /** Approved: when the timelock ends and the executor may queue the intent. */
  executable_at: Date | null
  /** The server's MAC over what the request binds; null on rows written before it existed. */
  mac: string | null
}
